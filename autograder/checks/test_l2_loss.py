"""Checks of l2_loss(outputs, targets)."""
import numpy as np
import pytest

from . import expect, oracles
from .secret import generator


@pytest.mark.points(1)
def test_value(student):
    """Is the loss sum((outputs - targets) ** 2) / 2 / n?"""
    gen = generator("l2_loss value")
    n = 23
    outputs, targets = gen.normal(3, 2, size=(n, 1)), gen.normal(size=(n, 1))
    loss = expect.scalar(student.l2_loss(outputs, targets), "the loss")
    expected = oracles.half_mean_squared_error(outputs, targets)
    if loss == pytest.approx(expected, rel=1e-9):
        return
    deltas = np.ravel(outputs - targets)
    if loss == 0:
        raise expect.Mistake(expect.ZEROS, "the loss is zero although the outputs differ from the targets: "
                                           "compute sum((outputs - targets) ** 2) / 2 / n")
    known = [
        (2 * expected, "loss not halved", "the loss is twice too large: divide by 2 as well as by n "
                                          "(the 1/2 cancels the 2 of the derivative)"),
        (n * expected, "loss n times too large",
         f"the loss is {n} times too large (n times): divide by the number of observations n"),
        (n * n * expected, "/ 2 * n instead of / 2 / n",
         "the loss is n\u00b2 times too large: `/ 2 * n` multiplies by n; write / 2 / n"),
        (expected / 2, "loss halved twice", "the loss is half the expected value: divide by 2 once, and by n"),
        (np.linalg.norm(deltas) / 2 / n, "norm not squared", "the norm of the deltas is not squared: sum the "
                                                             "squared deltas instead of taking the square root"),
        (np.sum(np.abs(deltas)) / 2 / n, "absolute values instead of squares",
         "the loss adds absolute values: square the deltas instead"),
    ]
    for value, cause, message in known:
        if loss == pytest.approx(value, rel=1e-6):
            raise expect.Mistake(cause, message)
    raise expect.Mistake("wrong values", "the loss is not sum((outputs - targets) ** 2) / 2 / n")


@pytest.mark.points(1)
@pytest.mark.counts_when("test_value")
def test_is_a_single_number(student):
    """Is the loss a single number (a float), not an array?"""
    gen = generator("l2_loss scalar")
    loss = student.l2_loss(gen.normal(size=(9, 1)), gen.normal(size=(9, 1)))
    array = expect.array(loss, "the loss")
    expect.require(array.ndim == 0, "not a single number", (
        f"the loss should be a single number, but it is {expect.describe(loss)}: "
        "np.sum without an axis, or float(...), gives one"))
