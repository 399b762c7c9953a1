"""`python -m autograder grade` and `check` on whole notebooks, as their users run them."""
import json
import subprocess
import sys
from collections import defaultdict

import nbformat
import pytest

from autograder import contract
from conftest import RELEASE, ROOT, SOURCE

# Gradescope's test keys; extra_data (its spec's free field) keeps each message's template and values.
GRADESCOPE_TEST_KEYS = {"name", "score", "max_score", "output", "visibility", "tags", "status", "extra_data"}


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def source_json(env):
    result = run("grade", SOURCE, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def release_json(env):
    result = run("grade", RELEASE, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_solution_gets_every_point(source_json):
    """Does the instructor's notebook pass every hidden check?"""
    failed = [t["name"] + ": " + t["output"] for t in source_json["tests"] if t["score"] != t["max_score"]]
    assert not failed
    assert sum(t["max_score"] for t in source_json["tests"]) > 0


def test_the_release_gets_nothing_and_says_why(release_json):
    """Does the unanswered release score 0, every failure saying 'not implemented', with no grader error?"""
    assert all(t["score"] == 0 for t in release_json["tests"])
    assert all("not implemented yet" in t["output"] for t in release_json["tests"])
    assert "grader itself failed" not in release_json["output"]


def test_json_follows_gradescopes_format(source_json):
    """Is every test a Gradescope test object whose tags hold exactly one name: its function or pipeline?"""
    assert isinstance(source_json["execution_time"], float) and isinstance(source_json["output"], str)
    for test in source_json["tests"]:
        assert set(test) == GRADESCOPE_TEST_KEYS
        assert test["visibility"] == "visible" and test["status"] in ("passed", "failed")
        assert len(test["tags"]) == 1 and test["tags"][0] in contract.TAGS
    assert {t["tags"][0] for t in source_json["tests"]} == set(contract.TAGS)


def test_notebook_points_match_the_checks(source_json):
    """Is each test cell in the notebook worth exactly the points of its hidden checks (so nbgrader's total is the kit's)?"""
    checks = defaultdict(float)
    for test in source_json["tests"]:
        checks[test["tags"][0]] += test["max_score"]
    cells = {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"].get("points")
             for cell in nbformat.read(SOURCE, as_version=4).cells if "nbgrader" in cell.metadata}
    assert {tag: cells[contract.grade_cell_id(tag)] for tag in contract.TAGS} == dict(checks)


@pytest.mark.parametrize("content", ["{", "{}", "not a notebook at all"])
def test_unreadable_input_exits_2_with_one_line(tmp_path, env, content):
    """Does a file that is not a notebook give exit status 2 and one clear line on stderr, no traceback?"""
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    for verb in (["grade", path, "--json"], ["check", path]):
        result = run(*verb, env=env)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    document = json.loads(run("grade", path, "--json", env=env).stdout)
    assert document["score"] == 0 and document["tests"] == [] and "could not be graded" in document["output"]


def test_check_prints_a_table_students_can_read(tmp_path, env):
    """Does `check` show each function's points and, for a mistake, the question and the likely cause?"""
    from samples import build
    path = build.write(build.notebook({"l2_loss": "def l2_loss(outputs, targets):\n"
                                                  "    return float(((outputs - targets) ** 2).mean())\n"}),
                       tmp_path / "simple_nn.ipynb")
    result = run("check", path, env=env)
    assert result.returncode == 0, result.stderr
    assert "28 of 30 points" in result.stdout  # the value, and the single-number point that waits for it
    assert "l2_loss" in result.stdout and "FAILED" in result.stdout
    assert "twice too large" in result.stdout and "Is the loss sum((outputs - targets) ** 2) / 2 / n?" in result.stdout
    assert "def test_" not in result.stdout and "assert " not in result.stdout


def test_check_shows_progress_on_a_terminal_while_a_function_hangs(tmp_path, env):
    """On a terminal, does `check` show which function it is checking while that one hangs, before the table?"""
    import os
    import pty
    from samples import build
    path = build.write(build.notebook({"train": "def train(inputs, targets, weights, bias, learning_rate=0.01, "
                                                "n_iterations=100):\n    while True:\n        pass\n"}),
                       tmp_path / "simple_nn.ipynb")
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "autograder", "check", str(path), "--timeout", "1"],
                               cwd=ROOT, env={**env, "COLUMNS": "100"}, stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0
    text = screen.decode(errors="replace")
    table = text.index(f"{path}: ")
    assert "checking train" in text[:table] and "checking generate_data" in text[:table], text[:2000]
    assert "train timed out after 1 s" in text[table:]
