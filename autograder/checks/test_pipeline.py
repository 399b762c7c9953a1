"""The student's own generate_data, init_params and train, working together.

Unlike every other check, this one uses only the student's code, so a
mistake anywhere may cost its points too: it is tagged `pipeline`.
"""
import numpy as np
import pytest

from . import expect, oracles, probes
from .secret import coefficients, generator

# Learning rate 0.01 and 100 iterations do not converge (the bias is still
# near 3.2); 0.02 and 500 do, well within these tolerances.
LEARNING_RATE, N_ITERATIONS = 0.02, 500
WEIGHT_TOLERANCE, BIAS_TOLERANCE = 0.05, 0.1
N_OBSERVATIONS = 1000


def learn(student, learner, true_weights, true_bias, seed):
    """Run the student's pipeline; return what it learned and the run's data.
    `learner` is the student's notebook in a sandbox of its own, where train
    knows only the data it is given: nothing generate_data left behind (a
    global, a file) can reach it."""
    data = student.generate_data(N_OBSERVATIONS, np.array(true_weights), true_bias, np.random.default_rng(seed))
    inputs, targets = expect.results(data, "generate_data", ("inputs", "targets"))
    if np.shape(targets) == (N_OBSERVATIONS,):
        # Not worth running: every step would work on (n, n) arrays, and may run out of time doing so.
        raise expect.Mistake("flat array instead of a column", (
            "generate_data returns flat targets, shape (n,): in train, outputs (n, 1) - targets (n,) broadcasts "
            "to (n, n), so nothing can be learned. Make the targets a column (n, 1)"))
    start = learner.init_params(len(true_weights), np.random.default_rng(seed + 1))
    weights, bias = expect.results(start, "init_params", ("weights", "bias"))
    value = learner.train(inputs, targets, weights, bias, learning_rate=LEARNING_RATE, n_iterations=N_ITERATIONS)
    weights, bias, losses = expect.results(value, "train", ("weights", "bias", "losses"))
    weights, bias = expect.array(weights, "the learned weights", finite=False).ravel(), expect.array(
        bias, "the learned bias", finite=False).ravel()
    if bias.size != 1:
        raise expect.Mistake("bias not of shape (1,)",
                             f"the learned bias should be a single number, not shape {bias.shape}")
    return (weights, float(bias[0]), expect.array(losses, "losses", finite=False).ravel(),
            expect.array(inputs, "inputs"), expect.array(targets, "targets"))


def diverged(weights, bias):
    return not (np.all(np.isfinite(weights)) and np.isfinite(bias))


@pytest.mark.points(2)
def test_learns_the_coefficients(student, artifacts):
    """Do your generate_data, init_params and train together learn 2, -3 and 5, and other coefficients too?"""
    learner = student.fresh()
    with probes.explaining_generate_data(student):
        weights, bias, losses, inputs, targets = learn(student, learner, [2.0, -3.0], 5.0, seed=2)
    if inputs.shape == (N_OBSERVATIONS, 2) and targets.size == N_OBSERVATIONS and weights.size == 2:
        artifacts.update(losses=losses, targets=targets.ravel(),
                         outputs=oracles.outputs(inputs, weights, bias).ravel(), weights=weights, bias=bias)
    setting = f"learning rate {LEARNING_RATE} and {N_ITERATIONS} iterations"
    if diverged(weights, bias):
        raise expect.Mistake("training diverged",
                             f"with {setting}, training diverged: the weights became nan or infinite "
                             "(is a gradient too large, or does the step go uphill?)")
    expect.require(weights.size == 2 and np.allclose(weights, [2.0, -3.0], atol=WEIGHT_TOLERANCE) and abs(
        bias - 5.0) < BIAS_TOLERANCE, "does not learn the coefficients", (
        f"with {setting}, your own functions should learn weights within {WEIGHT_TOLERANCE} of (2, -3) "
        f"and a bias within {BIAS_TOLERANCE} of 5"))
    gen = generator("pipeline secret")
    secret_weights, secret_bias = coefficients(gen, 3)
    with probes.explaining_generate_data(student):
        weights, bias, *_ = learn(student, learner, secret_weights, secret_bias, seed=int(gen.integers(1 << 30)))
    expect.require(weights.size == 3 and np.allclose(weights, secret_weights, atol=WEIGHT_TOLERANCE) and abs(
        bias - secret_bias) < BIAS_TOLERANCE, "lesson's numbers written in", (
        f"your functions learn 2, -3 and 5 but not other coefficients given to generate_data "
        f"(with {setting}): are the lesson's numbers written into a function?"))
