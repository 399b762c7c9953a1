"""Grade a whole class into nbgrader's gradebook with the kit's trusted scores.

Submissions are graded in parallel (batch.grade_many); as each finishes, this
process writes its record (store) and then its grade (gradebook), one student
at a time, so the gradebook has a single writer. A record whose submission and
grading code are unchanged, and whose grade is in the gradebook, is not redone:
re-running is idempotent, and a run killed at any moment loses no finished
grade while the next run completes the rest. A gradebook that disagrees with
a trusted record (written by another grader) is said so and rewritten.

nbgrader's own autograde (through plugins.py) grades one submission at a
time with trusted_grade, which keeps the same records.
"""
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field

from tqdm import tqdm

from ..grade.notebook import UnreadableNotebook, grade_ids
from ..grade.results import Report
from ..language import say
from ..sandbox import Limits
from . import batch, store
from .counting import students, submissions

GRADED, UNREADABLE, FAILED, MISSING = "graded", "unreadable", "grader_failure", "missing"


@dataclass
class Summary:
    students: int = 0
    graded_now: int = 0
    scores: list = field(default_factory=list)  # automatic points, for students with a trusted score
    max_score: float = 0.0
    flagged: dict = field(default_factory=dict)  # student -> reasons
    repaired: dict = field(default_factory=dict)  # student -> how the gradebook disagreed with the kit
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
        unchanged = self.students - self.graded_now - len(self.repaired)
        values = dict(assignment=course.assignment, submissions=submissions(self.students),
                      graded=self.graded_now, unchanged=unchanged, repaired=len(self.repaired), seconds=self.seconds)
        lines = [say("{assignment}: {submissions}, {graded} graded now, {unchanged} unchanged, {repaired} repaired "
                     "({seconds:.1f} s)", **values) if self.repaired else
                 say("{assignment}: {submissions}, {graded} graded now, {unchanged} unchanged ({seconds:.1f} s)",
                     **values)]
        if self.scores:
            lines.append("  " + say("automatic points   mean {mean:.1f}, median {median:g} (of {points:g}, {students})",
                                    mean=statistics.mean(self.scores), median=statistics.median(self.scores),
                                    points=self.max_score, students=students(len(self.scores))))
        lines.append(f"  flagged            {len(self.flagged)} (marked for manual grading in the gradebook)")
        lines.append(f"  gradebook          {course.db_url}")
        for student, reasons in sorted(self.flagged.items()):
            lines.append(f"  - {student}: {'; '.join(reasons)}")
        if self.repaired:
            lines.append(f"  repaired           {len(self.repaired)} (the gradebook disagreed with the kit's "
                         "trusted record, as when another grader wrote it: rewritten)")
            lines.extend(f"  - {student}: {why}" for student, why in sorted(self.repaired.items()))
        return lines


def new_record(submission, fingerprint, kit, outcome, expected_cells):
    """The stored record of one graded submission (whose bytes had this fingerprint
    when grading started), with the reasons to flag it: for the instructor ("flags")
    and, in the second person, for the student's feedback page ("flags_for_student")."""
    record = {"student": submission.student, "kit": kit, "submission": fingerprint,
              "notebook": submission.notebook.name if submission.notebook else None,
              "outcome": GRADED, "message": None, "report": None, "recorded": None}
    flags, for_student = [], []

    def flag(reason, to_student):
        flags.append(reason)
        for_student.append(to_student)

    if submission.problem:
        flag(submission.problem, submission.problem_for_student or submission.problem)
    if submission.notebook is None:
        record["outcome"] = MISSING
    elif isinstance(outcome, batch.Unreadable):
        record.update(outcome=UNREADABLE, message=outcome.message)
        why = outcome.message.partition(": ")[2]
        flag(why, say("your notebook could not be read ({why}): open it in Jupyter, save it and hand it in again",
                      why=why))
    elif isinstance(outcome, batch.GraderFailure):
        record.update(outcome=FAILED, message=outcome.message)
        flag("the kit failed on this submission (see the record in trusted/)",
             say("the grader failed on your notebook (not your fault): your instructor will grade it by hand"))
    else:
        record["report"] = outcome.to_dict()
        if outcome.grader_errors:
            flag("the kit failed on some checks (see the record in trusted/)",
                 say("the grader failed on some checks (not your fault): your instructor will look at them"))
        if outcome.incidents:
            flag("the student's code misbehaved in the sandbox: " + "; ".join(outcome.incidents),
                 say("some of your functions hung, crashed, exited Python or left processes running while they were "
                     "checked: the table below says which"))
        try:
            missing = sorted(expected_cells - grade_ids(submission.notebook))
        except UnreadableNotebook:
            missing = []
        if missing:
            flag("cells deleted or their nbgrader metadata removed: " + ", ".join(missing),
                 say("cells the notebook needs were deleted or lost their nbgrader metadata ({cells}): your "
                     "instructor will check them", cells=", ".join(missing)))
    record["flags"], record["flags_for_student"] = flags, for_student
    return record


def _report(record):
    return Report.from_dict(record["report"]) if record.get("report") else None


def is_fresh(record, kit, fingerprint):
    """Was this record made by this grader's code from these submitted bytes?"""
    return record is not None and record.get("kit") == kit and record.get("submission") == fingerprint


def trusted_grade(course, student):
    """The gradebook.TrustedGrade of one student's submission, for nbgrader's own
    autograde: from the trusted record, graded now (and recorded) if the record is
    missing or stale. Raises gradebook.RecordError when there is no report to write."""
    from . import gradebook
    [submission] = course.submissions(student)
    kit, fingerprint = store.kit_fingerprint(), submission.fingerprint()
    previous = store.load(course.trusted_result(student))
    record = previous
    if not is_fresh(previous, kit, fingerprint):
        # In a grading process of its own, as for a class: not in nbgrader's (or
        # Jupyter's, for formgrader's button) process, which pytest would share.
        outcome = dict(batch.grade_many([submission.notebook], jobs=1))[str(submission.notebook)] \
            if submission.notebook else None
        record = new_record(submission, fingerprint, kit, outcome, _expected_cells(course))
        record["recorded"] = course.db_url
        record["autograded"] = True  # if nbgrader fails on it, the kit's next run notices
        store.save(course.trusted_result(student), record)
    report = _report(record)
    if report is None:
        raise gradebook.RecordError(f"the kit could not grade {student}'s notebook: "
                                    + (record["message"] or record["outcome"]).splitlines()[0])
    return gradebook.TrustedGrade(report, tuple(record["flags"]), bool(previous and previous.get("flags")))


def _expected_cells(course):
    return grade_ids(course.root / course.source_directory / course.assignment / f"{course.assignment}.ipynb")


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
    record["autograded"] = False  # whether autograded/ holds its notebook for formgrader
    if report is not None:
        try:
            gradebook.record(course, record["student"], record["notebook"],
                             gradebook.TrustedGrade(report, tuple(reasons), was_flagged))
            record["autograded"] = True
            return reasons
        except gradebook.RecordError as error:
            reasons.append(str(error))
            to_student = say("your notebook could not be put into the gradebook automatically: your instructor "
                             "will grade it by hand")
            if to_student not in record.setdefault("flags_for_student", []):
                record["flags_for_student"].append(to_student)
    gradebook.record_directly(course, record["student"], report, reasons)
    return reasons


def autograde(course, student=None, jobs=None, limits=Limits(), progress=True, force=False, grade_many=None):
    """Grade the class (or one student) into the gradebook; force: regrade even
    submissions whose trusted record is current. grade_many: where the notebooks
    are graded (batch.grade_many's signature; default: processes on this machine,
    or the check service's Celery workers with `--broker`); this process alone
    writes the records and the gradebook either way."""
    started = time.perf_counter()
    kit = store.kit_fingerprint()
    expected_cells = _expected_cells(course)
    submissions = course.submissions(student)
    records = {s.student: store.load(course.trusted_result(s.student)) for s in submissions}
    fingerprints = {s.student: s.fingerprint() for s in submissions}
    fresh = set() if force else {student for student, record in records.items()
                                 if is_fresh(record, kit, fingerprints[student])}
    to_grade = {str(s.notebook): s for s in submissions if s.student not in fresh and s.notebook is not None}
    # Grading starts first: nbgrader's imports below take seconds, and overlap with it.
    results = (grade_many or batch.grade_many)(list(to_grade), jobs, limits) if to_grade else iter(())
    from . import gradebook
    gradebook.ensure_assignment(course)
    recorded = gradebook.recorded_students(course)
    checked = {name for name in fresh if records[name].get("recorded") == course.db_url and name in recorded}
    disagreements = gradebook.disagreements(
        course, {name: _report(records[name]) for name in checked if records[name].get("report")},
        autograded={name for name in checked if records[name].get("autograded")})
    summary = Summary(students=len(submissions), repaired=disagreements)
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
            if (record.get("recorded") == course.db_url and submission.student in recorded
                    and submission.student not in disagreements):
                _count(summary, submission.student, _report(record), record["flags"])
                bar.update()
            else:
                finish(record)  # its grade never reached this gradebook, or was overwritten there
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
