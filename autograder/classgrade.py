"""Grade a whole class into nbgrader's gradebook with the kit's trusted scores.

Submissions are graded in parallel (batch.grade_many); as each finishes, this
process writes its record (store) and then its grade (gradebook), one student
at a time, so the gradebook has a single writer. A record whose submission and
grading code are unchanged, and whose grade is in the gradebook, is not redone:
re-running is idempotent, and a run killed at any moment loses no finished
grade while the next run completes the rest.
"""
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field

from tqdm import tqdm

from . import batch, store
from .notebook import UnreadableNotebook, grade_ids
from .results import Report
from .sandbox import Limits

GRADED, UNREADABLE, FAILED, MISSING = "graded", "unreadable", "grader_failure", "missing"


@dataclass
class Summary:
    students: int = 0
    graded_now: int = 0
    scores: list = field(default_factory=list)  # automatic points, for students with a trusted score
    max_score: float = 0.0
    flagged: dict = field(default_factory=dict)  # student -> reasons
    seconds: float = 0.0
    # student -> (score, max_score, functions that lost points), or None when not graded
    results: dict = field(default_factory=dict)

    def table(self):
        """One line per student: points, and the functions that lost points (or why it was not graded)."""
        lines = [f"{'student':<12} {'points':>7}  lost points in"] if self.results else []
        for student, result in sorted(self.results.items()):
            flag = "  [flagged]" if student in self.flagged else ""
            if result is None:
                lines.append(f"{student:<12} {'-':>7}  (not graded){flag}")
                continue
            score, max_score, lost = result
            lines.append((f"{student:<12} {f'{score:g}/{max_score:g}':>7}  " + "  ".join(
                part for part in (", ".join(lost), flag.strip()) if part)).rstrip())
        return lines

    def lines(self, course):
        lines = [f"{course.assignment}: {self.students} submissions, {self.graded_now} graded now, "
                 f"{self.students - self.graded_now} unchanged ({self.seconds:.1f} s)"]
        if self.scores:
            lines.append(f"  automatic points   mean {statistics.mean(self.scores):.1f}, "
                         f"median {statistics.median(self.scores):g} (of {self.max_score:g}, "
                         f"{len(self.scores)} students)")
        lines.append(f"  flagged            {len(self.flagged)} (marked for manual grading in the gradebook)")
        lines.append(f"  gradebook          {course.db_url}")
        for student, reasons in sorted(self.flagged.items()):
            lines.append(f"  - {student}: {'; '.join(reasons)}")
        return lines


def new_record(submission, fingerprint, kit, outcome, expected_cells):
    """The stored record of one graded submission (whose bytes had this fingerprint
    when grading started), with the reasons to flag it."""
    record = {"student": submission.student, "kit": kit, "submission": fingerprint,
              "notebook": submission.notebook.name if submission.notebook else None,
              "outcome": GRADED, "message": None, "report": None, "recorded": None}
    flags = [submission.problem] if submission.problem else []
    if submission.notebook is None:
        record["outcome"] = MISSING
    elif isinstance(outcome, batch.Unreadable):
        record.update(outcome=UNREADABLE, message=outcome.message)
        flags.append(outcome.message.partition(": ")[2])
    elif isinstance(outcome, batch.GraderFailure):
        record.update(outcome=FAILED, message=outcome.message)
        flags.append("the kit failed on this submission (see the record in trusted/)")
    else:
        record["report"] = outcome.to_dict()
        if outcome.grader_errors:
            flags.append("the kit failed on some checks (see the record in trusted/)")
        if outcome.incidents:
            flags.append("the student's code misbehaved in the sandbox: " + "; ".join(outcome.incidents))
        try:
            missing = sorted(expected_cells - grade_ids(submission.notebook))
        except UnreadableNotebook:
            missing = []
        if missing:
            flags.append("cells deleted or their nbgrader metadata removed: " + ", ".join(missing))
    record["flags"] = flags
    return record


def _report(record):
    return Report.from_dict(record["report"]) if record.get("report") else None


def write_grade(course, record, report, was_flagged=False):
    """Put one record (and its report) into the gradebook; return the reasons it is
    flagged. was_flagged: the kit flagged this student's previous submission."""
    with warnings.catch_warnings():
        # nbgrader puts a deleted test cell back without a cell id, and nbformat warns about it
        # on stderr: noise in the command's output (the flag already says the cell was deleted).
        warnings.filterwarnings("ignore", message="Cell is missing an id field")
        return _write_grade(course, record, report, was_flagged)


def _write_grade(course, record, report, was_flagged):
    from . import gradebook
    reasons = list(record["flags"])
    if report is not None and record["notebook"] == f"{course.assignment}.ipynb":
        try:
            gradebook.record(course, record["student"], report)
        except gradebook.RecordError as error:
            reasons.append(str(error))
            gradebook.record_directly(course, record["student"], report, reasons)
            return reasons
        if reasons:
            gradebook.flag(course, record["student"], reasons)
        elif was_flagged:
            gradebook.unflag(course, record["student"])
        return reasons
    gradebook.record_directly(course, record["student"], report, reasons)
    return reasons


def autograde(course, student=None, jobs=None, limits=Limits(), progress=True):
    started = time.perf_counter()
    kit = store.kit_fingerprint()
    expected_cells = grade_ids(course.root / course.source_directory / course.assignment
                               / f"{course.assignment}.ipynb")
    submissions = course.submissions(student)
    records = {s.student: store.load(course.trusted_result(s.student)) for s in submissions}
    fingerprints = {s.student: s.fingerprint() for s in submissions}
    fresh = {student for student, record in records.items() if record is not None
             and record.get("kit") == kit and record.get("submission") == fingerprints[student]}
    to_grade = {str(s.notebook): s for s in submissions if s.student not in fresh and s.notebook is not None}
    # Grading starts first: nbgrader's imports below take seconds, and overlap with it.
    results = batch.grade_many(list(to_grade), jobs, limits) if to_grade else iter(())
    from . import gradebook
    gradebook.ensure_assignment(course)
    recorded = gradebook.recorded_students(course)
    summary = Summary(students=len(submissions))
    bar = tqdm(total=len(submissions), desc="grading", unit="notebook", file=sys.stderr, disable=not progress,
               mininterval=0.2, dynamic_ncols=True)

    def finish(record):
        previous = records[record["student"]]
        report = _report(record)
        reasons = write_grade(course, record, report, was_flagged=bool(previous and previous.get("flags")))
        record["flags"] = reasons  # as written to the gradebook, for the summary of later runs
        record["recorded"] = course.db_url
        store.save(course.trusted_result(record["student"]), record)
        _count(summary, record["student"], report, reasons)
        bar.set_postfix(flagged=len(summary.flagged), refresh=False)
        bar.update()

    for submission in submissions:
        record = records[submission.student]
        if submission.student in fresh:
            if record.get("recorded") == course.db_url and submission.student in recorded:
                _count(summary, submission.student, _report(record), record["flags"])
                bar.update()
            else:
                finish(record)  # graded before, but its grade never reached this gradebook
        elif submission.notebook is None:
            finish(new_record(submission, fingerprints[submission.student], kit, None, expected_cells))
            summary.graded_now += 1
    for path, outcome in results:
        submission = to_grade[path]
        record = new_record(submission, fingerprints[submission.student], kit, outcome, expected_cells)
        store.save(course.trusted_result(submission.student), record)  # the grade is safe before the gradebook write
        finish(record)
        summary.graded_now += 1
    bar.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary, student, report, reasons):
    summary.results[student] = None
    if report is not None:
        summary.scores.append(report.score)
        summary.max_score = max(summary.max_score, report.max_score)
        lost = [tag for tag, (score, points, _) in report.by_tag().items() if score < points]
        summary.results[student] = (report.score, report.max_score, lost)
    if reasons:
        summary.flagged[student] = reasons
