"""The feedback page's training plots: whatever the training did, each panel
shows something (checked on the figure's own data, not by eye), a diverged
training gets a note, and nothing warns."""
import warnings

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.classwork import feedback
from autograder.grade.results import Report

matplotlib.use("Agg")
N = 200


def training(losses, outputs):
    targets = np.linspace(-20, 30, outputs.size)
    return Report(notebook="x.ipynb", artifacts={"losses": losses, "targets": targets, "outputs": outputs})


def shows_something(axes):
    """Does the panel draw at least two finite points inside its own limits, or say in words why it cannot?"""
    if any(text.get_text().strip() for text in axes.texts):
        return True
    (x_low, x_high), (y_low, y_high) = sorted(axes.get_xlim()), sorted(axes.get_ylim())
    if not all(np.isfinite([x_low, x_high, y_low, y_high])) or x_low == x_high or y_low == y_high:
        return False
    for artist in axes.lines + axes.collections:
        data = np.asarray(artist.get_xydata() if hasattr(artist, "get_xydata") else artist.get_offsets(), float)
        if data.ndim != 2 or data.shape[0] < 2:
            continue
        x, y = data[:, 0], data[:, 1]
        inside = np.isfinite(x) & np.isfinite(y) & (x >= x_low) & (x <= x_high) & (y >= y_low) & (y <= y_high)
        if inside.sum() >= 2 and artist.get_label() not in ("y = t",) and len(set(x[inside])) > 1:
            return True
    return False


@st.composite
def trainings(draw):
    """Losses from a first value, multiplied each step by a factor (below 1: learning; above: diverging),
    perhaps turning inf or nan from some iteration on, with outputs finite or not."""
    first = draw(st.floats(1e-3, 1e6))
    factor = draw(st.floats(0.5, 1e8))
    with np.errstate(over="ignore", invalid="ignore"):
        losses = first * factor ** np.arange(N, dtype=float)
    broken_from = draw(st.one_of(st.none(), st.integers(0, N - 1)))
    if broken_from is not None:
        losses[broken_from:] = draw(st.sampled_from([np.inf, np.nan]))
    finite_outputs = draw(st.booleans()) and np.all(np.isfinite(losses))
    outputs = np.linspace(-15, 25, N) if finite_outputs else np.full(N, draw(st.sampled_from([np.nan, np.inf])))
    return losses, outputs


@settings(max_examples=15, deadline=None)
@given(trainings())
def test_every_panel_shows_something_whatever_the_training_did(run):
    """Whether training converged, diverged or broke at once, does each panel draw data (or say why it cannot), with no warning?"""
    losses, outputs = run
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = feedback.training_figure(np.linspace(-20, 30, N), outputs, losses)
        figure.canvas.draw()  # what savefig does: ticks and limits computed for real
    try:
        for axes in figure.axes:
            assert shows_something(axes), (axes.get_title(), losses[:5], outputs[:3])
    finally:
        matplotlib.pyplot.close(figure)


def test_the_most_common_mistake_gets_a_loss_curve_up_to_where_it_blew_up():
    """Gradients n times too large: is the loss drawn up to the last finite iteration, and each step's growth shown?"""
    with np.errstate(over="ignore"):
        losses = 240.0 * 4.5e5 ** np.arange(500.0)
    losses[54:] = np.inf
    figure = feedback.training_figure(np.linspace(-20, 30, 1000), np.full(1000, np.nan), losses)
    growth, curve = figure.axes
    [line] = [line for line in curve.lines if line.get_label() != "" and not line.get_label().startswith("from")]
    assert len(line.get_xdata()) == 54 and line.get_ydata()[-1] == pytest.approx(np.log10(losses[53]))
    factors = [line for line in growth.lines if len(line.get_xdata()) > 2][0].get_ydata()
    assert np.allclose(factors, 4.5e5)
    matplotlib.pyplot.close(figure)


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
