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

import numpy as np  # noqa: E402

from .. import contract  # noqa: E402
from ..grade.scoring import CONSEQUENCES  # noqa: E402
from ..language import say  # noqa: E402
from . import counting  # noqa: E402
from .records import class_records  # noqa: E402

CHECK_SCORES, MISCONCEPTIONS, PICTURE = "check-scores.csv", "misconceptions.csv", "misconceptions.png"
# The figure shows this many of the most common mistakes; the CSV has them all.
TOP_CAUSES = 15
# Bar labels are wrapped at this many characters, never cut.
LABEL_WIDTH = 44
# Unfinished work is one thing to know about a student, not a misconception per function.
UNFINISHED = frozenset({"not implemented", "not defined"})
ANY_FUNCTION = "unfinished"
# Narrower than a whole point, so that neighbouring scores' bars stand apart.
SCORE_BAR_WIDTH = 0.8
# More ticks than this on the score axis crowd each other's labels.
MAX_TICKS = 10


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
    students, unfinished = {}, {}
    for student, report in reports.items():
        for check in report.checks:
            if check.score < check.points and check.cause and check.cause not in CONSEQUENCES:
                if check.cause in UNFINISHED:
                    unfinished.setdefault(check.cause, {}).setdefault(check.tag, set()).add(student)
                else:
                    students.setdefault((check.tag, check.cause), set()).add(student)
    found = [(tag, cause, sorted(names)) for (tag, cause), names in students.items()]
    for cause, functions in unfinished.items():
        who = set().union(*functions.values())
        found.append((ANY_FUNCTION, unfinished_functions(cause, functions, len(who)), sorted(who)))
    return sorted(found, key=lambda item: (-len(item[2]), item[0], item[1]))


def unfinished_functions(cause, functions, students):
    """'train, predict not implemented', with how many students left each when not all of them did.
    functions: {function: students who left it}."""
    order = {tag: i for i, tag in enumerate(contract.TAGS)}
    named = [say("{function} ({count})", function=tag, count=len(names)) if len(names) < students else tag
             for tag, names in sorted(functions.items(), key=lambda item: (-len(item[1]), order.get(item[0], 99)))]
    return say("{functions} {cause}", functions=", ".join(named), cause=cause)


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
    # One bar per whole score, centred on its tick, on an axis that ends at the most points there are.
    most = max([report.max_score for report in reports.values()] + totals + [1])
    scores, counts = np.unique(np.round(totals), return_counts=True)
    left.bar(scores, counts, width=SCORE_BAR_WIDTH, color="#4c72b0")
    left.set_xlim(-0.5, most + 0.5)
    left.set_xticks(score_ticks(most))
    left.set(xlabel="automatic points", ylabel="students",
             title=say("Scores ({graded} graded of {submissions})", graded=len(totals),
                       submissions=counting.submissions(submissions)))
    right.barh([label(tag, cause) for tag, cause, _ in found][::-1],
               [len(students) for _, _, students in found][::-1], color="#c44e52")
    right.set(xlabel="students", title=f"The {len(found)} most common mistakes" if found else "No mistakes")
    right.tick_params(axis="y", labelsize=9)
    for axis in (left.yaxis, right.xaxis):
        axis.set_major_locator(MaxNLocator(integer=True))
    return figure


def score_ticks(most):
    """Whole-number ticks from 0 to the most points there are, that maximum included."""
    most = int(np.ceil(most))
    step = next((step for step in (1, 2, 5, 10, 20, 25, 50) if most % step == 0 and most // step <= MAX_TICKS),
                max(1, int(np.ceil(most / MAX_TICKS))))
    return sorted(set(range(0, most + 1, step)) | {most})


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
