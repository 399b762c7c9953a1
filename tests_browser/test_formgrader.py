"""formgrader in a real browser (headless Chromium, driven by Selenium) on a
course graded by the kit: the renamed submission opens, shows the kit's
verdicts, no hidden tests and the student's plots, and the grade given to its
written answer is in `nbgrader export`.

Run with `make browser-test` (not part of `make test`: it needs Debian's
chromium and chromium-driver). Screenshots go to a folder outside the
repository (SCREENSHOTS=folder, or a temporary one); the run prints where.
"""
import csv
import subprocess
import time

import pytest
from conftest import jupyter, read_requests, tool_env

from autograder.classwork import classgrade
from autograder import contract
from autograder.classwork.course import Course
from samples import build, course

WRITTEN_SCORE = 2  # of the written answer's 3 points, given by hand below
MATHJAX_SECONDS = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A graded course (alice, and omar's notebook saved as my_network.ipynb) served by Jupyter with formgrader."""
    root = course.make(tmp_path_factory.mktemp("formgrader"), {
        "alice": build.notebook(written=build.WRITTEN),
        "omar": {"my_network.ipynb": build.notebook(written=build.WRITTEN)}})
    classgrade.autograde(Course(root), progress=False)
    with jupyter(root) as base:
        yield root, base


def submission_id(root, student):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_submission_notebook(contract.NOTEBOOK_ID, contract.ASSIGNMENT, student).id


def test_formgrader_grades_the_renamed_submission(server, browser, screenshots):
    """Does formgrader list and open omar's renamed submission, show the kit's view of it, and save a hand grade that nbgrader export counts?"""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    root, base = server
    browser.get(f"{base}/formgrader/gradebook/{contract.ASSIGNMENT}/{contract.NOTEBOOK_ID}")
    # formgrader hides names; the renamed submission is listed once its autograded notebook exists.
    WebDriverWait(browser, 60).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "Submission #2"))
    browser.save_screenshot(str(screenshots / "submissions.png"))
    assert "Submission #3" not in browser.find_element(By.TAG_NAME, "body").text

    browser.get(f"{base}/formgrader/submissions/{submission_id(root, 'omar')}")
    WebDriverWait(browser, 60).until(expected_conditions.text_to_be_present_in_element(
        (By.TAG_NAME, "body"), "Graded by the kit's hidden checks"))
    assert "BEGIN HIDDEN TESTS" not in browser.page_source
    assert "data:image/png;base64," in browser.page_source  # the student's training plots
    # The lesson's math, typeset by the MathJax this server serves: no CDN is reachable from here.
    WebDriverWait(browser, MATHJAX_SECONDS).until(lambda driver: driver.execute_script(
        "return document.querySelectorAll('.MathJax_CHTML, .MathJax, mjx-container').length"))
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "$$t = 2x" not in text and "$x$" not in text, "formgrader shows the lesson's math raw"
    read_requests(browser)
    assert any("/static/jupyter_server_mathjax/MathJax.js" in url for url in browser.requested)
    score = browser.find_element(By.CSS_SELECTOR, f"input.score#{contract.WRITTEN_ANSWER}")
    score.clear()
    score.send_keys(str(WRITTEN_SCORE), Keys.TAB)  # formgrader saves on change
    browser.save_screenshot(str(screenshots / "omar.png"))

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and manual_score(root, "omar") != WRITTEN_SCORE:
        time.sleep(0.5)
    subprocess.run(["nbgrader", "export", "--log-level=ERROR"], cwd=root, env=tool_env(), check=True,
                   capture_output=True)
    totals = {row["student_id"]: float(row["score"]) for row in csv.DictReader((root / "grades.csv").open())}
    assert totals["omar"] == 30 + WRITTEN_SCORE and totals["alice"] == 30


def manual_score(root, student):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_grade(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, contract.ASSIGNMENT, student).manual_score
