"""`python -m autograder report ASSIGNMENT`: the class at a glance, by misconception.

Three files under reports/<assignment>/, each named for what it holds:
- check-scores.csv: one row per student, one column per check (the kit's
  automatic points, out of 30; nbgrader's own `grades.csv` in the course root
  holds the totals with the written answer, out of 33);
- misconceptions.csv: one row per likely mistake (a failed check's cause),
  with how many students made it and who, most common first;
- misconceptions.png: the distribution of scores and the most common mistakes.

A student is counted once per mistake, however many checks it failed; causes
that only follow from another failure (points withheld, a pipeline that
builds on a broken function) are left out.
"""
import csv
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..grade.scoring import CONSEQUENCES  # noqa: E402
from .records import class_records  # noqa: E402

CHECK_SCORES, MISCONCEPTIONS, PICTURE = "check-scores.csv", "misconceptions.csv", "misconceptions.png"
# The figure shows this many of the most common mistakes; the CSV has them all.
TOP_CAUSES = 15
# Bar labels are wrapped at this many characters, never cut.
LABEL_WIDTH = 44
# Unfinished work is one thing to know about a student, not a misconception per function.
UNFINISHED = frozenset({"not implemented", "not defined"})
ANY_FUNCTION = "any function"


def write(course):
    """Write the three files; return their paths."""
    rows = class_records(course)
    folder = course.reports()
    folder.mkdir(parents=True, exist_ok=True)
    reports = {submission.student: report for submission, _, report in rows if report is not None}
    paths = folder / CHECK_SCORES, folder / MISCONCEPTIONS, folder / PICTURE
    _check_scores(rows, paths[0])
    _misconception_table(misconceptions(reports), len(reports), paths[1])
    figure = picture(reports, len(rows))
    figure.savefig(paths[2], dpi=90)
    plt.close(figure)
    return paths


def misconceptions(reports):
    """[(function, cause, [students])] for every mistake made, most common first.
    reports: {student: Report}."""
    students = {}
    for student, report in reports.items():
        for check in report.checks:
            if check.score < check.points and check.cause and check.cause not in CONSEQUENCES:
                tag = ANY_FUNCTION if check.cause in UNFINISHED else check.tag
                students.setdefault((tag, check.cause), set()).add(student)
    found = [(tag, cause, sorted(names)) for (tag, cause), names in students.items()]
    return sorted(found, key=lambda item: (-len(item[2]), item[0], item[1]))


def label(tag, cause):
    """A bar's label: the whole cause, wrapped, never cut."""
    return "\n".join(textwrap.wrap(f"{tag}: {cause}", LABEL_WIDTH, break_on_hyphens=False))


def picture(reports, submissions):
    """The figure: scores (left) and the most common mistakes (right), on whole-number axes."""
    found = misconceptions(reports)[:TOP_CAUSES]
    lines = sum(label(tag, cause).count("\n") + 1 for tag, cause, _ in found)
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, max(4.5, 0.5 + 0.3 * lines + 0.25 * len(found))),
                                         gridspec_kw={"width_ratios": [1, 1.4]}, layout="constrained")
    totals = [report.score for report in reports.values()]
    left.hist(totals, bins=range(0, int(max(totals, default=0)) + 2), color="#4c72b0")
    left.set(xlabel="automatic points", ylabel="students",
             title=f"Scores ({len(totals)} graded of {submissions} submissions)")
    right.barh([label(tag, cause) for tag, cause, _ in found][::-1],
               [len(students) for _, _, students in found][::-1], color="#c44e52")
    right.set(xlabel="students", title=f"The {len(found)} most common mistakes" if found else "No mistakes")
    right.tick_params(axis="y", labelsize=9)
    for axis in (left.yaxis, right.xaxis, left.xaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    return figure


def _check_scores(rows, path):
    checks = _check_columns(rows)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["student", "score", "max_score", "flagged"] + [f"{tag}/{name}" for tag, name in checks])
        for submission, record, report in rows:
            scores = {(c.tag, c.name): c.score for c in report.checks} if report else {}
            writer.writerow([submission.student, f"{report.score:g}" if report else "",
                             f"{report.max_score:g}" if report else "",
                             "; ".join(record.get("flags", [])) if record else "not graded yet"]
                            + [_number(scores.get(check)) for check in checks])


def _misconception_table(found, graded, path):
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["function", "mistake", "students", "percent_of_graded", "who"])
        for tag, cause, students in found:
            writer.writerow([tag, cause, len(students), f"{100 * len(students) / graded:.0f}", " ".join(students)])


def _check_columns(rows):
    for _, _, report in rows:
        if report is not None:
            return [(c.tag, c.name) for c in report.checks]
    return []


def _number(value):
    return "" if value is None else f"{value:g}"
