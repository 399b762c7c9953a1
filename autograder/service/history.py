"""`python -m autograder report ASSIGNMENT --attempts URL`: what the check
service saw before the deadline, beside the class report.

Two more files under reports/<assignment>/:
- fixed-mistakes.csv: one row per likely mistake made in some student's
  check, with how many students made it and how many fixed it along the way
  (it is gone from their latest graded check), most often made first;
- attempts-over-time.png: how many checks were made, and their mean points,
  over time.

Mistakes are counted as the class report counts them (a student once per
mistake; causes that only follow from another failure left out); anonymous
checks count in the picture, not in the table (nobody can be followed).
"""
import csv
import datetime
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..classwork.classreport import ANY_FUNCTION, UNFINISHED  # noqa: E402
from ..grade.scoring import CONSEQUENCES  # noqa: E402
from ..language import say  # noqa: E402
from . import attempts  # noqa: E402

FIXED, PICTURE = "fixed-mistakes.csv", "attempts-over-time.png"
# The picture has about this many bars, each a whole number of hours (or days).
BARS = 24


def mistakes(row):
    """The mistakes of one attempt's causes, as the class report names them."""
    found = set()
    for tag, cause in json.loads(row["causes"] or "[]"):
        if cause not in CONSEQUENCES:
            found.add((ANY_FUNCTION if cause in UNFINISHED else tag, cause))
    return found


def fixed_mistakes(rows):
    """[(function, mistake, [students who made it], [students who fixed it])], most often made first."""
    by_student = {}
    for row in rows:
        if row["student"] is not None and row["outcome"] == attempts.GRADED:
            by_student.setdefault(row["student"], []).append(row)
    made, fixed = {}, {}
    for student, checks in by_student.items():
        checks.sort(key=lambda row: (row["at"], row["id"]))
        latest = mistakes(checks[-1])
        for check in checks:
            for mistake in mistakes(check):
                made.setdefault(mistake, set()).add(student)
                if mistake not in latest:
                    fixed.setdefault(mistake, set()).add(student)
    found = [(tag, cause, sorted(students), sorted(fixed.get((tag, cause), ())))
             for (tag, cause), students in made.items()]
    return sorted(found, key=lambda item: (-len(item[2]), -len(item[3]), item[0], item[1]))


def write(folder, db_url):
    """Write the two files into `folder`; return their paths."""
    database = attempts.Database(db_url)
    try:
        rows = database.all_attempts()
    finally:
        database.close()
    folder.mkdir(parents=True, exist_ok=True)
    table, figure_path = folder / FIXED, folder / PICTURE
    with table.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["function", "mistake", "students", "fixed_by", "who_made_it", "who_fixed_it"])
        for tag, cause, students, fixers in fixed_mistakes(rows):
            writer.writerow([tag, cause, len(students), len(fixers), " ".join(students), " ".join(fixers)])
    figure = picture(rows)
    figure.savefig(figure_path, dpi=90)
    plt.close(figure)
    return table, figure_path


def bins(rows):
    """(start, width) of the bars: whole hours (or days), about BARS of them over the attempts' span."""
    times = [row["at"] for row in rows]
    start = min(times).replace(minute=0, second=0, microsecond=0)
    span = max(times) - start
    hours = max(1, -(-span // datetime.timedelta(hours=1)) // BARS + 1)
    width = datetime.timedelta(days=-(-hours // 24)) if hours >= 24 else datetime.timedelta(hours=hours)
    if width >= datetime.timedelta(days=1):
        start = start.replace(hour=0)
    return start, width


def picture(rows):
    """Checks per bar (left) and their mean points (right), on whole-number axes."""
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5), layout="constrained", sharex=True)
    graded = [row for row in rows if row["outcome"] == attempts.GRADED]
    if rows:
        start, width = bins(rows)
        count, points = {}, {}
        for row in rows:
            slot = start + width * ((row["at"] - start) // width)
            count[slot] = count.get(slot, 0) + 1
        for row in graded:
            slot = start + width * ((row["at"] - start) // width)
            points.setdefault(slot, []).append(row["score"])
        days = width / datetime.timedelta(days=1)
        left.bar(list(count), list(count.values()), width=days, align="edge", color="#4c72b0")
        slots = sorted(points)
        right.plot([slot + width / 2 for slot in slots], [sum(points[s]) / len(points[s]) for s in slots],
                   marker="o", color="#c44e52")
        right.set_ylim(0, max([row["max_score"] or 0 for row in graded] + [1]))
        for axis in (left, right):
            axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(axis.xaxis.get_major_locator()))
    students = {row["student"] for row in rows if row["student"] is not None}
    if any(row["student"] is None for row in rows):
        title = say("Checks over time ({checks} by {students} students and anonymous learners)",
                    checks=len(rows), students=len(students))
    else:
        title = say("Checks over time ({checks} by {students} students)", checks=len(rows), students=len(students))
    left.set(ylabel=say("checks"), title=title)
    right.set(ylabel=say("mean points of the graded checks"), title=say("Points over time (UTC)"))
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    return figure
