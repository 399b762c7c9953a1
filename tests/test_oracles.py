"""The checks' oracles and the reference helpers train runs with: two
independent formulations that must agree with each other and with calculus."""
import numpy as np
import pytest

from autograder.checks import oracles, secret
from autograder.sandbox import reference


@pytest.fixture
def problem():
    gen = np.random.default_rng(11)
    inputs, targets = gen.normal(size=(40, 3)), gen.normal(size=(40, 1))
    return inputs, targets, gen.normal(size=(3, 1)), gen.normal(size=1)


def test_numeric_gradient_agrees_with_calculus():
    """Do central differences give the analytic gradient of a quadratic?"""
    matrix = np.array([[3.0, 1.0], [1.0, 2.0]])
    point = np.array([0.7, -1.3])
    numeric = oracles.numeric_gradient(lambda x: 0.5 * x @ matrix @ x, point)
    assert oracles.relative_error(numeric, matrix @ point) < 1e-8


def test_relative_error_tells_a_factor_of_two():
    """Is the relative error 0 for equal gradients and 1/3 for one twice too large (CS231n's yardstick)?"""
    gradient = np.array([0.5, -2.0, 3.0])
    assert oracles.relative_error(gradient, gradient) == 0
    assert oracles.relative_error(2 * gradient, gradient) == pytest.approx(1 / 3)


def test_reference_helpers_agree_with_the_oracles(problem):
    """Do the reference helpers train runs with agree with the independent oracles?"""
    inputs, targets, weights, bias = problem
    outputs = reference.predict(inputs, weights, bias)
    assert np.allclose(outputs, oracles.outputs(inputs, weights, bias))
    assert reference.l2_loss(outputs, targets) == pytest.approx(oracles.half_mean_squared_error(outputs, targets))
    grad_weights, grad_bias = reference.compute_gradients(inputs, outputs, targets)

    def loss(w, b):
        return oracles.half_mean_squared_error(oracles.outputs(inputs, w, b), targets)
    assert oracles.relative_error(grad_weights, oracles.numeric_gradient(lambda w: loss(w, bias), weights)) < 1e-7
    assert oracles.relative_error(grad_bias, oracles.numeric_gradient(lambda b: loss(weights, b), bias)) < 1e-7


def test_gradient_descent_oracle_matches_a_loop_of_reference_steps(problem):
    """Does the oracle's descent equal predict, loss, gradients and update repeated with the reference helpers?"""
    inputs, targets, weights, bias = problem
    expected_weights, expected_bias, expected_losses = oracles.gradient_descent(inputs, targets, weights, bias, 0.1, 25)
    losses = []
    for _ in range(25):
        outputs = reference.predict(inputs, weights, bias)
        losses.append(reference.l2_loss(outputs, targets))
        weights, bias = reference.update_params(weights, bias, *reference.compute_gradients(inputs, outputs, targets), 0.1)
    assert np.allclose(losses, expected_losses, rtol=1e-12)
    assert np.allclose(weights, expected_weights) and np.allclose(bias, expected_bias)


def test_least_squares_recovers_exact_coefficients():
    """Does the least-squares oracle give back the coefficients of noiseless data?"""
    gen = np.random.default_rng(3)
    inputs = gen.uniform(-5, 5, size=(50, 2))
    weights, bias = oracles.least_squares(inputs, inputs @ np.array([[1.5], [-0.5]]) + 2.0)
    assert np.allclose(weights, [1.5, -0.5]) and bias == pytest.approx(2.0)


def test_secret_coefficients_are_reproducible_and_not_the_lessons():
    """Are the secret coefficients the same on every run, and never the lesson's 2, -3 or 5?"""
    first = secret.coefficients(secret.generator("x"), 50)
    again = secret.coefficients(secret.generator("x"), 50)
    assert np.array_equal(first[0], again[0]) and first[1] == again[1]
    assert not np.isin(np.append(first[0], first[1]), [2.0, -3.0, 5.0]).any()
    assert (np.abs(first[0]) >= 0.5).all()


def test_the_reference_helpers_are_the_ones_train_calls():
    """Does the sandbox swap in exactly the helpers the contract says train calls by name?"""
    from autograder import contract
    assert set(reference.HELPERS) == set(contract.TRAIN_HELPERS)
