"""An nbgrader course on disk: its settings, its submissions, and where the
kit keeps what it makes (trusted results, feedback, the class report)."""
import copy
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .. import contract
from ..grade.notebook import find_submitted
from ..language import say

CONFIG_FILE = "nbgrader_config.py"
# The kit's own folders in the course root, beside nbgrader's.
TRUSTED_DIRECTORY = "trusted"
REPORTS_DIRECTORY = "reports"


class CourseError(Exception):
    """The folder is not a course the kit can grade; str() says why."""


@dataclass(frozen=True)
class Submission:
    student: str
    notebook: Path | None  # the notebook to grade, if there is one
    problem: str | None = None  # why it needs a human look before grading even starts
    problem_for_student: str | None = None  # the same, said to the student

    def fingerprint(self):
        """A digest of the submitted notebook's name and bytes (or of its absence):
        renaming the notebook is a new submission too."""
        if self.notebook is None:
            return "no notebook"
        try:
            return hashlib.sha256(self.notebook.name.encode() + b"\0" + self.notebook.read_bytes()).hexdigest()
        except OSError as error:
            return f"unreadable: {error}"


class Course:
    def __init__(self, root, assignment=contract.ASSIGNMENT, db_url=None):
        self.root = Path(root).resolve()
        self.assignment = assignment
        self.config = Config()
        if (self.root / CONFIG_FILE).exists():
            self.config.merge(PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config())
        self.config.CourseDirectory.root = str(self.root)
        self.config.CourseDirectory.assignment_id = assignment
        if db_url:
            self.config.CourseDirectory.db_url = db_url
        settings = self.config.CourseDirectory
        # nbgrader's defaults, read without importing nbgrader (about 5 s here),
        # so that grading starts while nbgrader loads.
        self.source_directory = settings.get("source_directory", "source")
        self.submitted_directory = settings.get("submitted_directory", "submitted")
        self.autograded_directory = settings.get("autograded_directory", "autograded")
        self.feedback_directory = settings.get("feedback_directory", "feedback")
        self.course_id = settings.get("course_id", "")
        self.db_url = settings.get("db_url", "") or f"sqlite:///{self.root / 'gradebook.db'}"
        self._structure = settings.get("directory_structure", "{nbgrader_step}/{student_id}/{assignment_id}")
        if not (self.root / self.source_directory / assignment).is_dir():
            raise CourseError(self._no_such_assignment())

    def _no_such_assignment(self):
        """Why there is no assignment of that name here: a course root without it
        (a typo: say which there are), or not a course root at all."""
        source = self.root / self.source_directory
        if not (self.root / CONFIG_FILE).is_file() and not source.is_dir():
            return say("{root} is not a course root (it has no {config} and no {source}/): run this from the "
                       "course root, the folder where nbgrader_config.py is", root=str(self.root), config=CONFIG_FILE,
                       source=self.source_directory)
        known = sorted(entry.name for entry in source.iterdir() if entry.is_dir()) if source.is_dir() else []
        close = difflib.get_close_matches(self.assignment, known, n=1)
        if close:
            return say("there is no assignment {assignment} in {source}/: did you mean {close}?",
                       assignment=self.assignment, source=self.source_directory, close=close[0])
        if known:
            return say("there is no assignment {assignment} in {source}/; the course has {known}",
                       assignment=self.assignment, source=self.source_directory, known=", ".join(known))
        return say("there is no assignment {assignment}: {source}/ holds no assignment yet (each is a folder "
                   "{source}/<assignment>/ with its notebook)", assignment=self.assignment,
                   source=self.source_directory)

    def coursedir(self, **settings):
        """nbgrader's CourseDirectory for this course (with extra settings, e.g. student_id)."""
        from nbgrader.coursedir import CourseDirectory
        config = copy.deepcopy(self.config)  # a shallow copy shares CourseDirectory's settings
        for name, value in settings.items():
            setattr(config.CourseDirectory, name, value)
        return CourseDirectory(config=config)

    def path(self, step, student):
        return self.root / self._structure.format(nbgrader_step=step, student_id=student,
                                                  assignment_id=self.assignment)

    def submissions(self, student=None):
        """Every student's submission of this assignment (or only `student`'s), sorted by student."""
        submitted = self.root / self.submitted_directory
        students = [student] if student else sorted(
            entry.name for entry in submitted.iterdir() if entry.is_dir()) if submitted.is_dir() else []
        found = []
        for name in students:
            folder = self.path(self.submitted_directory, name)
            if not folder.is_dir():
                if student:
                    raise CourseError(f"no submission of {self.assignment} by {student} in {folder}")
                continue
            found.append(self._submission(name, folder))
        return found

    def _submission(self, student, folder):
        found = find_submitted(folder)
        if found is None:
            return Submission(student, None, f"no notebook submitted (expected {contract.NOTEBOOK})",
                              say("you handed in no notebook (the assignment's is {expected})",
                                  expected=contract.NOTEBOOK))
        if found.name != contract.NOTEBOOK:
            return Submission(student, found, f"the notebook is named {found.name}, "
                                              f"not {contract.NOTEBOOK} (graded anyway)",
                              say("your notebook is named {name}, not {expected}: it was graded anyway, but keep "
                                  "the assignment's name next time", name=found.name, expected=contract.NOTEBOOK))
        return Submission(student, found)

    def trusted_result(self, student):
        return self.root / TRUSTED_DIRECTORY / self.assignment / f"{student}.json"

    def feedback_page(self, student):
        return self.path(self.feedback_directory, student) / f"{contract.NOTEBOOK_ID}.html"

    def reports(self):
        return self.root / REPORTS_DIRECTORY / self.assignment
