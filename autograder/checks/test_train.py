"""Checks of train(inputs, targets, weights, bias, learning_rate, n_iterations).

train runs with reference versions of predict, l2_loss, compute_gradients and
update_params in place of the student's, so these checks grade the loop
itself, and a mistake in a helper is charged to that helper only.
"""
import numpy as np
import pytest

from . import expect, oracles
from .secret import coefficients, generator

FUNCTION = "train"
# The loss history must be plain gradient descent to this relative tolerance
# (float64 arithmetic done in another order differs by about 1e-14).
HISTORY_RTOL = 1e-6
# How close converged weights and bias must come to the best fit.
WEIGHT_TOLERANCE, BIAS_TOLERANCE = 0.05, 0.1


def problem(name, n=200, k=3, input_range=2.0, noise_range=0.3):
    gen = generator(name)
    weights, bias = coefficients(gen, k)
    inputs = gen.uniform(-input_range, input_range, size=(n, k))
    targets = inputs @ weights.reshape(k, 1) + bias + gen.uniform(-noise_range, noise_range, size=(n, 1))
    start_weights, start_bias = gen.uniform(-0.5, 0.5, size=(k, 1)), gen.uniform(-0.5, 0.5, size=1)
    return gen, inputs, targets, start_weights, start_bias


def run(student, inputs, targets, weights, bias, learning_rate, n_iterations):
    """The student's train with the reference helpers: (weights (k, 1), bias (1,), losses)."""
    value = student.using(reference_helpers=True).train(
        inputs, targets, weights, bias, learning_rate=learning_rate, n_iterations=n_iterations)
    new_weights, new_bias, losses = expect.results(value, FUNCTION, ("weights", "bias", "losses"))
    return (expect.matrix(new_weights, inputs.shape[1], 1, "the returned weights"),
            expect.scalar(new_bias, "the returned bias"), expect.array(losses, "losses", finite=False).ravel())


def history_mistake(result, inputs, targets, weights, bias, learning_rate, n_iterations):
    """expect.Mistake naming the likely mistake behind a wrong loss history."""
    new_weights, new_bias, losses = result
    if len(losses) != n_iterations:
        hint = " (is n_iterations ignored?)" if len(losses) in (100, 1000) else ""
        return expect.Mistake("wrong number of losses" if not hint else "n_iterations ignored",
                              f"losses should hold one loss per iteration, {n_iterations} here, "
                              f"not {len(losses)}{hint}")
    if np.all(losses == 0):
        return expect.Mistake(expect.ZEROS, "the losses are all zero: record l2_loss(outputs, targets) "
                                            "before each update")
    best_weights, best_bias = oracles.least_squares(inputs, targets)
    final_weights = oracles.gradient_descent(inputs, targets, weights, bias, learning_rate, n_iterations)[0]
    if np.allclose(new_weights.ravel(), best_weights, atol=1e-6) and not np.allclose(
            final_weights.ravel(), best_weights, atol=1e-3):
        return expect.Mistake("closed-form solve instead of gradient descent", (
            "train returns the exact best fit (solved in closed form?): it must take n_iterations steps of "
            "gradient descent from the given start"))
    reference = oracles.gradient_descent(inputs, targets, weights, bias, learning_rate, n_iterations + 1)[2]
    if np.allclose(losses, reference[1:], rtol=HISTORY_RTOL):
        return expect.Mistake("loss recorded after the update", (
            "losses[i] should be the loss before the i-th update: record the loss, then update"))
    if not np.isclose(losses[0], reference[0], rtol=HISTORY_RTOL):
        return expect.Mistake("does not start from the weights given", (
            "the first loss is not the loss of the weights and bias train was given: "
            "start from them (do not initialise new ones inside train)"))
    if np.allclose(losses, losses[0], rtol=1e-12):
        return expect.Mistake("updates discarded", ("the loss never changes: keep what update_params returns "
                                                    "(weights, bias = update_params(...))"))
    for fixed in (0.01, 0.001, 0.1):
        if np.allclose(losses, oracles.gradient_descent(inputs, targets, weights, bias, fixed, n_iterations)[2],
                       rtol=HISTORY_RTOL):
            return expect.Mistake("fixed learning rate",
                                  f"the steps use a learning rate of {fixed}, not the learning_rate given")
    return expect.Mistake("wrong values", "the losses are not those of plain gradient descent from the given start")


@pytest.mark.points(2)
def test_loss_history_matches_gradient_descent(student):
    """Are the losses exactly those of plain gradient descent from the given start, rate and iteration count?"""
    gen, inputs, targets, weights, bias = problem("train history")
    learning_rate, n_iterations = float(np.round(gen.uniform(0.05, 0.2), 3)), int(gen.integers(15, 40))
    result = run(student, inputs, targets, weights, bias, learning_rate, n_iterations)
    expected = oracles.gradient_descent(inputs, targets, weights, bias, learning_rate, n_iterations)[2]
    losses = result[2]
    if losses.shape != expected.shape or not np.allclose(losses, expected, rtol=HISTORY_RTOL):
        raise history_mistake(result, inputs, targets, weights, bias, learning_rate, n_iterations)


@pytest.mark.points(1)
def test_returns_weights_and_bias_after_the_last_update(student):
    """Does train return the weights (k, 1) and bias (1,) after its last update?"""
    gen, inputs, targets, weights, bias = problem("train result", k=2)
    learning_rate, n_iterations = 0.1, int(gen.integers(5, 15))
    value = student.using(reference_helpers=True).train(
        inputs, targets, weights, bias, learning_rate=learning_rate, n_iterations=n_iterations)
    expect.shapes(value, FUNCTION, {"weights": (2, 1), "bias": (1,), "losses": None}, "the returned ")
    new_weights, new_bias, _ = value
    if np.allclose(np.append(new_weights, new_bias), [2.0, -3.0, 5.0]):
        raise expect.Mistake("lesson's numbers written in",
                             "train returns the lesson's 2, -3 and 5 whatever its data: return the weights "
                             "and bias it learned from the inputs and targets it is given")
    expected_weights, expected_bias, _ = oracles.gradient_descent(
        inputs, targets, weights, bias, learning_rate, n_iterations)
    new_weights, new_bias = expect.array(new_weights, "weights"), expect.array(new_bias, "bias")
    if np.allclose(new_weights, weights) and np.allclose(new_bias, bias):
        raise expect.Mistake("returns the weights it was given", (
            "train returns the weights and bias it was given: return those after the last update"))
    updated = (np.allclose(new_weights, expected_weights, rtol=HISTORY_RTOL)
               and np.allclose(new_bias, expected_bias, rtol=HISTORY_RTOL))
    expect.require(updated, "does not return the updated weights", (
        f"after {n_iterations} iterations the returned weights and bias are not those of gradient descent "
        "from the given start: return the updated weights and bias"))


@pytest.mark.points(1)
def test_converges_to_the_best_fit(student):
    """Given enough iterations, do the weights and bias converge to the coefficients behind the data?"""
    gen, inputs, targets, weights, bias = problem("train convergence", n=500, k=4, input_range=3.0)
    new_weights, new_bias, losses = run(student, inputs, targets, weights, bias, 0.1, 600)
    best_weights, best_bias = oracles.least_squares(inputs, targets)
    expect.require(np.allclose(new_weights.ravel(), best_weights, atol=WEIGHT_TOLERANCE) and abs(
        new_bias - best_bias) < BIAS_TOLERANCE, "does not converge", (
        f"after 600 iterations at learning rate 0.1 the weights and bias should be within {WEIGHT_TOLERANCE} "
        f"and {BIAS_TOLERANCE} of the best fit; are the updates applied at every iteration?"))


@pytest.mark.points(1)
def test_second_call_continues_training(student):
    """Does calling train again with the weights it returned continue where it stopped?"""
    gen, inputs, targets, weights, bias = problem("train continues", k=2)
    learning_rate, n_iterations = 0.08, 12
    once_weights, once_bias, _ = run(student, inputs, targets, weights, bias, learning_rate, 2 * n_iterations)
    middle_weights, middle_bias, _ = run(student, inputs, targets, weights, bias, learning_rate, n_iterations)
    twice_weights, twice_bias, _ = run(student, inputs, targets, middle_weights, np.array([middle_bias]),
                                       learning_rate, n_iterations)
    if np.allclose(middle_weights, once_weights) and np.isclose(middle_bias, once_bias):
        raise expect.Mistake("updates discarded",
                             f"train returned the same weights and bias after {n_iterations} and after "
                             f"{2 * n_iterations} iterations: it must update them at every iteration")
    # Judged against train itself, not against gradient descent: this check is
    # only about starting from what it is given (other checks judge the steps).
    expect.require(np.allclose(twice_weights, once_weights, rtol=HISTORY_RTOL) and np.isclose(
        twice_bias, once_bias, rtol=HISTORY_RTOL), "does not start from the weights given", (
        f"{n_iterations} iterations and then {n_iterations} more, started from the weights and bias the first "
        f"call returned, should end where {2 * n_iterations} iterations in one call end: train must start from "
        "the weights and bias it is given (not initialise or reset them)"))
