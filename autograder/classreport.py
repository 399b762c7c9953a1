"""`python -m autograder report ASSIGNMENT`: the class at a glance.

grades.csv has one row per student and one column per check; class.png shows
the distribution of scores and how often each check failed, most common
failure first: the class's most common misconceptions.
"""
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .records import class_records  # noqa: E402


def write(course):
    """Write grades.csv and class.png; return their paths."""
    rows = class_records(course)
    folder = course.reports()
    folder.mkdir(parents=True, exist_ok=True)
    checks = _check_columns(rows)
    table = folder / "grades.csv"
    with table.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["student", "score", "max_score", "flagged"] + [f"{tag}/{name}" for tag, name, _ in checks])
        for submission, record, report in rows:
            scores = {(c.tag, c.name): c.score for c in report.checks} if report else {}
            writer.writerow([submission.student, f"{report.score:g}" if report else "",
                             f"{report.max_score:g}" if report else "",
                             "; ".join(record.get("flags", [])) if record else "not graded yet"]
                            + [_number(scores.get((tag, name))) for tag, name, _ in checks])
    picture = folder / "class.png"
    _picture(rows, checks, picture)
    return table, picture


def failure_rates(rows):
    """{(tag, name, question): fraction of graded students who failed it}, most failed first."""
    graded = [report for _, _, report in rows if report is not None]
    counts = {}
    for report in graded:
        for check in report.checks:
            key = (check.tag, check.name, check.question)
            counts[key] = counts.get(key, 0) + (check.score < check.points)
    rates = {key: count / len(graded) for key, count in counts.items()} if graded else {}
    return dict(sorted(rates.items(), key=lambda item: -item[1]))


def _check_columns(rows):
    for _, _, report in rows:
        if report is not None:
            return [(c.tag, c.name, c.question) for c in report.checks]
    return []


def _number(value):
    return "" if value is None else f"{value:g}"


def _picture(rows, checks, path):
    totals = [report.score for _, _, report in rows if report is not None]
    rates = failure_rates(rows)
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, max(5, 0.28 * len(checks))),
                                         gridspec_kw={"width_ratios": [1, 2]})
    left.hist(totals, bins=range(0, int(max(totals, default=0)) + 2), color="#4c72b0")
    left.set(xlabel="automatic points", ylabel="students",
             title=f"Scores ({len(totals)} graded of {len(rows)} submissions)")
    labels = [f"{tag}: {question}"[:90] for tag, _, question in rates][::-1]
    right.barh(labels, [100 * rate for rate in rates.values()][::-1], color="#c44e52")
    right.set(xlabel="% of students who failed the check", xlim=(0, 100), title="How often each check failed")
    right.tick_params(axis="y", labelsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
