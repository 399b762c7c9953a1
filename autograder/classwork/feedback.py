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
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .. import contract  # noqa: E402
from .records import class_records, student_record  # noqa: E402

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
        path.write_text(page(submission.student, course.assignment, record, report,
                             written_answer(course, submission.student)), encoding="utf-8")
        # nbgrader's release_feedback reads both beside the page.
        for name in ("timestamp.txt", "submission_secret.txt"):
            beside = course.path(course.submitted_directory, submission.student) / name
            if beside.exists():
                shutil.copy(beside, path.parent / name)
        written.append(path)
    return written


def written_answer(course, student):
    """(manual score or None, points, comment) of the written answer, from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry
    try:
        with Gradebook(course.db_url, course.course_id) as gb:
            grade = gb.find_grade(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, course.assignment, student)
            comment = gb.find_comment(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, course.assignment, student)
            return grade.manual_score, grade.max_score, comment.manual_comment
    except MissingEntry:
        return None, None, None


def page(student, assignment, record, report, written):
    e = html.escape
    parts = [f"<!doctype html><meta charset='utf-8'><title>{e(assignment)}: feedback for {e(student)}</title>",
             f"<style>{STYLE}</style>", f"<h1>{e(assignment)}: feedback for {e(student)}</h1>"]
    if record and record.get("flags"):
        parts.append("<p class='flag'>Your instructor will look at this submission by hand: "
                     + e("; ".join(record["flags"])) + "</p>")
    if report is None:
        parts.append("<p>Your submission could not be graded automatically"
                     + (": " + e(record["message"].splitlines()[0]) if record and record.get("message") else "")
                     + ".</p>")
    else:
        parts.append(f"<p><b>Automatic checks: {report.score:g} of {report.max_score:g} points.</b></p>")
        parts.append(_function_table(report))
        if report.notes:
            parts.append("<h2>Problems running your notebook</h2><ul>"
                         + "".join(f"<li>{e(note)}</li>" for note in report.notes) + "</ul>")
        parts.append(_plots(report))
    score, points, comment = written
    if points is not None:
        parts.append("<h2>Written answer</h2><p>"
                     + (f"{score:g} of {points:g} points." if score is not None
                        else f"To be graded by your instructor ({points:g} points).") + "</p>")
        if comment:
            parts.append(f"<pre>{e(comment)}</pre>")
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
    with warnings.catch_warnings():
        # A diverged loss (1e300) overflows the log scale's ticks; the note below says what happened.
        warnings.simplefilter("ignore", RuntimeWarning)
        image = _training_figure(targets, outputs, artifacts["losses"])
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
        return (f"Your training diverged: the loss was no longer a number from iteration {int(np.argmax(broken))} on, "
                "so the plots show only what stayed finite. Gradient descent overshoots when its steps are too large "
                "(a gradient n times too large) or go uphill (a sign flipped).")
    if losses.size > 1 and losses[-1] > losses[0]:
        return (f"Your training diverged: the loss grew from {losses[0]:.3g} to {losses[-1]:.3g}. Gradient descent "
                "overshoots when its steps are too large (a gradient n times too large) or go uphill (a sign flipped).")
    if not np.all(np.isfinite(outputs)):
        return "Your training diverged: some outputs are infinite or nan, so the plots show only the finite ones."
    return ""


def _training_figure(targets, outputs, losses):
    """Outputs against targets, and the loss curve, as a base64 PNG."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    shown = np.isfinite(outputs)  # a diverged training has no outputs worth drawing
    left.scatter(targets[shown], outputs[shown], s=4, alpha=0.5)
    low, high = float(targets.min()), float(targets.max())
    left.plot([low, high], [low, high], color="black", linewidth=1, label="y = t")
    left.set(xlabel="targets t", ylabel="your outputs y", title="Outputs against targets")
    left.legend()
    right.plot(np.where(np.isfinite(losses), losses, np.nan))
    if losses.size and (losses[np.isfinite(losses)] > 0).all():
        right.set_yscale("log")
    right.set(xlabel="iteration", ylabel="loss", title="Your loss during training")
    figure.tight_layout()
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
