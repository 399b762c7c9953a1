"""Checks of generate_data(n_observations, true_weights, true_bias, rng, input_range, noise_range)."""
import numpy as np
import pytest

from . import expect, oracles, probes
from .secret import coefficients, generator

FUNCTION = "generate_data"
# A uniform variable on [-r, r] has standard deviation r / sqrt(3).
UNIFORM_STD = 1 / np.sqrt(3)
# Sample statistics of n draws may stray this many standard errors from the truth.
STANDARD_ERRORS = 5
# Correlation between independent columns of 2000 rows stays within a few times 1/sqrt(2000) = 0.02.
MAX_CORRELATION = 0.15
RANDOM_INPUTS = "rng.uniform(-input_range, input_range, size=(n_observations, k))"


def generate(student, n, weights, bias, seed, **kwargs):
    """The student's (inputs, targets) as an (n, k) and an (n, 1) float array."""
    with probes.explaining_generate_data(student):
        value = student.generate_data(n, np.asarray(weights, dtype=float), bias, np.random.default_rng(seed),
                                      **kwargs)
        inputs, targets = expect.results(value, FUNCTION, ("inputs", "targets"))
        inputs, targets = expect.matrix(inputs, n, len(weights), "inputs"), expect.column(targets, n, "targets")
    expect.not_constant(inputs, "inputs", f"draw them at random, {RANDOM_INPUTS}")
    expect.not_constant(targets, "targets", "compute them, inputs @ true_weights (as a column) + true_bias + noise")
    return inputs, targets


@pytest.mark.points(1)
@pytest.mark.counts_when("test_inputs_cover_the_range", "test_least_squares_recovers_the_coefficients")
def test_shapes_for_several_k(student):
    """Are inputs (n, k) and targets (n, 1) for 1, 2, 3 and 5 inputs?"""
    gen = generator("generate_data shapes")
    for n, k in [(40, 1), (25, 2), (31, 3), (12, 5)]:
        weights, bias = coefficients(gen, k)
        with probes.explaining_generate_data(student):
            value = student.generate_data(n, weights, bias, np.random.default_rng(int(gen.integers(1 << 30))))
            expect.shapes(value, FUNCTION, {"inputs": (n, k), "targets": (n, 1)},
                          f"with {n} observations of {k} inputs, ")


@pytest.mark.points(1)
def test_inputs_cover_the_range(student):
    """Are the inputs spread uniformly over [-input_range, input_range]?"""
    gen = generator("generate_data range")
    n, k, input_range = 3000, 3, float(np.round(gen.uniform(2.5, 6.0), 2))
    weights, bias = coefficients(gen, k)
    inputs, _ = generate(student, n, weights, bias, int(gen.integers(1 << 30)), input_range=input_range)
    if 9 < np.abs(inputs).max() <= 10:
        raise expect.Mistake("input_range ignored (fixed at 10)",
                             "some inputs lie outside [-input_range, input_range]: the range looks fixed at 10, "
                             "use input_range")
    expect.covers_range(inputs, input_range, "inputs", "input_range")
    means, stds = inputs.mean(axis=0), inputs.std(axis=0)
    spread_error = STANDARD_ERRORS * input_range * UNIFORM_STD / np.sqrt(n)
    expect.require(np.all(np.abs(means) < spread_error), "inputs not centred on 0",
                   "the inputs are not centred on 0: draw them from [-input_range, input_range]")
    expect.require(np.allclose(stds, input_range * UNIFORM_STD, rtol=0.05), "inputs not uniform",
                   "the inputs are not spread like a uniform distribution: use rng.uniform, not rng.normal")


@pytest.mark.points(1)
def test_noise_is_uniform_and_bounded(student):
    """Is the noise on the targets uniform on [-noise_range, noise_range] and centred on 0?"""
    gen = generator("generate_data noise")
    n, k, noise_range = 4000, 2, float(np.round(gen.uniform(0.2, 0.6), 2))
    weights, bias = coefficients(gen, k)
    inputs, targets = generate(student, n, weights, bias, int(gen.integers(1 << 30)), noise_range=noise_range)
    fitted_weights, fitted_bias = oracles.least_squares(inputs, targets)
    noise = targets.ravel() - inputs @ fitted_weights - fitted_bias
    spread = noise.std()
    if spread < 0.05 * noise_range:
        raise expect.Mistake("no noise", "the targets carry no noise: add noise drawn uniformly from "
                                         "[-noise_range, noise_range]")
    expect.require(np.abs(noise).max() <= 1.05 * noise_range, "noise too large or not uniform", (
        "the noise is larger than noise_range: draw it with rng.uniform(-noise_range, noise_range, ...) "
        "(a normal distribution, or a fixed range of 1, is unbounded or too wide)"))
    offset = fitted_bias - bias  # where the noise is centred (if the bias itself is right)
    if spread == pytest.approx(noise_range * UNIFORM_STD / 2, rel=0.1) and abs(offset) == pytest.approx(
            noise_range / 2, rel=0.1):
        raise expect.Mistake("noise not centred on 0", "the noise lies in [0, noise_range]: it should be centred on 0, "
                             "drawn from [-noise_range, noise_range]")
    expect.require(spread == pytest.approx(noise_range * UNIFORM_STD, rel=0.1), "noise not uniform on the range", (
        "the noise is not spread like a uniform distribution on [-noise_range, noise_range]"))


@pytest.mark.points(1)
def test_columns_are_independent(student):
    """Is every input column drawn separately (no column repeats another)?"""
    gen = generator("generate_data columns")
    n, k = 2000, 4
    weights, bias = coefficients(gen, k)
    inputs, _ = generate(student, n, weights, bias, int(gen.integers(1 << 30)))
    correlation = np.corrcoef(inputs, rowvar=False)
    off_diagonal = np.abs(correlation[~np.eye(k, dtype=bool)])
    expect.require(np.all(np.isfinite(off_diagonal)), expect.CONSTANT,
                   "some input columns are constant: draw every column at random")
    expect.require(off_diagonal.max() < MAX_CORRELATION, "input columns repeat each other", (
        "some input columns move together (or repeat each other): draw each column separately, "
        "for example rng.uniform(-input_range, input_range, size=(n, k))"))


@pytest.mark.points(1)
def test_least_squares_recovers_the_coefficients(student):
    """Do the targets follow inputs @ true_weights + true_bias for the coefficients given?"""
    gen = generator("generate_data coefficients")
    n, k, noise_range = 3000, 3, 0.5
    weights, bias = coefficients(gen, k)
    inputs, targets = generate(student, n, weights, bias, int(gen.integers(1 << 30)), noise_range=noise_range)
    if np.linalg.matrix_rank(inputs, tol=1e-6 * np.abs(inputs).max()) < k:
        raise expect.Mistake("input columns repeat each other",
                             "some input columns repeat each other, so no fit can tell their weights apart: "
                             "draw each column separately")
    fitted_weights, fitted_bias = oracles.least_squares(inputs, targets)
    lesson_like = np.allclose(fitted_weights[:2], [2.0, -3.0], atol=0.05) or abs(fitted_bias - 5.0) < 0.1
    if not np.allclose(fitted_weights, weights, atol=0.02):
        cause, hint = (("lesson's numbers written in", ": the lesson's 2, -3 and 5 seem to be written into the "
                        "function; use true_weights and true_bias") if lesson_like
                       else ("true_weights not used", ": use true_weights (as a (k, 1) column) for the targets"))
        raise expect.Mistake(cause, "a least-squares fit of your targets on your inputs does not give back "
                             "the weights generate_data was given" + hint)
    if abs(fitted_bias - bias) > 0.05:
        if abs(abs(fitted_bias - bias) - noise_range / 2) < 0.05:
            raise expect.Mistake("noise not centred on 0", "the targets are shifted by about noise_range / 2: "
                                 "the noise must be centred, drawn from [-noise_range, noise_range]")
        cause, hint = (("lesson's numbers written in", ": the lesson's 5 seems to be written into the function")
                       if lesson_like else ("true_bias not added", ": add true_bias"))
        raise expect.Mistake(cause, "a least-squares fit of your targets gives the weights back but not the bias"
                             + hint)


@pytest.mark.points(1)
@pytest.mark.counts_when("test_inputs_cover_the_range")
def test_same_seed_gives_same_data(student):
    """Do two generators with the same seed give the same data?"""
    gen = generator("generate_data seed")
    weights, bias = coefficients(gen, 2)
    seed = int(gen.integers(1 << 30))
    first = generate(student, 50, weights, bias, seed)
    second = generate(student, 50, weights, bias, seed)
    expect.require(all(np.array_equal(a, b) for a, b in zip(first, second)), "np.random instead of rng",
                   "two calls with generators seeded alike gave different data: take every random number from rng")


@pytest.mark.points(1)
@pytest.mark.counts_when("test_inputs_cover_the_range")
def test_randomness_comes_from_rng(student):
    """Does all the randomness come from rng, not from np.random's global state or a generator of your own?"""
    gen = generator("generate_data rng")
    weights, bias = coefficients(gen, 2)
    seed = int(gen.integers(1 << 30))
    global_states = gen.integers(1 << 30, size=2)
    first, second = (
        student.using(global_seed=int(state)).generate_data(50, weights, bias, np.random.default_rng(seed))
        for state in global_states)
    first, second = (expect.results(value, FUNCTION, ("inputs", "targets")) for value in (first, second))
    same = all(np.array_equal(expect.array(a, "inputs"), expect.array(b, "inputs")) for a, b in zip(first, second))
    expect.require(same, "np.random instead of rng", "the data change with np.random's global state: use "
                   "rng.uniform(...), not np.random.uniform(...)")
    other = generate(student, 50, weights, bias, seed + 1)
    expect.require(not np.array_equal(expect.array(first[0], "inputs"), other[0]), "a generator of its own", (
        "different generators gave the same data: use the rng you are given, not a generator of your own"))
