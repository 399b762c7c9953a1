"""Trusted scores into nbgrader's gradebook.

Through nbgrader's own autograde pipeline, with its one execution step
replaced: nbgrader still restores the locked cells, records the timestamp
and late penalty, and writes the autograded notebook formgrader shows, but
each test cell's output is the kit's verdict, computed outside the student's
kernel, instead of what running the student's notebook printed. nbgrader
then scores the cells from those outputs as it always does (a number as the
cell's result is partial credit), so `nbgrader export` and formgrader show
exactly the kit's scores.

The same steps run when an instructor uses nbgrader's own verbs: the
course's nbgrader_config.py names them (see plugins.py), so `nbgrader
autograde` and formgrader's Autograde button write the same gradebook.

A notebook saved under another name goes through the pipeline under the
assignment's name (a staged copy), so formgrader can open it. Submissions
nbgrader cannot process (no notebook, an unreadable file) are written with
nbgrader's Gradebook API instead.
"""
import logging
import os
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass

import nbformat
from nbgrader import api, dbutil, utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateAssignment, NbGraderException
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import contract

FLAG_PREFIX = "Flagged for manual grading by the kit: "
# nbgrader runs the `alembic` command whenever it creates a gradebook: let it
# find the one installed beside this Python even when the environment is not activated.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")
# nbgrader's own harmless noise on every gradebook write (see its issue tracker).
warnings.filterwarnings("ignore", message=".*not in session.*")



def _alembic_head():
    """The gradebook schema version nbgrader stamps on a new database. nbgrader
    asks the `alembic` command, which starts Python and imports nbgrader again
    (7 s here); reading the same migration scripts in this process gives the
    same answer in a fraction of that."""
    from alembic.script import ScriptDirectory
    return ScriptDirectory(dbutil.ALEMBIC_DIR).get_current_head()


api.get_alembic_version = _alembic_head


class RecordError(Exception):
    """nbgrader could not process the submission; str() says why."""


class _Errors(logging.Handler):
    """Keeps nbgrader's error messages, to give a reason when it fails."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage().strip().splitlines()[-1])


def _quiet_logger():
    logger = logging.getLogger(f"{__name__}.nbgrader")
    logger.propagate = False
    logger.setLevel(logging.ERROR)
    logger.handlers[:] = [_Errors()]
    return logger


def cell_results(report):
    """{test cell grade_id: (score, points, text for the cell's output)} from a Report."""
    results = {}
    for tag, (score, points, _) in report.by_tag().items():
        lines = [f"Graded by the kit's hidden checks, outside the student's kernel: {score:g} / {points:g}"]
        for check in report.checks:
            if check.tag == tag:
                mark = "ok  " if check.score == check.points else "FAIL"
                lines.append(f"{mark} {check.question}")
                if check.message:
                    lines.extend("       " + line for line in check.message.splitlines())
        results[contract.grade_cell_id(tag)] = (score, points, "\n".join(lines) + "\n")
    return results


def _scaled(score, points, cell_points):
    """The kit's score for a tag as a share of its test cell's points (an
    instructor may have changed the cell's points in the source notebook)."""
    return score / points * cell_points if points else 0.0


@dataclass(frozen=True)
class TrustedGrade:
    """What the autograde pipeline writes for one submission: the kit's report,
    the reasons to flag it, and whether the kit flagged its previous submission."""
    report: object
    reasons: tuple = ()
    was_flagged: bool = False


# nbgrader's autograde steps after the kit's verdicts, by import name as the
# course's nbgrader_config.py names them: nbgrader's own list with Execute
# replaced, the kit's flag set once the grades are saved, and the notebook
# made readable for graders last (the scores are read from it before).
AFTER_VERDICTS = [
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "autograder.classwork.gradebook.FlagAsTheKitSays",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.classwork.autograded.ForGraders",
]


class TrustedResults(NbGraderPreprocessor):
    """Stands where nbgrader's Execute stands: gives each test cell the kit's verdict as its output."""

    def __init__(self, grade=None, **kwargs):
        super().__init__(**kwargs)
        self.grade = grade

    def trusted_grade(self, resources):
        """The TrustedGrade for the submission in `resources`."""
        return self.grade

    def preprocess(self, nb, resources):
        grade = self.trusted_grade(resources)
        resources["trusted_grade"] = grade  # for the kit's later steps
        self.results = cell_results(grade.report)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            grade_id = cell.metadata.nbgrader.grade_id
            if grade_id not in self.results:
                raise RecordError(f"the kit has no checks for the test cell {grade_id!r}")
            score, points, text = self.results[grade_id]
            scaled = _scaled(score, points, float(cell.metadata.nbgrader.points))
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text=text),
                # nbgrader reads a number as the cell's result as partial credit.
                nbformat.v4.new_output("execute_result", data={"text/plain": repr(round(scaled, 6))},
                                       execution_count=index),
            ]
        return cell, resources


def ensure_assignment(course):
    """Register the assignment in the gradebook (as generate_assignment does) if it is not there yet."""
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            gb.find_assignment(course.assignment)
            return False
        except MissingEntry:
            pass
    converter = GenerateAssignment(coursedir=course.coursedir(), config=course.config,
                                   log=_quiet_logger())
    converter.force = True
    converter.start()
    return True


class FlagAsTheKitSays(NbGraderPreprocessor):
    """After nbgrader saved the grades: raises formgrader's flag on a submission
    the kit flagged, or takes down the flag the kit raised on the previous one."""

    def preprocess(self, nb, resources):
        grade = resources["trusted_grade"]
        db_url, assignment, student = (resources["nbgrader"][key] for key in ("db_url", "assignment", "student"))
        if grade.reasons:
            flag(db_url, assignment, student, grade.reasons)
        elif grade.was_flagged:
            unflag(db_url, assignment, student)
        return nb, resources


def record(course, student, notebook_name, grade):
    """Autograde one submission through nbgrader with the kit's TrustedGrade; raises RecordError.
    notebook_name: the submitted notebook's file name, which may not be the assignment's."""
    submitted = course.path(course.submitted_directory, student)
    with tempfile.TemporaryDirectory(prefix="simple-nn-staged-") as staging:
        settings = {"student_id": student}
        if notebook_name != contract.NOTEBOOK:
            # nbgrader grades only notebooks named as in the assignment: give it a copy
            # under that name (and the submission's other files, timestamp included).
            staged = course.path(staging, student)
            shutil.copytree(submitted, staged, ignore=shutil.ignore_patterns("*.ipynb"))
            shutil.copy(submitted / notebook_name, staged / contract.NOTEBOOK)
            settings["submitted_directory"] = staging
        coursedir = course.coursedir(**settings)
        logger = _quiet_logger()
        converter = Autograde(coursedir=coursedir, config=coursedir.config, log=logger)
        converter.force = True
        converter.autograde_preprocessors = [TrustedResults(grade, parent=converter), *AFTER_VERDICTS]
        try:
            converter.start()
        except (NbGraderException, RecordError) as error:
            reasons = logger.handlers[0].messages or [str(error)]
            raise RecordError(f"nbgrader could not process the notebook ({reasons[0]})") from None


def record_directly(course, student, report, reasons):
    """Write scores (or none, without a report) and flag, for a submission nbgrader cannot process."""
    autograded = course.path(course.autograded_directory, student)
    shutil.rmtree(autograded, ignore_errors=True)  # no stale notebook beside the new grade
    results = cell_results(report) if report is not None else {}
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_student(student)
        timestamp = course.coursedir().get_existing_timestamp(
            str(course.path(course.submitted_directory, student)))
        gb.update_or_create_submission(course.assignment, student, **({"timestamp": timestamp} if timestamp else {}))
        notebook = gb.find_submission_notebook(contract.NOTEBOOK_ID, course.assignment, student)
        for grade in notebook.grades:
            if grade.name in results:
                score, points, _ = results[grade.name]
                grade.auto_score = _scaled(score, points, grade.max_score)
            elif grade.cell.cell_type == "code":
                grade.auto_score = None
        gb.db.commit()
    flag(course.db_url, course.assignment, student, reasons)


def flag(db_url, assignment, student, reasons):
    """Flag the submission (formgrader's flag), mark every grade for manual
    grading, and say why in its comments."""
    text = FLAG_PREFIX + "; ".join(reasons)
    with Gradebook(db_url) as gb:
        notebook = gb.find_submission_notebook(contract.NOTEBOOK_ID, assignment, student)
        notebook.flagged = True
        for grade in notebook.grades:
            grade.needs_manual_grade = True
        for comment in notebook.comments:
            comment.auto_comment = text
        gb.db.commit()


def unflag(db_url, assignment, student):
    """Take down the flag the kit raised on an earlier submission that this one no longer deserves."""
    with Gradebook(db_url) as gb:
        gb.find_submission_notebook(contract.NOTEBOOK_ID, assignment, student).flagged = False
        gb.db.commit()


def recorded_students(course):
    """The students with a submission of the assignment in the gradebook."""
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            return {submission.student.id for submission in gb.find_assignment(course.assignment).submissions}
        except MissingEntry:
            return set()


def disagreements(course, reports, autograded):
    """{student: how the gradebook differs from the kit's report} for the students
    of `reports` ({student: Report}) whose automatic scores in the gradebook are
    not the kit's, or who are in `autograded` and whose autograded notebook (what
    formgrader opens) is gone."""
    found = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        for student, report in sorted(reports.items()):
            results = cell_results(report)
            try:
                grades = gb.find_submission_notebook(contract.NOTEBOOK_ID, course.assignment, student).grades
            except MissingEntry:
                continue
            expected = {g.name: _scaled(*results[g.name][:2], g.max_score) for g in grades if g.name in results}
            actual = {g.name: g.auto_score for g in grades if g.name in results}
            if any(actual[name] is None or abs(actual[name] - score) > 1e-6 for name, score in expected.items()):
                had = sum(score or 0 for score in actual.values())
                found[student] = (f"the gradebook had {had:g} automatic points, the kit's trusted record "
                                  f"{sum(expected.values()):g}")
            elif student in autograded and not (
                    course.path(course.autograded_directory, student) / contract.NOTEBOOK).exists():
                found[student] = f"its autograded {contract.NOTEBOOK}, which formgrader opens, was missing"
    return found
