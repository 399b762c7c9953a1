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


def sandbox_group(box):
    """The name of a sandbox's control groups (None on a machine without them)."""
    group = box._box.group if box._box else None
    return group.folders[0].name if group else None


def sandbox_processes(group):
    """The processes still running in a sandbox's control groups."""
    assert group, "no control group on this machine to find the sandbox's processes by"
    marker = f"/{group}\n".encode()
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and marker in open(f"/proc/{pid}/cgroup", "rb").read():
                found.append(pid)
        except OSError:
            pass
    return found



def pytest_report_header(config):
    """Which redis-server the check service's tests run (they need a real one)."""
    import serviceparts
    return serviceparts.redis_found()
