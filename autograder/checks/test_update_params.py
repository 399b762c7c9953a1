"""Checks of update_params(weights, bias, grad_weights, grad_bias, learning_rate)."""
import numpy as np
import pytest

from . import expect
from .secret import generator

FUNCTION = "update_params"


def step(name, k=4):
    gen = generator(name)
    return (gen.normal(size=(k, 1)), gen.normal(size=1), gen.normal(size=(k, 1)), gen.normal(size=1),
            float(np.round(gen.uniform(0.02, 0.09), 3)))


def updated(student, weights, bias, grad_weights, grad_bias, learning_rate):
    value = student.update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    new_weights, new_bias = expect.results(value, FUNCTION, ("weights", "bias"))
    return (expect.matrix(new_weights, len(weights), 1, "the new weights"),
            expect.scalar(new_bias, "the new bias"))


@pytest.mark.points(1)
def test_takes_one_step_downhill(student):
    """Are the new values weights - learning_rate * grad_weights and bias - learning_rate * grad_bias?"""
    weights, bias, grad_weights, grad_bias, learning_rate = step("update_params step")
    new_weights, new_bias = updated(student, weights, bias, grad_weights, grad_bias, learning_rate)
    expected_weights = weights - learning_rate * grad_weights
    expected_bias = float(bias[0] - learning_rate * grad_bias[0])
    if np.allclose(new_weights, expected_weights) and np.isclose(new_bias, expected_bias):
        return
    expect.not_constant(np.append(new_weights, new_bias), "new weights and bias",
                        "return weights - learning_rate * grad_weights and bias - learning_rate * grad_bias")
    if np.allclose(new_weights, weights) and np.isclose(new_bias, bias[0]):
        raise expect.Mistake("no step taken", "the weights and the bias do not change: return "
                                              "weights - learning_rate * grad_weights and the same for the bias")
    if np.allclose(new_weights, weights + learning_rate * grad_weights):
        raise expect.Mistake("step uphill", "the weights move uphill: subtract learning_rate * grad_weights, "
                                            "do not add it")
    if np.allclose(new_weights, weights - grad_weights):
        raise expect.Mistake("learning_rate ignored", "the step ignores learning_rate: multiply the gradient by it")
    if np.allclose(new_weights, weights - 0.01 * grad_weights):
        raise expect.Mistake("fixed learning rate", "the step uses a fixed learning rate of 0.01: use learning_rate")
    if not np.allclose(new_weights, expected_weights):
        raise expect.Mistake("wrong values", "the new weights are not weights - learning_rate * grad_weights")
    if np.isclose(new_bias, bias[0]):
        raise expect.Mistake("bias not updated", "the bias does not change: update it too, "
                                                 "bias - learning_rate * grad_bias")
    if np.isclose(new_bias, bias[0] + learning_rate * grad_bias[0]):
        raise expect.Mistake("step uphill", "the bias moves uphill: subtract learning_rate * grad_bias")
    raise expect.Mistake("wrong values", "the new bias is not bias - learning_rate * grad_bias")


@pytest.mark.points(1)
@pytest.mark.counts_when("test_takes_one_step_downhill")
def test_shapes_are_kept(student):
    """Do the new weights stay a (k, 1) column and the bias (1,), also when grad_bias is a float?"""
    for k, float_bias_gradient in [(1, False), (3, False), (3, True)]:
        weights, bias, grad_weights, grad_bias, learning_rate = step(f"update_params shapes {k}", k)
        if float_bias_gradient:
            grad_bias = float(grad_bias[0])
        value = student.update_params(weights, bias, grad_weights, grad_bias, learning_rate)
        expect.shapes(value, FUNCTION, {"weights": (k, 1), "bias": (1,)}, f"with {k} inputs, the new ")


@pytest.mark.points(1)
@pytest.mark.counts_when("test_takes_one_step_downhill")
def test_arguments_are_not_modified(student):
    """Are the arrays passed in left unchanged (new arrays returned)?"""
    arguments = step("update_params in place")
    _, after = student.using(return_arguments=True).update_params(*arguments)
    names = ("weights", "bias", "grad_weights", "grad_bias")
    for name, before, now in zip(names, arguments, after):
        expect.require(np.array_equal(before, expect.array(now, name)), "update in place", (
            f"update_params changed the {name} it was given, in place (as {name} -= ... does): "
            "return new arrays, e.g. new_weights = weights - learning_rate * grad_weights"))
