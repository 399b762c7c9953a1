"""formgrader in a real browser (headless Chromium, driven by Selenium) on a
course graded by the kit: the renamed submission opens, shows the kit's
verdicts, no hidden tests and the student's plots, and the grade given to its
written answer is in `nbgrader export`.

Run with `make browser-test` (not part of `make test`: it needs Debian's
chromium and chromium-driver). Screenshots go to a temporary folder, never
into the repository; the test prints where.
"""
import csv
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.classwork import classgrade
from autograder import contract
from autograder.classwork.course import Course
from samples import build, course

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WRITTEN_SCORE = 2  # of the written answer's 3 points, given by hand below


def tool_env():
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A graded course (alice, and omar's notebook saved as my_network.ipynb) served by Jupyter with formgrader."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("this test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
    root = course.make(tmp_path_factory.mktemp("formgrader"), {
        "alice": build.notebook(written=build.WRITTEN),
        "omar": {"my_network.ipynb": build.notebook(written=build.WRITTEN)}})
    classgrade.autograde(Course(root), progress=False)
    port = free_port()
    log = (root / "jupyter.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root", f"--port={port}",
         # No token: the browser's API calls carry no login cookie, and the server listens on localhost only.
         "--ip=127.0.0.1", "--IdentityProvider.token=", f"--ServerApp.root_dir={root}"],
        cwd=root, env=tool_env(), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"Jupyter did not start; see {root / 'jupyter.log'}")
            time.sleep(0.5)
    yield root, base
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(20)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def screenshots():
    folder = Path(tempfile.mkdtemp(prefix="simple-nn-screenshots-"))
    print(f"screenshots in {folder}")
    return folder


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
