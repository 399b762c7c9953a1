"""The class report by misconception: counts per cause, and a figure whose
labels are whole and readable (checked on the figure's own text objects)."""
import matplotlib
import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.classwork import classreport
from autograder.grade import scoring
from autograder.grade.results import FAILED, PASSED, CheckResult, Report

matplotlib.use("Agg")

# Real causes from the checks, the longest among them, in more functions than the figure shows.
CAUSES = [
    ("compute_gradients", "gradient n times too large and of the wrong sign"),
    ("compute_gradients", "gradient n times too large"),
    ("generate_data", "(n, 1) and (n,) broadcast to (n, n)"),
    ("generate_data", "fixed number of input columns"),
    ("generate_data", "np.random instead of rng"),
    ("init_params", "only positive (or only negative) values"),
    ("init_params", "all zero (a placeholder answer)"),
    ("predict", "* instead of @ (elementwise product)"),
    ("l2_loss", "loss not halved"),
    ("l2_loss", "/ 2 * n instead of / 2 / n"),
    ("update_params", "update in place"),
    ("train", "closed-form solve instead of gradient descent"),
    ("train", "loss recorded after the update"),
    ("train", "does not start from the weights given"),
    ("pipeline", "training diverged"),
    ("pipeline", "lesson's numbers written in"),
    ("update_params", "step uphill"),
]


def report(*failed):
    checks = [CheckResult(tag, f"test_{number}", "?", 1, 0, FAILED, "wrong", cause)
              for number, (tag, cause) in enumerate(failed)]
    checks.append(CheckResult("predict", "test_values", "?", 1, 1, PASSED))
    return Report(notebook="x.ipynb", checks=checks)


@pytest.fixture(scope="module")
def reports():
    # Student i makes the first i mistakes: mistake j is made by len(CAUSES) - j students.
    return {f"student{i:02d}": report(*CAUSES[:i]) for i in range(len(CAUSES) + 1)}


@pytest.fixture(scope="module")
def figure(reports):
    figure = classreport.picture(reports, len(reports))
    figure.canvas.draw()
    return figure


def test_students_are_counted_once_per_mistake_most_common_first():
    """Is a student who fails two checks with one cause counted once, and are consequences left out?"""
    found = classreport.misconceptions({
        "ann": report(("l2_loss", "loss not halved"), ("l2_loss", "loss not halved"), ("l2_loss", scoring.WITHHELD)),
        "bo": report(("l2_loss", "loss not halved"), ("pipeline", scoring.BUILDS_ON)),
        "cy": report(("train", "update in place")),
    })
    assert found == [("l2_loss", "loss not halved", ["ann", "bo"]), ("train", "update in place", ["cy"])]


def test_unfinished_work_is_one_row_that_names_the_functions():
    """Is a student who left several functions unimplemented counted once, on a row that says which functions?"""
    found = classreport.misconceptions({"dee": report(("predict", "not implemented"), ("train", "not implemented"))})
    assert found == [(classreport.ANY_FUNCTION, "predict, train not implemented", ["dee"])]
    found = classreport.misconceptions({"dee": report(("predict", "not implemented"), ("train", "not implemented")),
                                        "eve": report(("train", "not implemented"))})
    assert found == [(classreport.ANY_FUNCTION, "train, predict (1) not implemented", ["dee", "eve"])]
    assert classreport.label(*found[0][:2]).replace("\n", " ") == "unfinished: train, predict (1) not implemented"


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40))
def test_the_score_histogram_has_one_bar_on_each_score_and_ends_at_the_maximum(scores):
    """Does each bar stand centred on its score's tick, one per score, on an axis that ends at the maximum?"""
    reports = {f"s{i}": Report(notebook="x.ipynb", checks=[CheckResult("predict", "test_values", "?", 30, score,
                                                                      PASSED if score == 30 else FAILED)])
               for i, score in enumerate(scores)}
    figure = classreport.picture(reports, len(reports))
    try:
        histogram = figure.axes[0]
        bars = {patch.get_x() + patch.get_width() / 2: patch.get_height() for patch in histogram.patches}
        assert bars == {float(score): scores.count(score) for score in set(scores)}
        assert histogram.get_xlim() == (-0.5, 30.5)
        assert max(tick for tick in histogram.get_xticks() if tick <= histogram.get_xlim()[1]) == 30
    finally:
        plt.close(figure)


def test_the_figure_labels_are_whole_and_inside_the_picture(figure, reports):
    """Does every bar carry its full 'function: cause' label, wrapped but never cut, inside the figure?"""
    renderer = figure.canvas.get_renderer()
    bars = figure.axes[1]
    labels = [text.get_text().replace("\n", " ") for text in bars.get_yticklabels()]
    shown = sorted(CAUSES[:classreport.TOP_CAUSES], key=lambda c: -len([s for s in reports.values()
                                                                        if any(x.cause == c[1] for x in s.checks)]))
    assert sorted(labels) == sorted(f"{tag}: {cause}" for tag, cause in shown)
    box = figure.bbox
    texts = [t for axes in figure.axes for t in drawn(axes) + [axes.title, axes.xaxis.label, axes.yaxis.label]
             if t.get_text()]
    for text in texts:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1, (
            f"{text.get_text()!r} is cut off at the figure's edge")
    for low, high in zip(bars.get_yticklabels(), bars.get_yticklabels()[1:]):
        assert not low.get_window_extent(renderer).overlaps(high.get_window_extent(renderer)), (
            f"{low.get_text()!r} overlaps {high.get_text()!r}")


def drawn(axes):
    """The tick labels matplotlib draws: those within the axes' limits."""
    (x_low, x_high), (y_low, y_high) = sorted(axes.get_xlim()), sorted(axes.get_ylim())
    return ([t for t in axes.get_xticklabels() if x_low <= t.get_position()[0] <= x_high]
            + [t for t in axes.get_yticklabels() if y_low <= t.get_position()[1] <= y_high])


def test_the_figure_counts_whole_students(figure):
    """Are both count axes (students per score, students per mistake) ticked in whole numbers only?"""
    scores, bars = figure.axes
    for ticks in (scores.get_yticks(), bars.get_xticks()):
        assert all(float(tick).is_integer() for tick in ticks), ticks
    assert max(bar.get_width() for bar in bars.patches) == len(CAUSES)
