"""The kit's steps in nbgrader's own verbs, named in the course's nbgrader_config.py.

Instructors also grade with `nbgrader autograde`, formgrader's Autograde
button, `nbgrader generate_feedback` and formgrader's Generate Feedback
button. With these classes in the course's configuration those verbs give
what the kit's own do:

- TrustedVerdicts stands where nbgrader's Execute stands: no kernel runs the
  student's notebook; each test cell gets the kit's verdict from the trusted
  record (graded now, in the sandbox, if the record is missing or stale), and
  the rest of the pipeline is the kit's (gradebook.AFTER_VERDICTS). So the
  gradebook gets the same scores and flags whichever verb wrote it.
- ReleasedCells stands where nbgrader's OverwriteCells stands in autograde's
  first pass: it puts the source's locked cells back as nbgrader does, but
  warns of a changed test cell only when the student changed it. A test cell
  is released without its hidden tests, so nbgrader's own step finds every
  untouched one "changed" and logs a warning that reads like tampering.
- FeedbackPage is generate_feedback's exporter: the page written is the kit's
  (feedback.student_page), with no hidden-test code, never nbgrader's HTML of
  the autograded notebook.
"""
import os

import nbformat
from nbconvert.exporters import Exporter
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells
from traitlets import default

from . import classgrade, feedback
from .course import Course
from .gradebook import RecordError, TrustedResults
from .records import student_record


def _course(configurable, resources):
    """The course nbgrader is working on: its converter's root (nbgrader also runs
    from there), the assignment and gradebook of the notebook in hand."""
    owner = configurable
    while owner is not None and not hasattr(owner, "coursedir"):
        owner = owner.parent
    root = owner.coursedir.root if owner is not None else os.getcwd()
    nbgrader = resources["nbgrader"]
    return Course(root, nbgrader["assignment"], db_url=nbgrader["db_url"])


class TrustedVerdicts(TrustedResults):
    """TrustedResults for nbgrader's own autograde: the grade comes from the kit's trusted record."""

    def trusted_grade(self, resources):
        return classgrade.trusted_grade(_course(self, resources), resources["nbgrader"]["student"])


class ReleasedCells(OverwriteCells):
    """OverwriteCells that compares a locked cell with what the student was given (the source
    cell without its hidden tests), not with the source: see the module's docstring."""

    def preprocess_cell(self, cell, resources, index):
        self._as_released = self._released_unchanged(cell)
        return super().preprocess_cell(cell, resources, index)

    def _released_unchanged(self, cell):
        """Is this locked cell exactly as the release handed it out?"""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            return False
        try:
            source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        except MissingEntry:
            return False
        released = nbformat.v4.new_code_cell(source.source)
        ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
        return source.locked and cell.cell_type == source.cell_type and cell.source.rstrip() == released.source.rstrip()

    def report_change(self, name, attr, old, new):
        if attr == "checksum" and self._as_released:
            return  # untouched: only its hidden tests are put back, as they are for every student
        super().report_change(name, attr, old, new)


class FeedbackPage(Exporter):
    """generate_feedback's exporter: writes the kit's feedback page for the student."""
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        course, student = _course(self, resources), resources["nbgrader"]["student"]
        try:
            page = feedback.student_page(course, student)
        except LookupError as error:
            raise RecordError(str(error)) from None
        # nbgrader writes the page under the assignment's notebook name; fetch_feedback looks for it
        # under the name of the notebook the student handed in.
        feedback.write_as_submitted(course, student_record(course, student)[0], page)
        return page, resources
