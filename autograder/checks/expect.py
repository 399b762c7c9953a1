"""Turn a student's answer into what a check needs, or fail with a message
that says what came back and what was expected.

Checks of values are lenient about shape (a flat (n,) array where a column
(n, 1) belongs is reshaped), so that one shape mistake costs the shape check
only; the shape checks are strict.
"""
import numpy as np

from autograder.sandbox.wire import Unsupported


def describe(value):
    """A few words for a student about what a function returned."""
    if value is None:
        return "None (is a return statement missing?)"
    if isinstance(value, Unsupported):
        return f"a {value.type_name} object"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" if value.ndim else f"a 0-d array ({value.item()!r})"
    if isinstance(value, (bool, int, float, np.generic)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"a {type(value).__name__}"


def results(value, function, names):
    """The function's several return values, e.g. names=("inputs", "targets")."""
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return tuple(value)
    expected = ", ".join(names)
    raise AssertionError(f"{function} should return {len(names)} values, ({expected}), "
                         f"but it returned {describe(value)}")


def array(value, what, finite=True):
    """A float array made from the value, or a failure saying why it cannot be one."""
    if value is None or isinstance(value, (str, dict, Unsupported)) or (
            isinstance(value, np.ndarray) and value.dtype.kind == "c"):
        raise AssertionError(f"{what} should be a NumPy array of numbers, not {describe(value)}")
    try:
        result = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a NumPy array of numbers, not {describe(value)}") from None
    if finite and not np.all(np.isfinite(result)):
        raise AssertionError(f"{what}: some values are nan or infinite")
    return result


def shape(value, expected, what):
    """Fail unless the array has exactly the expected shape, with a hint for the usual mix-ups."""
    actual = np.shape(value)
    if actual == expected:
        return
    message = f"{what} should have shape {expected}, not {actual}"
    raise AssertionError(message + shape_hint(actual, expected))


def shapes(value, function, expected, context=""):
    """Fail unless the function returned one array per name with exactly the expected shape.
    expected: {name: shape, or None for any shape} in the order the function returns them."""
    values = results(value, function, tuple(expected))
    for (name, shape_expected), returned in zip(expected.items(), values):
        if shape_expected is not None:
            shape(array(returned, name), shape_expected, f"{context}{name}")


def covers_range(values, half_width, what, name):
    """Fail unless the values lie in [-half_width, half_width] and reach near both ends."""
    largest = float(np.abs(values).max())
    if largest > half_width * (1 + 1e-9):
        raise AssertionError(f"some {what} lie outside [-{name}, {name}]")
    if largest < 0.95 * half_width:
        raise AssertionError(f"the {what} do not reach the ends of [-{name}, {name}]: draw them with "
                             f"rng.uniform(-{name}, {name}, ...)")


def shape_hint(actual, expected):
    if len(expected) == 2 and expected[1] == 1 and actual == (expected[0],):
        return (": a column (n, 1) is not the same as a flat array (n,). Keep weights as a (k, 1) "
                "column, or use .reshape(-1, 1)")
    if len(expected) == 2 and actual == expected[::-1]:
        return ": rows and columns are swapped (transposed)"
    if expected == (1,) and actual in ((), (1, 1)):
        return ": an array holding one number, such as np.array([value])"
    return ""


def column(value, n, what):
    """An (n, 1) float column from any array holding n numbers: values are checked, not layout."""
    result = array(value, what)
    if result.size != n:
        raise AssertionError(f"{what} should hold {n} numbers (shape ({n}, 1)), but has shape {result.shape}")
    return result.reshape(n, 1)


def matrix(value, rows, columns, what):
    """A (rows, columns) float array, transposing one that came back (columns, rows)."""
    result = array(value, what)
    if result.shape == (rows, columns):
        return result
    if result.shape == (columns, rows):
        return result.T
    if result.size == rows * columns and columns == 1:
        return result.reshape(rows, 1)
    raise AssertionError(f"{what} should have shape ({rows}, {columns}), not {result.shape}")


def scalar(value, what):
    """A float from a number or from an array holding exactly one number."""
    result = array(value, what)
    if result.size != 1:
        raise AssertionError(f"{what} should be a single number, not {describe(value)}")
    return float(result.ravel()[0])


def ratio(computed, expected):
    """computed / expected, if one number relates them (for naming a mistake), else None."""
    computed, expected = np.ravel(computed).astype(float), np.ravel(expected).astype(float)
    if computed.shape != expected.shape or not np.all(np.abs(expected) > 1e-9):
        return None
    ratios = computed / expected
    if np.allclose(ratios, ratios[0], rtol=1e-6):
        return float(ratios[0])
    return None


def close_to(value, target, rtol=1e-3):
    return value is not None and abs(value - target) <= rtol * abs(target)
