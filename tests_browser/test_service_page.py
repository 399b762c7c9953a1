"""The check service's upload page in a real browser (headless Chromium,
driven by Selenium): a student chooses a notebook, types their token, checks
it and reads the verdict; a wrong token reads why it was refused. Run with
`make browser-test`. A screenshot goes to a temporary folder; the test prints where.
"""
import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import serviceparts  # noqa: E402
from conftest import tool_env  # noqa: E402
from samples import build, corpus  # noqa: E402

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("this test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
    folder = tmp_path_factory.mktemp("page")
    env = tool_env()
    gradebook = serviceparts.gradebook(folder / "gradebook.db", ["ada"], env)
    db = f"sqlite:///{folder / 'check-service.db'}"
    subprocess.run([sys.executable, "-m", "autograder", "tokens", "issue", "--gradebook", gradebook, "--db", db,
                    "--out", str(folder / "tokens.csv")], cwd=folder, env=env, check=True, capture_output=True)
    with open(folder / "tokens.csv", newline="") as file:
        token = next(csv.DictReader(file))["token"]
    running = serviceparts.Service(folder, "--db", db, "--workers", "1", env=env)
    notebook = build.write(corpus.by_name("compute_gradients_no_n").notebook(), folder / "simple_nn.ipynb")
    yield running.url, token, notebook
    running.stop()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _check(browser, url, token, notebook):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(url)
    browser.find_element(By.ID, "token").clear()
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.ID, "notebook").send_keys(str(notebook))
    browser.find_element(By.ID, "submit").click()
    verdict = browser.find_element(By.ID, "verdict")
    WebDriverWait(browser, 300).until(lambda _: verdict.get_attribute("class") in ("graded", "refused"))
    return verdict


def test_a_student_checks_a_notebook_on_the_page_and_reads_the_verdict(service, browser):
    """Does the page send the chosen notebook with the student's token and show what check prints, and show
    a wrong token's refusal instead?"""
    url, token, notebook = service
    verdict = _check(browser, url, token, notebook)
    assert verdict.get_attribute("class") == "graded"
    assert verdict.text.startswith("simple_nn.ipynb: 23 of 30 points")
    assert "grad_weights is n times too large" in verdict.text
    folder = Path(tempfile.mkdtemp(prefix="simple-nn-screenshots-"))
    browser.save_screenshot(str(folder / "check-page.png"))
    print(f"screenshot in {folder}")
    verdict = _check(browser, url, "0" * 48, notebook)
    assert verdict.get_attribute("class") == "refused"
    assert verdict.text.startswith("This token is not one your course issued")
