"""Grade one notebook: run the hidden checks with pytest, in this (trusted)
process, against the student's functions running in the sandbox."""
import contextlib
import io
import time
import traceback
from pathlib import Path

import numpy as np
import pytest

from .. import contract
from ..language import say
from . import notebook, program, scoring
from .results import ERROR, FAILED, PASSED, CheckResult, Report
from ..sandbox import Limits, Sandbox, StudentFailure, warm_up

CHECKS = Path(__file__).resolve().parent.parent / "checks"
TEST_CELLS = frozenset(contract.grade_cell_id(tag) for tag in contract.TAGS)


class Student:
    """The `student` fixture: student.predict(...) calls the student's predict in
    the sandbox; student.using(reference_helpers=True) passes sandbox options;
    student.fresh() is the same notebook in a new sandbox, which shares no
    state (memory, files) with this one."""

    def __init__(self, sandbox, fresh, only, **options):
        self._sandbox = sandbox
        self._fresh = fresh
        self._only = only  # called with the sandbox about to run: every other one is closed first
        self._options = options

    def using(self, **options):
        return Student(self._sandbox, self._fresh, self._only, **{**self._options, **options})

    def fresh(self):
        return Student(self._fresh(), self._fresh, self._only, **self._options)

    def __getattr__(self, name):
        if name not in contract.FUNCTIONS:
            raise AttributeError(name)

        def call(*args, **kwargs):
            self._only(self._sandbox)
            return self._sandbox.call(name, args, kwargs, **self._options)
        return call


class _Checks:
    """A pytest plugin: provides the fixtures and records each check's result."""

    def __init__(self, program, limits, progress=None):
        self.program = program
        self.limits = limits
        self.progress = progress  # called before each check with (checks done, checks in all, its tag)
        self.total = 0
        self.sandboxes = [Sandbox(program, limits)]
        self.results = []
        self.requires = {}  # (tag, name) -> the checks whose passing its points depend on
        self.artifacts = {}
        self.errors = []
        self.incidents = []  # checks that could not read a student's answer, for a human to look at

    def new_sandbox(self):
        self.sandboxes.append(Sandbox(self.program, self.limits))
        return self.sandboxes[-1]

    def close(self):
        for sandbox in self.sandboxes:
            sandbox.close()

    def only(self, running):
        """One sandbox of the notebook alive at a time: nothing two of them hold at once
        can carry a signal, and the notebook's memory and processes are one sandbox's."""
        for sandbox in self.sandboxes:
            if sandbox is not running:
                sandbox.suspend()

    @pytest.fixture
    def student(self):
        return Student(self.sandboxes[0], self.new_sandbox, self.only)

    @pytest.fixture(name="artifacts")
    def artifacts_fixture(self):
        return self.artifacts

    def pytest_collection_finish(self, session):
        self.total = len(session.items)

    def pytest_runtest_setup(self, item):
        if self.progress is not None:
            self.progress(len(self.results), self.total, _tag(item))
        # Each check's calls run in fresh processes: nothing one check's calls
        # leave behind (globals, files, threads) reaches another check.
        for sandbox in self.sandboxes:
            sandbox.new_check()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.failed and report.when == "setup"):
            self.results.append(self._result(item, call))

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(f"collecting {report.nodeid}: {report.longreprtext}")

    def _result(self, item, call):
        tag = _tag(item)
        marker = item.get_closest_marker("points")
        points = marker.args[0] if marker else 1
        question = (item.function.__doc__ or item.name).strip().splitlines()[0]
        result = CheckResult(tag, item.name, question, points, 0, FAILED)
        requires = item.get_closest_marker("counts_when")
        if requires:
            self.requires[(tag, item.name)] = requires.args
        error = call.excinfo.value if call.excinfo else None
        if error is None:
            result.score, result.status = points, PASSED
        elif isinstance(error, StudentFailure):
            result.message = str(error)
            result.cause = failure_cause(error)
        elif isinstance(error, AssertionError):
            result.message = str(error) or "failed"
            result.cause = getattr(error, "cause", "") or "wrong values"
        elif _read_from_an_answer(error):
            # The check could not read what the student's function returned (an integer
            # beyond any float, a string where numbers belong): the student's failure.
            result.message = say("your answer could not be read as the numbers this check needs ({error}): "
                                 "return the types and shapes the docstring states", error=type(error).__name__)
            result.cause = UNREADABLE_ANSWER
            self.incidents.append(f"{item.nodeid}: {type(error).__name__} reading the student's answer: "
                                  f"{str(error)[:200]}")
        else:
            result.status = ERROR
            result.message = "The grader failed on this check (not your fault); your instructor has been told."
            self.errors.append(f"{item.nodeid}: " + "".join(
                traceback.format_exception(type(error), error, error.__traceback__)))
        return result


UNREADABLE_ANSWER = "an answer the checks cannot read"
# What reading a student's answer can raise: a value of the wrong kind, size or shape. A
# kit bug raises these too, but every correct answer in the corpus is graded by the kit's
# tests, so one would show there; what a student returns must never make grading fail.
ANSWER_ERRORS = (ArithmeticError, ValueError, TypeError, LookupError, AttributeError, RecursionError,
                 MemoryError, np.linalg.LinAlgError)


def _read_from_an_answer(error):
    return isinstance(error, ANSWER_ERRORS)


def _tag(item):
    return item.module.__name__.rpartition(".")[2].removeprefix("test_")


# How a call into student code failed, as a cause the class report can count
# (by the failure's class name, so the sandbox's types stay its own business).
FAILURE_CAUSES = {
    "NotDefined": "not defined", "NotImplementedYet": "not implemented", "TimedOut": "timed out",
    "OutOfMemory": "memory limit exceeded", "TooMuchOutput": "prints too much", "Exited": "exits the process",
    "Crashed": "crashes the process", "BadAnswer": "an answer the grader cannot read", "NotCallable": "not a function",
}


def failure_cause(failure):
    if getattr(failure, "type_name", None):
        return f"raises {failure.type_name}"
    return FAILURE_CAUSES.get(type(failure).__name__, "fails to run")


MAX_INCIDENTS = 20
# The student's training run is kept for plots: a few thousand points draw the same curve,
# and a record stays small whatever the student's train returned (1.9 million losses).
MAX_ARTIFACT_POINTS = 5000


def _kept_artifacts(artifacts):
    """The artifacts as finite-size float arrays, each at most MAX_ARTIFACT_POINTS long
    (evenly spaced points of a longer one); anything that is not numbers is left out."""
    kept = {}
    for key, value in artifacts.items():
        try:
            array = np.asarray(value, dtype=float).ravel()
        except ANSWER_ERRORS:
            continue
        if array.size > MAX_ARTIFACT_POINTS:
            array = array[np.linspace(0, array.size - 1, MAX_ARTIFACT_POINTS).astype(int)]
        kept[key] = array
    return kept


def grade(path, limits=Limits(), progress=None):
    """The Report for the notebook at `path`; raises notebook.UnreadableNotebook.
    progress(done, total, tag), if given, is called before each check."""
    started = time.perf_counter()
    warm_up()  # the sandbox's Python starts while the notebook is read and the checks collected
    # The test cells are the instructor's: they import the visible checks (a file beside the
    # notebook, out of the sandbox's reach), and the hidden checks replace them here anyway.
    cells = [cell for cell in notebook.read_code_cells(path) if cell.grade_id not in TEST_CELLS]
    checks = _Checks(program.build(cells), limits, progress)
    try:
        arguments = [str(CHECKS), "-c", str(CHECKS / "pytest.ini"), "--rootdir", str(CHECKS)]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exit_code = pytest.main(arguments, plugins=[checks])
    finally:
        checks.close()  # before reading incidents: closing finds the processes left running
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not checks.errors:
        checks.errors.append(f"pytest stopped with {exit_code!r}")
    scoring.settle(checks.results, checks.requires)
    order = {tag: i for i, tag in enumerate(contract.TAGS)}
    return Report(
        notebook=str(path),
        checks=sorted(checks.results, key=lambda r: order.get(r.tag, len(order))),
        notes=sorted({note for sandbox in checks.sandboxes for note in sandbox.notes()}),
        incidents=sorted({incident for sandbox in checks.sandboxes for incident in sandbox.incidents()}
                         | set(checks.incidents[:MAX_INCIDENTS])),
        artifacts=_kept_artifacts(checks.artifacts),
        grader_errors=checks.errors,
        seconds=time.perf_counter() - started,
        confinement=tuple(checks.sandboxes[0].confinement),
    )
