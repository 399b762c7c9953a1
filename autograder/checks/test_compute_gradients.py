"""Checks of compute_gradients(inputs, outputs, targets), against central finite differences."""
import numpy as np
import pytest

from . import expect, oracles
from .secret import generator

FUNCTION = "compute_gradients"
# CS231n's gradient check: a correct analytic gradient agrees with central
# differences to about 1e-10 relative error; a factor-of-2 bug gives about 0.3.
MAX_RELATIVE_ERROR = 1e-6


def problem(name, n=31, k=3):
    """Random inputs, weights, bias and targets, and the loss as a function of (weights, bias)."""
    gen = generator(name)
    inputs, weights, bias = gen.normal(size=(n, k)), gen.normal(size=(k, 1)), gen.normal(size=1)
    targets = gen.normal(size=(n, 1))

    def loss(weights, bias):
        return oracles.half_mean_squared_error(oracles.outputs(inputs, weights, bias), targets)
    return inputs, weights, bias, targets, loss


def student_gradients(student, inputs, weights, bias, targets):
    value = student.compute_gradients(inputs, oracles.outputs(inputs, weights, bias), targets)
    return expect.results(value, FUNCTION, ("grad_weights", "grad_bias"))


def diagnose(what, computed, expected, n, k):
    """expect.Mistake naming the likely mistake when the gradient is off by a telling factor."""
    if np.all(np.ravel(computed) == 0):
        formula = "the mean of the deltas outputs - targets" if what == "grad_bias" else (
            "inputs.T @ (outputs - targets) / n")
        return expect.Mistake(expect.ZEROS, f"{what} is all zero: compute the slope of the loss, {formula}")
    factor = expect.ratio(computed, expected)
    causes = [
        (n, "gradient n times too large", f"{what} is n times too large: divide by the number of observations"),
        (-1.0, "gradient of the wrong sign",
         f"{what} has the wrong sign: the deltas are outputs - targets, not targets - outputs"),
        (2.0, "gradient twice too large",
         f"{what} is twice too large: the 1/2 in the loss cancels the 2 of the derivative"),
        (0.5, "gradient half the expected value", f"{what} is half the expected value"),
        (-float(n), "gradient n times too large and of the wrong sign",
         f"{what} is n times too large and of the wrong sign"),
        (n / k, "gradient divided by k instead of n",
         f"{what} is divided by the number of inputs k instead of observations n"),
    ]
    for target, cause, message in causes:
        if expect.close_to(factor, target):
            return expect.Mistake(cause, message)
    error = oracles.relative_error(computed, expected)
    return expect.Mistake("wrong values", f"{what} does not match the slope of the loss measured by finite "
                                          f"differences (relative error {error:.2g})")


@pytest.mark.points(2)
def test_weight_gradient_matches_finite_differences(student):
    """Does grad_weights equal the slope of the loss with respect to each weight?"""
    inputs, weights, bias, targets, loss = problem("compute_gradients weights")
    grad_weights, _ = student_gradients(student, inputs, weights, bias, targets)
    computed = expect.matrix(grad_weights, *weights.shape, "grad_weights")
    expected = oracles.numeric_gradient(lambda w: loss(w, bias), weights)
    if oracles.relative_error(computed, expected) > MAX_RELATIVE_ERROR:
        raise diagnose("grad_weights", computed, expected, *inputs.shape)


@pytest.mark.points(2)
def test_bias_gradient_matches_finite_differences(student):
    """Does grad_bias equal the slope of the loss with respect to the bias?"""
    inputs, weights, bias, targets, loss = problem("compute_gradients bias")
    _, grad_bias = student_gradients(student, inputs, weights, bias, targets)
    computed = expect.scalar(grad_bias, "grad_bias")
    expected = oracles.numeric_gradient(lambda b: loss(weights, b), bias)
    if oracles.relative_error(computed, expected) > MAX_RELATIVE_ERROR:
        if expect.close_to(expect.ratio([computed], expected), len(inputs)):
            raise expect.Mistake("gradient n times too large",
                                 "grad_bias is n times too large: it is the mean of the deltas, not their sum")
        raise diagnose("grad_bias", [computed], expected, *inputs.shape)


@pytest.mark.points(1)
@pytest.mark.counts_when("test_weight_gradient_matches_finite_differences",
                         "test_bias_gradient_matches_finite_differences")
def test_shapes(student):
    """Is grad_weights a (k, 1) column and grad_bias of shape (1,) (or a float), for several k?"""
    for k in (1, 2, 5):
        inputs, weights, bias, targets, _ = problem(f"compute_gradients shapes {k}", n=8, k=k)
        grad_weights, grad_bias = student_gradients(student, inputs, weights, bias, targets)
        expect.shape(expect.array(grad_weights, "grad_weights"), (k, 1), f"with {k} inputs, grad_weights")
        if np.shape(grad_bias) != ():
            expect.shape(expect.array(grad_bias, "grad_bias"), (1,), "grad_bias")
