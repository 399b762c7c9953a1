"""A course that releases the Chinese edition, with the real nbgrader 0.9.6:
nbgrader_config.py's EDITION chooses the source folder, generate_assignment
releases the Chinese notebook under the same assignment and notebook names,
and autograde (the kit's and nbgrader's own) and feedback work on it, with
the English edition's scores."""
import re
import shutil
import subprocess

import pytest
from nbgrader.api import Gradebook

import editions
from autograder import contract
from classcourse import cli
from conftest import ROOT
from samples import build

LANGUAGE = "zh_CN"
WRONG_LOSS = {"l2_loss": "def l2_loss(outputs, targets):\n    return float(((outputs - targets) ** 2).sum() / 2)\n"}


def nbgrader(*args, cwd, env):
    result = subprocess.run(["nbgrader", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory, env):
    """A course root whose nbgrader_config.py releases the Chinese edition, released and graded."""
    root = tmp_path_factory.mktemp("chinese-course")
    source, release = editions.course_directories(LANGUAGE)
    shutil.copytree(ROOT / source, root / source)
    config = (ROOT / "nbgrader_config.py").read_text()
    assert 'EDITION = "en"' in config
    (root / "nbgrader_config.py").write_text(config.replace('EDITION = "en"', f'EDITION = "{LANGUAGE}"'))
    nbgrader("generate_assignment", contract.ASSIGNMENT, "--force", cwd=root, env=env)
    released = root / release / contract.ASSIGNMENT
    students = {"li": build.notebook(written=build.WRITTEN), "wang": build.notebook(WRONG_LOSS)}
    for student, english in students.items():
        folder = root / "submitted" / student / contract.ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy(released / "visible_checks.py", folder)
        build.write(editions.as_edition(english, LANGUAGE), folder / contract.NOTEBOOK)
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    # What the English edition gives them (tests/test_corpus.py holds the grader to it): every
    # automatic point, and every point but l2_loss's.
    points = {editions._grade_id(cell): cell.metadata["nbgrader"]["points"]
              for cell in editions.read(editions.source_notebook()).cells
              if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"}
    expected = {"li": sum(points.values()), "wang": sum(points.values()) - points["test_l2_loss"]}
    graded = cli("autograde", contract.ASSIGNMENT, cwd=root, env=env)
    return root, released, expected, graded


def test_generate_assignment_releases_the_chinese_notebook_under_the_same_names(course):
    """Does nbgrader release the edition the config names, as simple_nn/simple_nn.ipynb, in Chinese?"""
    root, released, _, _ = course
    notebook = editions.read(released / contract.NOTEBOOK)
    assert notebook.metadata["autograder"]["language"] == LANGUAGE
    assert "术语" in "".join(cell.source for cell in notebook.cells)
    assert not (root / "release").exists(), "the English release folder is not the one this course hands out"


def test_the_kits_autograde_gives_the_english_editions_scores(course):
    """Does the kit grade each Chinese submission into the gradebook with exactly its English twin's score?"""
    root, _, english_scores, graded = course
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        scores = {student: gradebook.find_submission(contract.ASSIGNMENT, student).score
                  for student in english_scores}
    assert scores == pytest.approx(english_scores) and english_scores["wang"] < english_scores["li"]
    assert re.search(r"\bli\b", graded.stdout) and re.search(r"\bwang\b", graded.stdout)


def test_nbgraders_own_autograde_and_feedback_work_on_the_chinese_edition(course, env):
    """Do `nbgrader autograde` and `nbgrader generate_feedback` run on the Chinese course, writing the kit's pages?"""
    root, _, english_scores, _ = course
    nbgrader("autograde", contract.ASSIGNMENT, "--force", cwd=root, env=env)
    nbgrader("generate_feedback", contract.ASSIGNMENT, "--force", cwd=root, env=env)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(contract.ASSIGNMENT, "wang").score == pytest.approx(english_scores["wang"])
    for student in english_scores:
        page = (root / "feedback" / student / contract.ASSIGNMENT / f"{contract.NOTEBOOK_ID}.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in page and student in page


def test_the_course_can_switch_editions_after_submissions(course, env):
    """Once submissions are graded, does releasing the English edition instead work (same cells, other texts)?"""
    root, _, _, _ = course
    shutil.copytree(ROOT / "source", root / "source")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text().replace(f'EDITION = "{LANGUAGE}"', 'EDITION = "en"'))
    nbgrader("generate_assignment", contract.ASSIGNMENT, "--force", cwd=root, env=env)
    released = editions.read(root / "release" / contract.ASSIGNMENT / contract.NOTEBOOK)
    assert "autograder" not in released.metadata and "The terms" in "".join(c.source for c in released.cells)
