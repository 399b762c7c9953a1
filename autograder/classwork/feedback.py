"""`python -m autograder feedback ASSIGNMENT`: one HTML page per student, in
nbgrader's feedback/<student>/<assignment>/ layout (so nbgrader's
release_feedback can hand it out).

Each page shows the student's points per function, the message of every
failed check, and plots of their own training run. It is built from the
kit's trusted records only: it never contains the hidden checks' code, and
the checks' messages never quote their secret inputs.
"""
import base64
import html
import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .. import contract  # noqa: E402
from ..language import say  # noqa: E402
from .records import class_records, student_record  # noqa: E402

# What nbgrader writes as the comment of an answer cell left as it was handed out.
NO_RESPONSE = "No response."

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 2em auto; color: #222; }
table { border-collapse: collapse; } td, th { padding: .3em .8em; border-bottom: 1px solid #ddd; text-align: left; }
.ok { color: #17692f; } .failed { color: #a11; } pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; }
.flag { background: #fff4d6; padding: .6em; } img { max-width: 100%; }
"""


def write_all(course):
    """Write every student's page; return the paths written."""
    written = []
    for submission, record, report in class_records(course):
        path = course.feedback_page(submission.student)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = page(submission.student, course.assignment, record, report, written_answer(course, submission.student))
        path.write_text(text, encoding="utf-8")
        write_as_submitted(course, record, text)
        # nbgrader's release_feedback reads both beside the page.
        for name in ("timestamp.txt", "submission_secret.txt"):
            beside = course.path(course.submitted_directory, submission.student) / name
            if beside.exists():
                shutil.copy(beside, path.parent / name)
        written.append(path)
    return written


def write_as_submitted(course, record, text):
    """A page's copy under the name of the notebook the student handed in, when that is not the
    assignment's: nbgrader's fetch_feedback looks for the page of each notebook in the student's
    own copy of the submission by that notebook's name (`my_network.html` for `my_network.ipynb`),
    and finds nothing under the assignment's. Returns the copy's path, or None."""
    name = (record or {}).get("notebook")
    if not name or Path(name).stem == contract.NOTEBOOK_ID:
        return None
    copy = course.feedback_page(record["student"]).with_name(f"{Path(name).stem}.html")
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text, encoding="utf-8")
    return copy


@dataclass(frozen=True)
class Written:
    """The written answer as the gradebook holds it."""
    score: float | None = None  # None while it waits for a grade
    points: float | None = None  # None when the gradebook has no such answer for the student
    comment: str | None = None  # the grader's comment
    unanswered: bool = False  # nbgrader found the answer cell as it was handed out (and gave it 0)


def written_answer(course, student):
    """The Written answer of a student, from the gradebook: what formgrader and `nbgrader export` show."""
    from nbgrader.api import Gradebook, MissingEntry
    try:
        with Gradebook(course.db_url, course.course_id) as gb:
            grade = gb.find_grade(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, course.assignment, student)
            comment = gb.find_comment(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, course.assignment, student)
            # nbgrader gives an answer cell left as handed out 0 points at once (auto_score 0, no manual
            # grade needed, "No response."): the page says what the gradebook counts, not "to be graded".
            return Written(None if grade.needs_manual_grade else grade.score, grade.max_score,
                           comment.manual_comment, comment.auto_comment == NO_RESPONSE)
    except MissingEntry:
        return Written()


def page(student, assignment, record, report, written):
    e = html.escape
    parts = [f"<!doctype html><meta charset='utf-8'><title>{e(assignment)}: feedback for {e(student)}</title>",
             f"<style>{STYLE}</style>", f"<h1>{e(assignment)}: feedback for {e(student)}</h1>"]
    if record and record.get("flags"):
        # The reasons as said to the student (a record from before they were kept gives none).
        reasons = record.get("flags_for_student") or []
        parts.append("<p class='flag'>" + e(say("Your instructor will look at this submission by hand: {reasons}.",
                                                 reasons="; ".join(reasons)) if reasons else
                                             say("Your instructor will look at this submission by hand.")) + "</p>")
    if report is None:
        # The grader's message starts with the file's path on the course's server: not the student's business.
        why = ((record.get("message") or "").splitlines() or [""])[0].partition(": ")[2] if record else ""
        parts.append("<p>" + e(say("Your submission could not be graded automatically: {why}.", why=why) if why
                               else say("Your submission could not be graded automatically.")) + "</p>")
    else:
        parts.append(f"<p><b>Automatic checks: {report.score:g} of {report.max_score:g} points.</b></p>")
        parts.append(_function_table(report))
        if report.notes:
            parts.append("<h2>Problems running your notebook</h2><ul>"
                         + "".join(f"<li>{e(note)}</li>" for note in report.notes) + "</ul>")
        parts.append(_plots(report))
    if written.points is not None:
        if written.score is None:
            said = say("To be graded by your instructor ({points:g} points).", points=written.points)
        elif written.unanswered:
            said = say("{score:g} of {points:g} points: you left the answer as it was handed out.",
                       score=written.score, points=written.points)
        else:
            said = say("{score:g} of {points:g} points.", score=written.score, points=written.points)
        parts.append(f"<h2>{e(say('Written answer'))}</h2><p>{e(said)}</p>")
        if written.comment:
            parts.append(f"<pre>{e(written.comment)}</pre>")
    return "\n".join(parts) + "\n"


def _function_table(report):
    e = html.escape
    rows = ["<table><tr><th>function</th><th>points</th><th>what failed, and why</th></tr>"]
    for tag, (score, points, failed) in report.by_tag().items():
        status = "ok" if not failed else "failed"
        details = "".join(f"<p>{e(check.question)}</p><pre>{e(check.message)}</pre>" for check in failed)
        rows.append(f"<tr><td>{e(tag)}</td><td class='{status}'>{score:g} / {points:g}</td><td>{details}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _plots(report):
    artifacts = report.artifacts
    if not {"losses", "outputs", "targets"} <= set(artifacts):
        return ("<h2>Your training</h2><p>Your own generate_data, init_params and train did not run to the end "
                "together, so there is no plot of your training yet.</p>")
    targets, outputs = artifacts["targets"], artifacts["outputs"]
    figure = training_figure(targets, outputs, artifacts["losses"])
    image = _png(figure)
    note = divergence_note(artifacts["losses"], outputs)
    return ("<h2>Your training</h2><p>Your own functions, learning 2, -3 and 5 from 1000 observations "
            "(learning rate 0.02, 500 iterations).</p>"
            + (f"<p class='flag'>{html.escape(note)}</p>" if note else "")
            + f"<img alt='outputs against targets, and the loss curve' src='data:image/png;base64,{image}'>")


def divergence_note(losses, outputs):
    """One sentence when training diverged (the loss grew, or became infinite or nan), else ""."""
    losses = np.asarray(losses, dtype=float)
    broken = ~np.isfinite(losses)
    if broken.any():
        return say("Your training diverged: the loss was no longer a number from iteration {iteration} on. The plots "
                   "show it up to there, and how much each step multiplied it. Gradient descent overshoots when its "
                   "steps are too large (a gradient n times too large) or go uphill (a sign flipped).",
                   iteration=int(np.argmax(broken)))
    if losses.size > 1 and losses[-1] > losses[0]:
        return say("Your training diverged: the loss grew from {first:.3g} to {last:.3g}. Gradient descent overshoots "
                   "when its steps are too large (a gradient n times too large) or go uphill (a sign flipped).",
                   first=losses[0], last=losses[-1])
    if not np.all(np.isfinite(outputs)):
        return say("Your training diverged: some outputs are infinite or nan, so the plots show only the finite ones.")
    return ""


def training_figure(targets, outputs, losses):
    """Outputs against targets, and the loss curve: a matplotlib Figure. A training that
    diverged has no outputs worth drawing; its left panel shows instead how much each step
    multiplied the loss (above 1: every step made it worse), and its loss curve runs, on a
    log scale, up to where the loss stopped being a number."""
    targets, outputs, losses = (np.asarray(a, dtype=float).ravel() for a in (targets, outputs, losses))
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    finite = np.isfinite(losses)
    usable = int(np.argmin(finite)) if not finite.all() else losses.size  # the losses before the first bad one
    shown = np.isfinite(outputs) & np.isfinite(targets)
    if shown.sum() >= MIN_POINTS:
        _outputs_against_targets(left, targets[shown], outputs[shown])
    elif usable >= MIN_POINTS:
        _growth_per_step(left, losses[:usable])
    else:
        _nothing_to_draw(left, say("Your outputs are not numbers: nothing to plot against the targets."))
    if usable >= MIN_POINTS:
        _loss_curve(right, losses[:usable], cut=usable < losses.size)
    else:
        _nothing_to_draw(right, say("The loss was not a number from the first iteration on: the starting weights "
                                    "or the data are not finite."))
    figure.tight_layout()
    return figure


# A curve needs two points to say anything.
MIN_POINTS = 2
# Beyond this the log scale's own arithmetic overflows (10 ** 308 is the largest float): the
# curve is drawn as powers of ten on a plain axis instead.
LOG_SCALE_LIMIT = 1e200


def _outputs_against_targets(axes, targets, outputs):
    axes.scatter(targets, outputs, s=4, alpha=0.5)
    low, high = float(targets.min()), float(targets.max())
    axes.plot([low, high], [low, high], color="black", linewidth=1, label="y = t")
    axes.set(xlabel="targets t", ylabel="your outputs y", title=say("Outputs against targets"))
    axes.legend()


def _growth_per_step(axes, losses):
    factors = losses[1:] / losses[:-1]
    steps = np.arange(1, losses.size)
    keep = np.isfinite(factors) & (factors > 0)
    axes.plot(steps[keep], factors[keep], marker=".", color="#c44e52")
    axes.axhline(1, color="black", linewidth=1, label=say("1: the loss stays the same"))
    axes.set_yscale("log")
    axes.set(xlabel="iteration", ylabel=say("loss after the step / loss before"),
             title=say("How much each step multiplied your loss"))
    axes.legend()


def _loss_curve(axes, losses, cut):
    iterations = np.arange(losses.size)
    if losses.max() > LOG_SCALE_LIMIT or losses.min() <= 0:
        with np.errstate(divide="ignore"):
            powers = np.log10(np.abs(losses))
        keep = np.isfinite(powers)
        axes.plot(iterations[keep], powers[keep])
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda power, _: f"$10^{{{power:g}}}$"))
    else:
        axes.plot(iterations, losses)
        axes.set_yscale("log")
    if cut:
        axes.axvline(losses.size, color="#c44e52", linestyle="--",
                     label=say("from here on not a number (iteration {iteration})", iteration=losses.size))
        axes.legend()
    axes.set(xlabel="iteration", ylabel="loss", title=say("Your loss during training"))


def _nothing_to_draw(axes, why):
    axes.text(0.5, 0.5, "\n".join(textwrap.wrap(why, 40)), ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def training_html(report):
    """The plots of the student's own training, for the autograded notebook formgrader shows."""
    return _plots(report)


def student_page(course, student):
    """One student's page from the trusted record: what nbgrader's generate_feedback
    writes too, through plugins.FeedbackPage. Raises LookupError without a record."""
    record, report = student_record(course, student)
    if record is None:
        raise LookupError(f"no trusted grade for {student}: grade the class first "
                          f"(nbgrader autograde, or python -m autograder autograde {course.assignment})")
    return page(student, course.assignment, record, report, written_answer(course, student))
