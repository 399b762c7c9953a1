"""Checks of init_params(n_inputs, rng, init_range)."""
import numpy as np
import pytest

from . import expect
from .secret import generator

FUNCTION = "init_params"


def initialise(student, n_inputs, seed, **kwargs):
    """The student's (weights, bias) as a (k, 1) and a (1,) float array (any layout accepted)."""
    value = student.init_params(n_inputs, np.random.default_rng(seed), **kwargs)
    weights, bias = expect.results(value, FUNCTION, ("weights", "bias"))
    weights = expect.array(weights, "weights")
    bias = expect.array(bias, "bias")
    if weights.size != n_inputs:
        raise expect.Mistake("wrong number of weights",
                             f"with {n_inputs} inputs there should be {n_inputs} weights, not {weights.size}")
    if bias.size != 1:
        raise expect.Mistake("bias not of shape (1,)", "the bias should be a single number in an array of "
                                                       f"shape (1,), not shape {bias.shape}")
    expect.not_constant(np.append(weights, bias), "weights and bias",
                        "draw them at random, rng.uniform(-init_range, init_range, ...)")
    return weights.reshape(n_inputs, 1), bias.reshape(1)


@pytest.mark.points(1)
@pytest.mark.counts_when("test_values_in_range")
def test_shapes(student):
    """Are the weights a (k, 1) column and the bias of shape (1,), for several k?"""
    gen = generator("init_params shapes")
    for n_inputs in (1, 2, 4, 7):
        value = student.init_params(n_inputs, np.random.default_rng(int(gen.integers(1 << 30))))
        expect.shapes(value, FUNCTION, {"weights": (n_inputs, 1), "bias": (1,)}, f"with {n_inputs} inputs, ")


@pytest.mark.points(1)
def test_values_in_range(student):
    """Are the values drawn from all of [-init_range, init_range]?"""
    gen = generator("init_params range")
    init_range = float(np.round(gen.uniform(0.3, 0.9), 2))
    weights, bias = initialise(student, 500, int(gen.integers(1 << 30)), init_range=init_range)
    values = np.append(weights, bias)
    if np.abs(values).max() <= 0.1:
        raise expect.Mistake("init_range ignored (fixed at 0.1)",
                             "every value lies within 0.1 of 0: use init_range instead of a fixed 0.1")
    expect.covers_range(values, init_range, "values", "init_range")


@pytest.mark.points(1)
def test_both_signs(student):
    """Do the weights and the bias take negative as well as positive values?"""
    gen = generator("init_params signs")
    weights, _ = initialise(student, 200, int(gen.integers(1 << 30)))
    biases = [initialise(student, 1, int(seed))[1][0] for seed in gen.integers(1 << 30, size=24)]
    expect.require(len(set(biases)) > 1, "a generator of its own", (
        "generators with different seeds all gave the same bias: use the rng you are given, not a generator of "
        "your own"))
    for what, values in (("weights", weights), ("bias", np.array(biases))):
        expect.require(values.min() < 0 < values.max(), "only positive (or only negative) values", (
            f"the {what} are never {'negative' if values.min() >= 0 else 'positive'}: draw from "
            "[-init_range, init_range] (rng.random() and rng.uniform(0, r) give only positive values)"))


@pytest.mark.points(1)
@pytest.mark.counts_when("test_values_in_range")
def test_reproducible_from_rng(student):
    """Does the same seed give the same start, whatever np.random's global state, and another seed another start?"""
    gen = generator("init_params rng")
    seed, other_seed = (int(s) for s in gen.integers(1 << 30, size=2))
    first, second = (
        expect.results(student.using(global_seed=int(state)).init_params(3, np.random.default_rng(seed)),
                       FUNCTION, ("weights", "bias"))
        for state in gen.integers(1 << 30, size=2))
    expect.require(np.array_equal(expect.array(first[0], "weights"), expect.array(second[0], "weights")),
                   "np.random instead of rng",
                   "the same seed gave different weights: take every random number from rng, not np.random")
    other, _ = initialise(student, 3, other_seed)
    expect.require(not np.array_equal(expect.array(first[0], "weights").reshape(3, 1), other),
                   "a generator of its own", "different generators gave the same weights: use the rng you are given")
