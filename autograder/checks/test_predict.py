"""Checks of predict(inputs, weights, bias)."""
import numpy as np
import pytest

from . import expect, oracles
from .secret import generator


@pytest.mark.points(1)
def test_values(student):
    """Are the outputs inputs @ weights + bias, for every observation?"""
    gen = generator("predict values")
    n, k = 17, 3
    inputs, weights, bias = gen.normal(size=(n, k)), gen.normal(size=(k, 1)), gen.normal(size=1)
    value = student.predict(inputs, weights, bias)
    if np.shape(value) in ((n, k), (k, n)):
        raise expect.Mistake("* instead of @ (elementwise product)",
                             f"the outputs have shape {np.shape(value)}: multiply inputs and weights with @ "
                             "(the matrix product), not * (element by element)")
    outputs = expect.column(value, n, "outputs")
    expected = oracles.outputs(inputs, weights, bias)
    if np.allclose(outputs, expected):
        return
    expect.not_constant(outputs, "outputs", "that is not inputs @ weights + bias")
    if np.allclose(outputs, expected - bias):
        raise expect.Mistake("bias missing", "the outputs miss the bias: add it, outputs = inputs @ weights + bias")
    if np.allclose(outputs, expected - 2 * bias):
        raise expect.Mistake("bias subtracted", "the bias is subtracted: outputs = inputs @ weights + bias")
    raise expect.Mistake("wrong values",
                         "the outputs are not inputs @ weights + bias (one row of inputs times the weights, "
                         "plus the bias, for each observation)")


@pytest.mark.points(1)
@pytest.mark.counts_when("test_values")
def test_output_is_a_column(student):
    """Are the outputs a column of shape (n, 1), for several n and k?"""
    gen = generator("predict shapes")
    for n, k in [(1, 1), (6, 2), (9, 4)]:
        outputs = student.predict(gen.normal(size=(n, k)), gen.normal(size=(k, 1)), gen.normal(size=1))
        expect.shape(expect.array(outputs, "outputs"), (n, 1), f"with {n} observations of {k} inputs, outputs")
