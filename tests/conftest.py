"""Shared paths and helpers for the kit's own tests."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "simple_nn" / "simple_nn.ipynb"
RELEASE = ROOT / "release" / "simple_nn" / "simple_nn.ipynb"


def tool_env():
    """The environment for running the kit's tools in a subprocess: nbgrader
    runs `alembic` from PATH, so the environment's bin folder goes first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture(scope="session")
def env():
    return tool_env()


@pytest.fixture(scope="session")
def graded(tmp_path_factory, env):
    """A class graded twice by the kit: (course root, first run, second run). Tests
    that change the course work on a copy (see copy_course)."""
    from autograder import contract
    from classcourse import class_submissions, cli
    from samples import course
    root = course.make(tmp_path_factory.mktemp("class"), class_submissions())
    first = cli("autograde", contract.ASSIGNMENT, cwd=root, env=env)
    second = cli("autograde", contract.ASSIGNMENT, cwd=root, env=env)
    return root, first, second
