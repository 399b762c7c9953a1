"""The visible checks of simple_nn.ipynb: each test cell calls one of these.

Each check calls your function on small examples and, when something is off,
stops with one sentence that names the likely mistake, in the same words as
the grader's own checks. Passing them is a good sign, not a guarantee: the
grader runs more checks, with other numbers and sizes.

You do not need to read this file, and you should not change it.
"""
import numpy as np

# Sums done in another order differ in the last digits: a bound is checked with this much slack.
ROUNDING = 1e-9


class CheckFailed(AssertionError):
    """A visible check failed. Jupyter shows only its message, not a traceback into this file."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def fail(message):
    raise CheckFailed(message)


def require(condition, message):
    if not condition:
        fail(message)


def call(function, *args, **kwargs):
    """Call your function; a stub that is not written yet gets one sentence, not a traceback."""
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        fail(f"{function.__name__} is not implemented yet: replace `raise NotImplementedError()` in its cell "
             "with your code, run that cell, then this one")


def results(value, function, names):
    """The function's several return values, e.g. names=("inputs", "targets")."""
    if isinstance(value, (tuple, list)) and len(value) == len(names):
        return tuple(value)
    fail(f"{function} should return {len(names)} values, ({', '.join(names)}), but it returned "
         + ("None (is a return statement missing?)" if value is None else f"a {type(value).__name__}"))


def shape(value, expected, what):
    """Fail unless the array has exactly the expected shape, with a hint for the usual mix-ups."""
    actual = np.shape(value)
    if actual == expected:
        return
    hint = ""
    if len(expected) == 2 and expected[1] == 1 and actual == (expected[0],):
        hint = (": a column (n, 1) is not the same as a flat array (n,). Keep weights as a (k, 1) column, "
                "or use .reshape(-1, 1)")
    elif len(expected) == 2 and actual == expected[::-1]:
        hint = ": rows and columns are swapped (transposed)"
    elif expected == (1,) and actual in ((), (1, 1)):
        hint = ": an array holding one number, such as np.array([value])"
    elif len(expected) == 2 and expected[1] == 1 and actual == (expected[0], expected[0]):
        hint = ": adding a flat (n,) array to an (n, 1) column broadcasts to (n, n); make every term a column"
    fail(f"{what} should have shape {expected}, not {actual}{hint}")


def not_constant(values, what, remedy):
    values = np.ravel(np.asarray(values, dtype=float))
    if values.size > 1 and np.all(values == values[0]):
        fail(f"the {what} are all zero: {remedy}" if values[0] == 0 else
             f"the {what} are all equal to {values[0]:g}, with no randomness: {remedy}")


def ratio(computed, expected):
    """computed / expected if one number relates them (for naming a mistake), else None."""
    computed, expected = np.ravel(computed).astype(float), np.ravel(expected).astype(float)
    if computed.shape != expected.shape or not np.all(np.abs(expected) > 1e-9):
        return None
    ratios = computed / expected
    return float(ratios[0]) if np.allclose(ratios, ratios[0], rtol=1e-6) else None


def close_to(value, target):
    return value is not None and abs(value - target) <= 1e-3 * abs(target)


def without_global_state(function):
    """Run function() twice with np.random's global state seeded differently; restore the state."""
    saved = np.random.get_state()
    try:
        outcomes = []
        for seed in (11, 12):
            np.random.seed(seed)
            outcomes.append(function())
        return outcomes
    finally:
        np.random.set_state(saved)


def depends_on(user, checks):
    """Run the checks of the functions `user` calls: if one fails, say to fix it first."""
    for name, check in checks:
        try:
            check()
        except CheckFailed as failure:
            fail(f"{user} uses {name}, which fails its own visible checks: {failure} -- fix {name} first "
                 f"(its test cell above says the same); {user} itself may be right")


# --- generate_data ---------------------------------------------------------------------------

def check_generate_data(generate_data):
    n = 1000
    inputs, targets = results(call(generate_data, n, np.array([2.0, -3.0]), 5.0, np.random.default_rng(0)),
                              "generate_data", ("inputs", "targets"))
    shape(targets, (n, 1), "targets")
    shape(inputs, (n, 2), "inputs")
    inputs, targets = np.asarray(inputs, dtype=float), np.asarray(targets, dtype=float)
    not_constant(inputs, "inputs", "draw them at random, rng.uniform(-input_range, input_range, size=(n_observations, k))")
    require(np.abs(inputs).max() <= 10, "some inputs lie outside [-input_range, input_range]")
    require(np.abs(inputs).max() >= 9.5, "the inputs do not reach the ends of [-input_range, input_range]: draw them "
                                         "with rng.uniform(-input_range, input_range, ...)")
    require(abs(np.corrcoef(inputs, rowvar=False)[0, 1]) < 0.15, (
        "some input columns move together (or repeat each other): draw each column separately, "
        "for example rng.uniform(-input_range, input_range, size=(n, k))"))
    fitted, *_ = np.linalg.lstsq(np.column_stack([inputs, np.ones(n)]), targets.ravel(), rcond=None)
    require(np.allclose(fitted[:2], [2.0, -3.0], atol=0.05), "a least-squares fit of your targets on your inputs "
            "does not give back the weights generate_data was given: use true_weights (as a (k, 1) column) "
            "for the targets")
    if abs(fitted[2] - 5.5) < 0.1:
        fail("the targets are shifted by about noise_range / 2: the noise must be centred, "
             "drawn from [-noise_range, noise_range]")
    require(abs(fitted[2] - 5.0) < 0.1, "a least-squares fit of your targets gives the weights back but not the "
                                        "bias: add true_bias")
    noise = targets.ravel() - (inputs @ np.array([2.0, -3.0]) + 5.0)
    require(noise.std() > 0.05, "the targets carry no noise: add noise drawn uniformly from [-noise_range, noise_range]")
    require(np.abs(noise).max() <= 1.0 + ROUNDING, (
        "the noise is larger than noise_range: draw it with rng.uniform(-noise_range, noise_range, ...) "
        "(a normal distribution, or a fixed range of 1, is unbounded or too wide)"))
    # Other coefficients, three inputs, other ranges: nothing of the lesson's numbers may be built in.
    weights, bias = np.array([0.5, 1.5, -2.0]), -1.0
    try:
        value = call(generate_data, 500, weights, bias, np.random.default_rng(7), input_range=2.0, noise_range=0.1)
    except (IndexError, ValueError) as error:
        fail(f"generate_data works with 2 true_weights but not with 3 ({type(error).__name__}: {error}): make one "
             "column per entry of true_weights, k = len(true_weights)")
    inputs3, targets3 = results(value, "generate_data", ("inputs", "targets"))
    if np.ndim(inputs3) == 2 and np.shape(inputs3)[0] == 500 and np.shape(inputs3)[1] != 3:
        fail(f"with 3 true_weights the inputs have {np.shape(inputs3)[1]} columns: make one column per entry of "
             "true_weights, k = len(true_weights)")
    shape(inputs3, (500, 3), "with 3 true_weights, inputs")
    shape(targets3, (500, 1), "with 3 true_weights, targets")
    if np.abs(inputs3).max() > 2.0:
        fail("some inputs lie outside [-input_range, input_range]: the range looks fixed at 10, use input_range")
    fitted3, *_ = np.linalg.lstsq(np.column_stack([inputs3, np.ones(500)]), np.ravel(targets3), rcond=None)
    lesson_like = np.allclose(fitted3[:2], [2.0, -3.0], atol=0.05) or abs(fitted3[3] - 5.0) < 0.1
    if not np.allclose(fitted3[:3], weights, atol=0.05):
        fail("a least-squares fit of your targets on your inputs does not give back the weights generate_data was "
             "given" + (": the lesson's 2, -3 and 5 seem to be written into the function; use true_weights and "
                        "true_bias" if lesson_like else ": use true_weights (as a (k, 1) column) for the targets"))
    if abs(fitted3[3] - bias) > 0.05:
        fail("a least-squares fit of your targets gives the weights back but not the bias"
             + (": the lesson's 5 seems to be written into the function" if lesson_like else ": add true_bias"))
    if np.abs(np.ravel(targets3) - (inputs3 @ weights + bias)).max() > 0.1 + ROUNDING:
        fail("the noise is larger than noise_range: draw it with rng.uniform(-noise_range, noise_range, ...) "
             "(a normal distribution, or a fixed range of 1, is unbounded or too wide)")
    # Randomness: from rng only.
    first, second = without_global_state(lambda: call(generate_data, 50, np.array([2.0, -3.0]), 5.0,
                                                      np.random.default_rng(3))[0])
    require(np.array_equal(first, second), "the data change with np.random's global state: use rng.uniform(...), "
                                           "not np.random.uniform(...)")
    other = call(generate_data, 50, np.array([2.0, -3.0]), 5.0, np.random.default_rng(4))[0]
    require(not np.array_equal(first, other), "different generators gave the same data: use the rng you are given, "
                                              "not a generator of your own")


# --- init_params -----------------------------------------------------------------------------

def check_init_params(init_params):
    weights, bias = results(call(init_params, 2, np.random.default_rng(0)), "init_params", ("weights", "bias"))
    shape(weights, (2, 1), "weights")
    shape(bias, (1,), "bias")
    weights, bias = results(call(init_params, 200, np.random.default_rng(1), init_range=0.5), "init_params",
                            ("weights", "bias"))
    values = np.append(np.ravel(weights), np.ravel(bias))
    not_constant(values, "weights and bias", "draw them at random, rng.uniform(-init_range, init_range, ...)")
    if np.abs(values).max() <= 0.1:
        fail("every value lies within 0.1 of 0: use init_range instead of a fixed 0.1")
    require(np.abs(values).max() <= 0.5, "some values lie outside [-init_range, init_range]")
    require(values.min() < 0, "the weights are never negative: draw from [-init_range, init_range] "
                              "(rng.random() and rng.uniform(0, r) give only positive values)")
    first, second = without_global_state(lambda: call(init_params, 3, np.random.default_rng(5))[0])
    require(np.array_equal(first, second), "the same seed gave different weights: take every random number from "
                                           "rng, not np.random")
    other = call(init_params, 3, np.random.default_rng(6))[0]
    require(not np.array_equal(first, other), "different generators gave the same weights: use the rng you are given")


# --- predict -----------------------------------------------------------------------------------

def check_predict(predict):
    inputs, weights, bias = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]]), np.array([[2.0], [-3.0]]), np.array([5.0])
    outputs = call(predict, inputs, weights, bias)
    if np.shape(outputs) in ((3, 2), (2, 3)):
        fail(f"the outputs have shape {np.shape(outputs)}: multiply inputs and weights with @ (the matrix product), "
             "not * (element by element)")
    expected = np.array([[1.0], [14.0], [3.5]])
    values = np.ravel(np.asarray(outputs, dtype=float))
    if values.size == 3 and not np.allclose(values, expected.ravel()):
        not_constant(values, "outputs", "that is not inputs @ weights + bias")
        if np.allclose(values, expected.ravel() - 5):
            fail("the outputs miss the bias: add it, outputs = inputs @ weights + bias")
        if np.allclose(values, expected.ravel() - 10):
            fail("the bias is subtracted: outputs = inputs @ weights + bias")
        fail(f"the outputs are not inputs @ weights + bias: they should be [[1], [14], [3.5]], not {values}")
    shape(outputs, (3, 1), "outputs")


# --- l2_loss -------------------------------------------------------------------------------------

def check_l2_loss(l2_loss):
    outputs, targets = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([[1.0], [0.0], [3.0], [0.0]])
    loss = call(l2_loss, outputs, targets)
    require(np.ndim(loss) == 0, f"the loss should be a single number, not an array of shape {np.shape(loss)}: "
                                "np.sum without an axis, or float(...), gives one")
    expected, n, deltas = 2.5, 4, np.ravel(outputs - targets)
    if np.isclose(loss, expected):
        return
    if loss == 0:
        fail("the loss is zero although the outputs differ from the targets: "
             "compute sum((outputs - targets) ** 2) / 2 / n")
    known = [
        (2 * expected, "the loss is twice too large: divide by 2 as well as by n (the 1/2 cancels the 2 of the "
                       "derivative)"),
        (n * expected, "the loss is n times too large: divide by the number of observations n"),
        (n * n * expected, "the loss is n\u00b2 times too large: `/ 2 * n` multiplies by n; write / 2 / n"),
        (expected / 2, "the loss is half the expected value: divide by 2 once, and by n"),
        (np.linalg.norm(deltas) / 2 / n, "the norm of the deltas is not squared: sum the squared deltas instead of "
                                         "taking the square root"),
        (np.sum(np.abs(deltas)) / 2 / n, "the loss adds absolute values: square the deltas instead"),
    ]
    for value, message in known:
        if np.isclose(loss, value):
            fail(message)
    fail(f"the loss should be (0 + 4 + 0 + 16) / 2 / 4 = 2.5, not {loss}")


# --- compute_gradients -------------------------------------------------------------------------

def slopes(inputs, weights, bias, targets, step=1e-6):
    """The slope of the loss in each weight and in the bias, measured by nudging each a little up and down."""
    def loss(w, b):
        return np.sum((inputs @ w + b - targets) ** 2) / 2 / len(targets)
    nudges = np.eye(len(weights))[:, :, None] * step
    weight_slopes = np.array([(loss(weights + e, bias) - loss(weights - e, bias)) / (2 * step) for e in nudges])
    return weight_slopes.reshape(-1, 1), (loss(weights, bias + step) - loss(weights, bias - step)) / (2 * step)


def gradient_mistake(what, computed, expected, n, k):
    if np.all(np.ravel(computed) == 0):
        return f"{what} is all zero: compute the slope of the loss"
    factor = ratio(computed, expected)
    for target, message in [
            (n, f"{what} is n times too large: divide by the number of observations"),
            (-1.0, f"{what} has the wrong sign: the deltas are outputs - targets, not targets - outputs"),
            (2.0, f"{what} is twice too large: the 1/2 in the loss cancels the 2 of the derivative"),
            (0.5, f"{what} is half the expected value"),
            (-float(n), f"{what} is n times too large and of the wrong sign"),
            (n / k, f"{what} is divided by the number of inputs k instead of observations n")]:
        if close_to(factor, target):
            return message
    return f"{what} should be {np.ravel(expected)}, not {np.ravel(computed)}"


def check_compute_gradients(compute_gradients):
    gen = np.random.default_rng(0)
    n, k = 20, 3
    inputs, weights, bias = gen.normal(size=(n, k)), gen.normal(size=(k, 1)), gen.normal(size=1)
    targets = gen.normal(size=(n, 1))
    grad_weights, grad_bias = results(call(compute_gradients, inputs, inputs @ weights + bias, targets),
                                      "compute_gradients", ("grad_weights", "grad_bias"))
    weight_slopes, bias_slope = slopes(inputs, weights, bias, targets)
    computed = np.asarray(grad_weights, dtype=float)
    if computed.shape == (1, k):
        computed = computed.T
    if computed.size == k and not np.allclose(np.ravel(computed), np.ravel(weight_slopes), rtol=1e-5, atol=1e-8):
        fail(gradient_mistake("grad_weights", computed, weight_slopes, n, k))
    bias_value = np.ravel(np.asarray(grad_bias, dtype=float))
    if bias_value.size == 1 and not np.isclose(bias_value[0], bias_slope, rtol=1e-5):
        if close_to(ratio(bias_value, [bias_slope]), n):
            fail("grad_bias is n times too large: it is the mean of the deltas, not their sum")
        fail(gradient_mistake("grad_bias", bias_value, [bias_slope], n, k))
    shape(grad_weights, (k, 1), "grad_weights")
    if np.shape(grad_bias) != ():
        shape(grad_bias, (1,), "grad_bias")


# --- update_params -----------------------------------------------------------------------------

def check_update_params(update_params):
    weights, bias = np.array([[1.0], [2.0]]), np.array([0.5])
    grad_weights, grad_bias, learning_rate = np.array([[10.0], [-10.0]]), np.array([1.0]), 0.1
    new_weights, new_bias = results(call(update_params, weights, bias, grad_weights, grad_bias, learning_rate),
                                    "update_params", ("weights", "bias"))
    require(np.array_equal(weights, [[1.0], [2.0]]) and np.array_equal(bias, [0.5]), (
        "update_params changed the weights it was given, in place (as weights -= ... does): return new arrays, "
        "e.g. new_weights = weights - learning_rate * grad_weights"))
    new_weights, new_bias = np.asarray(new_weights, dtype=float), np.asarray(new_bias, dtype=float)
    if not np.allclose(np.ravel(new_weights), [0.0, 3.0]):
        for candidate, message in [
                ([2.0, 1.0], "the weights move uphill: subtract learning_rate * grad_weights, do not add it"),
                ([-9.0, 12.0], "the step ignores learning_rate: multiply the gradient by it"),
                ([0.9, 2.1], "the step uses a fixed learning rate of 0.01: use learning_rate"),
                ([1.0, 2.0], "the weights do not change: return weights - learning_rate * grad_weights")]:
            if np.allclose(np.ravel(new_weights), candidate):
                fail(message)
        fail(f"the new weights should be [[0], [3]] (weights - learning_rate * grad_weights), "
             f"not {np.ravel(new_weights)}")
    if np.allclose(np.ravel(new_bias), [0.5]):
        fail("the bias does not change: update it too, bias - learning_rate * grad_bias")
    require(np.allclose(np.ravel(new_bias), [0.4]), f"the new bias should be [0.4], not {new_bias}")
    shape(new_weights, (2, 1), "the new weights")
    shape(new_bias, (1,), "the new bias")
    _, float_gradient_bias = call(update_params, weights, bias, grad_weights, 1.0, learning_rate)
    shape(float_gradient_bias, (1,), "with a float grad_bias, the new bias")


# --- train ---------------------------------------------------------------------------------------

def check_train(train, predict, l2_loss, compute_gradients, update_params):
    depends_on("train", [("predict", lambda: check_predict(predict)), ("l2_loss", lambda: check_l2_loss(l2_loss)),
                         ("compute_gradients", lambda: check_compute_gradients(compute_gradients)),
                         ("update_params", lambda: check_update_params(update_params))])
    gen = np.random.default_rng(1)
    inputs, targets = gen.uniform(-1, 1, size=(50, 2)), gen.uniform(-1, 1, size=(50, 1))
    start_weights, start_bias = np.zeros((2, 1)), np.zeros(1)
    start_loss = float(np.sum(targets ** 2) / 2 / 50)
    weights, bias, losses = results(call(train, inputs, targets, start_weights, start_bias, learning_rate=0.1,
                                         n_iterations=5), "train", ("weights", "bias", "losses"))
    losses = np.ravel(np.asarray(losses, dtype=float))
    require(len(losses) == 5, f"losses should hold one loss per iteration, 5 here, not {len(losses)}"
            + (" (is n_iterations ignored?)" if len(losses) in (100, 1000) else ""))
    best, *_ = np.linalg.lstsq(np.column_stack([inputs, np.ones(50)]), targets.ravel(), rcond=None)
    if np.allclose(np.ravel(weights), best[:2], atol=1e-6):
        fail("train returns the exact best fit (solved in closed form?): it must take n_iterations steps of "
             "gradient descent from the given start")
    if np.allclose(np.append(np.ravel(weights), np.ravel(bias)), [2.0, -3.0, 5.0]):
        fail("train returns the lesson's 2, -3 and 5 whatever its data: return the weights and bias it learned "
             "from the inputs and targets it is given")
    if not np.isclose(losses[0], start_loss):
        again = np.ravel(call(train, inputs, targets, start_weights, start_bias, learning_rate=0.1, n_iterations=5)[2])
        if losses[0] < start_loss and np.isclose(again[0], losses[0]):
            fail("losses[0] should be the loss of the starting weights, before any update: record the loss, "
                 "then update")
        fail("the first loss is not the loss of the weights and bias train was given: start from them "
             "(do not initialise new ones inside train)")
    require(not np.allclose(losses, losses[0]), "the loss never changes: keep what update_params returns "
                                                "(weights, bias = update_params(...))")
    slower = np.ravel(call(train, inputs, targets, start_weights, start_bias, learning_rate=0.02, n_iterations=5)[2])
    require(not np.allclose(slower, losses), "the steps do not depend on learning_rate: are they made with a fixed "
                                             "learning rate of 0.01 instead of the learning_rate given?")
    require(np.all(np.diff(losses) < 0), "with a small learning rate the loss should go down at every iteration")
    shape(weights, (2, 1), "the returned weights")
    shape(bias, (1,), "the returned bias")
    more = np.ravel(call(train, inputs, targets, weights, bias, learning_rate=0.1, n_iterations=5)[2])
    require(more[0] < losses[-1], "a second call should continue from the weights it is given: train must start "
                                  "from the weights and bias it is given (not initialise or reset them)")


# --- the pipeline ------------------------------------------------------------------------------

def check_pipeline(generate_data, init_params, train, predict, l2_loss, compute_gradients, update_params):
    depends_on("the pipeline", [
        ("generate_data", lambda: check_generate_data(generate_data)),
        ("init_params", lambda: check_init_params(init_params)),
        ("train", lambda: check_train(train, predict, l2_loss, compute_gradients, update_params))])
    gen = np.random.default_rng(2)
    inputs, targets = generate_data(1000, np.array([2.0, -3.0]), 5.0, gen)
    weights, bias = init_params(2, gen)
    with np.errstate(all="ignore"):
        weights, bias, _ = train(inputs, targets, weights, bias, learning_rate=0.02, n_iterations=500)
    if not np.all(np.isfinite(weights)) or not np.all(np.isfinite(bias)):
        fail("training diverged: the weights became nan or infinite (is a gradient too large, or does the step "
             "go uphill?)")
    require(np.allclose(np.ravel(weights), [2.0, -3.0], atol=0.05), f"weights should end near (2, -3), not "
                                                                    f"{np.ravel(weights)}")
    require(np.allclose(np.ravel(bias), [5.0], atol=0.1), f"bias should end near 5, not {np.ravel(bias)}")
