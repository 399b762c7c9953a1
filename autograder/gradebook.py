"""Trusted scores into nbgrader's gradebook.

Through nbgrader's own autograde pipeline, with its one execution step
replaced: nbgrader still restores the locked cells, records the timestamp
and late penalty, and writes the autograded notebook formgrader shows, but
each test cell's output is the kit's verdict, computed outside the student's
kernel, instead of what running the student's notebook printed. nbgrader
then scores the cells from those outputs as it always does (a number as the
cell's result is partial credit), so `nbgrader export` and formgrader show
exactly the kit's scores.

Submissions nbgrader cannot process (no notebook, a wrong file name, an
unreadable file) are written with nbgrader's Gradebook API instead.
"""
import logging
import os
import shutil
import sys
import warnings

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader import api, dbutil, utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateAssignment, NbGraderException
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                    NbGraderPreprocessor, SaveAutoGrades)

from . import contract

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


class TrustedResults(NbGraderPreprocessor):
    """Stands where nbgrader's Execute stands: gives each test cell the kit's verdict as its output."""

    def __init__(self, results, **kwargs):
        super().__init__(**kwargs)
        self.results = results

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


def record(course, student, report):
    """Autograde one submission through nbgrader with the kit's results; raises RecordError."""
    coursedir = course.coursedir(student_id=student)
    logger = _quiet_logger()
    converter = Autograde(coursedir=coursedir, config=coursedir.config, log=logger)
    converter.force = True
    converter.autograde_preprocessors = [TrustedResults(cell_results(report), parent=converter), IgnorePattern,
                                         ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                                         AssignLatePenalties, CheckCellMetadata]
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
    flag(course, student, reasons)


def flag(course, student, reasons):
    """Flag the submission (formgrader's flag), mark every grade for manual
    grading, and say why in its comments."""
    text = FLAG_PREFIX + "; ".join(reasons)
    with Gradebook(course.db_url, course.course_id) as gb:
        notebook = gb.find_submission_notebook(contract.NOTEBOOK_ID, course.assignment, student)
        notebook.flagged = True
        for grade in notebook.grades:
            grade.needs_manual_grade = True
        for comment in notebook.comments:
            comment.auto_comment = text
        gb.db.commit()


def unflag(course, student):
    """Take down the flag the kit raised on an earlier submission that this one no longer deserves."""
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.find_submission_notebook(contract.NOTEBOOK_ID, course.assignment, student).flagged = False
        gb.db.commit()


def recorded_students(course):
    """The students with a submission of the assignment in the gradebook."""
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            return {submission.student.id for submission in gb.find_assignment(course.assignment).submissions}
        except MissingEntry:
            return set()
