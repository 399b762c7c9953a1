"""Turn a student's answer into what a check needs, or fail with a message
that says what came back and what was expected.

Checks of values are lenient about shape (a flat (n,) array where a column
(n, 1) belongs is reshaped), so that one shape mistake costs the shape check
only; the shape checks are strict.
"""
import numpy as np

from autograder.sandbox.wire import Unsupported


class Mistake(AssertionError):
    """A failed check whose likely cause is known. str() is the message the
    student reads; `cause` is a short name for the mistake that stays the same
    whatever the numbers ("gradient n times too large"), so that the class
    report can count the students who made it."""

    def __init__(self, cause, message):
        super().__init__(message)
        self.cause = cause


def require(condition, cause, message):
    """Fail with Mistake(cause, message) unless the condition holds."""
    if not condition:
        raise Mistake(cause, message)


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
    cause = "returns None (no return statement)" if value is None else "wrong number of return values"
    raise Mistake(cause, f"{function} should return {len(names)} values, ({expected}), "
                         f"but it returned {describe(value)}")


def array(value, what, finite=True):
    """A float array made from the value, or a failure saying why it cannot be one."""
    if value is None or isinstance(value, (str, dict, Unsupported)) or (
            isinstance(value, np.ndarray) and value.dtype.kind == "c"):
        raise Mistake("not an array of numbers", f"{what} should be a NumPy array of numbers, not {describe(value)}")
    try:
        result = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Mistake("not an array of numbers",
                      f"{what} should be a NumPy array of numbers, not {describe(value)}") from None
    if finite and not np.all(np.isfinite(result)):
        raise Mistake("nan or infinite values", f"{what}: some values are nan or infinite")
    return result


def shape(value, expected, what):
    """Fail unless the array has exactly the expected shape, with a hint for the usual mix-ups."""
    actual = np.shape(value)
    if actual == expected:
        return
    message = f"{what} should have shape {expected}, not {actual}"
    cause, hint = shape_hint(actual, expected)
    raise Mistake(cause, message + hint)


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
        raise Mistake(f"{what} outside the range", f"some {what} lie outside [-{name}, {name}]")
    if largest < 0.95 * half_width:
        raise Mistake(f"{what} do not cover the range",
                      f"the {what} do not reach the ends of [-{name}, {name}]: draw them with "
                      f"rng.uniform(-{name}, {name}, ...)")


def shape_hint(actual, expected):
    """(cause, hint for the message) for a shape that is not the expected one."""
    if len(expected) == 2 and expected[1] == 1 and actual == (expected[0],):
        return "flat array instead of a column", (
            ": a column (n, 1) is not the same as a flat array (n,). Keep weights as a (k, 1) "
            "column, or use .reshape(-1, 1)")
    if len(expected) == 2 and actual == expected[::-1]:
        return "transposed (rows and columns swapped)", ": rows and columns are swapped (transposed)"
    if expected == (1,) and actual in ((), (1, 1)):
        return "bias not of shape (1,)", ": an array holding one number, such as np.array([value])"
    if len(expected) == 2 and actual == (expected[0], expected[0]) and expected[1] == 1:
        return "(n, 1) and (n,) broadcast to (n, n)", (
            ": adding a flat (n,) array to an (n, 1) column broadcasts to (n, n); make every term a column")
    return "wrong shape", ""


ZEROS, CONSTANT = "all zero (a placeholder answer)", "constant values (no randomness)"


def not_constant(values, what, remedy):
    """Fail, saying so, when every value is the same: zeros or a constant are a placeholder, not an answer."""
    values = np.ravel(values)
    if values.size > 1 and np.all(values == values[0]):
        if values[0] == 0:
            raise Mistake(ZEROS, f"the {what} are all zero: {remedy}")
        raise Mistake(CONSTANT, f"the {what} are all equal to {values[0]:g}, with no randomness: {remedy}")


def column(value, n, what):
    """An (n, 1) float column from any array holding n numbers: values are checked, not layout."""
    result = array(value, what)
    if result.size != n:
        if result.shape == (n, n):
            raise Mistake("(n, 1) and (n,) broadcast to (n, n)", f"{what} have shape {result.shape}: adding a flat "
                          "(n,) array to an (n, 1) column broadcasts to (n, n); make every term a column (n, 1)")
        raise Mistake("wrong shape", f"{what} should hold {n} numbers (shape ({n}, 1)), but has shape {result.shape}")
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
    raise Mistake("wrong shape", f"{what} should have shape ({rows}, {columns}), not {result.shape}")


def scalar(value, what):
    """A float from a number or from an array holding exactly one number."""
    result = array(value, what)
    if result.size != 1:
        raise Mistake("not a single number", f"{what} should be a single number, not {describe(value)}")
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
