"""Independent answers the checks compare against.

None of these repeats the lesson's solution: losses are means, gradients come
from central finite differences of the loss (CS231n's gradient check), gradient
descent works on the design matrix augmented with a column of ones, and the
best fit comes from NumPy's least-squares solver.
"""
import numpy as np


def half_mean_squared_error(outputs, targets):
    return 0.5 * float(np.mean((np.ravel(outputs) - np.ravel(targets)) ** 2))


def outputs(inputs, weights, bias):
    return np.einsum("nk,k->n", inputs, np.ravel(weights)).reshape(-1, 1) + float(np.ravel(bias)[0])


def numeric_gradient(function, point, step=1e-5):
    """Central differences: (f(x + h e_i) - f(x - h e_i)) / 2h for every entry i of `point`."""
    point = np.array(point, dtype=float)
    gradient = np.zeros_like(point)
    for index in np.ndindex(point.shape):
        up, down = point.copy(), point.copy()
        up[index] += step
        down[index] -= step
        gradient[index] = (function(up) - function(down)) / (2 * step)
    return gradient


def relative_error(computed, expected):
    """max |a - b| / max(|a| + |b|): about 1e-10 for a correct gradient, 0.3 for one twice too large."""
    computed, expected = np.ravel(computed).astype(float), np.ravel(expected).astype(float)
    scale = np.maximum(np.abs(computed) + np.abs(expected), 1e-12)
    return float(np.max(np.abs(computed - expected) / scale))


def gradient_descent(inputs, targets, weights, bias, learning_rate, n_iterations):
    """Plain gradient descent on the half mean squared error, from the given start.
    Returns (weights (k, 1), bias (1,), losses before each update)."""
    design = np.column_stack([inputs, np.ones(len(inputs))])
    theta = np.append(np.ravel(weights), np.ravel(bias)[0]).astype(float)
    targets = np.ravel(targets)
    losses = []
    for _ in range(n_iterations):
        residuals = design @ theta - targets
        losses.append(0.5 * float(np.mean(residuals ** 2)))
        theta = theta - learning_rate * design.T @ residuals / len(targets)
    return theta[:-1].reshape(-1, 1), theta[-1:].copy(), np.array(losses)


def least_squares(inputs, targets):
    """The best linear fit: (weights (k,), bias)."""
    design = np.column_stack([inputs, np.ones(len(inputs))])
    solution, *_ = np.linalg.lstsq(design, np.ravel(targets), rcond=None)
    return solution[:-1], float(solution[-1])
