"""The feedback page's training plots: a diverged training gets a note, and no warning."""
import warnings

import numpy as np

from autograder.classwork import feedback
from autograder.grade.results import Report


def training(losses, outputs):
    targets = np.linspace(-20, 30, outputs.size)
    return Report(notebook="x.ipynb", artifacts={"losses": losses, "targets": targets, "outputs": outputs})


def test_a_diverged_training_is_named_without_warnings():
    """When the loss explodes to 1e300 and then nan, does the page say so, with no RuntimeWarning printed?"""
    with np.errstate(over="ignore"):
        losses = np.append(10.0 ** np.arange(0, 301, 2.0), [np.inf, np.nan])
    outputs = np.full(50, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = feedback._plots(training(losses, outputs))
    assert "training diverged" in html and "from iteration 151 on" in html and "data:image/png;base64," in html


def test_a_growing_loss_is_named_and_a_falling_one_is_not():
    """Does a loss that grows get the note, and a training that converges none?"""
    assert "grew from 1 to 1e+06" in feedback.divergence_note(np.array([1.0, 10.0, 1e6]), np.zeros(3))
    assert feedback.divergence_note(np.array([5.0, 1.0, 0.2]), np.zeros(3)) == ""
