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
- FeedbackPage is generate_feedback's exporter: the page written is the kit's
  (feedback.student_page), with no hidden-test code, never nbgrader's HTML of
  the autograded notebook.
"""
import os

from nbconvert.exporters import Exporter
from traitlets import default

from . import classgrade, feedback
from .course import Course
from .gradebook import RecordError, TrustedResults


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


class FeedbackPage(Exporter):
    """generate_feedback's exporter: writes the kit's feedback page for the student."""
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb, resources = super().from_notebook_node(nb, resources, **kw)
        try:
            return feedback.student_page(_course(self, resources), resources["nbgrader"]["student"]), resources
        except LookupError as error:
            raise RecordError(str(error)) from None
