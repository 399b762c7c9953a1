"""The student's journey in a real JupyterLab (headless Chromium, driven by
Selenium): fetch the released assignment from the Assignments tab, write a
wrong function and then the right one and run the test cells, Validate,
submit; the instructor grades with the kit and releases feedback; the student
fetches it, then does the same with the notebook renamed. Screenshots of each
step go to the screenshots folder.

Cells are filled through JupyterLab's own notebook model (the app is exposed to
the page for the test), as typing would fill them, without the editor's
auto-indentation getting in the way; running, validating, submitting and
fetching go through JupyterLab's commands and nbgrader's buttons.
"""
import subprocess
import sys

import pytest
from conftest import jupyter, tool_env

from autograder import contract
from autograder.classwork.course import Course
from autograder.classwork.students import student_config
from samples import build, corpus, course

WAIT_SECONDS = 120
NO_N = corpus.by_name("compute_gradients_no_n")


def instructor(root, *args):
    """A command in the course root, as the instructor types it."""
    result = subprocess.run(list(args), cwd=root, env=tool_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode in ((0, 3) if "autograde" in args else (0,)), result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A course released into an exchange of its own, and a student's JupyterLab in the student's folder,
    with the settings students get (the exchange and cache this test's)."""
    base = tmp_path_factory.mktemp("classroom")
    root, home, exchange = course.make(base / "course", {}), base / "student", base / "exchange"
    home.mkdir()
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    (home / "nbgrader_config.py").write_text(student_config(Course(root))
                                            + f"c.Exchange.cache = {str(base / 'cache')!r}\n")
    instructor(root, "nbgrader", "generate_assignment", contract.ASSIGNMENT, "--force")
    instructor(root, "nbgrader", "release_assignment", contract.ASSIGNMENT)
    with jupyter(home, "--LabApp.expose_app_in_browser=True", app="lab") as lab:
        yield root, home, lab


def js(browser, script, *args):
    """Run an async script in the page: `done(value)` returns; a thrown error fails the test with its message."""
    outcome = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "(async (...args) => {" + script + "})(...Array.from(arguments).slice(0, -1))"
        ".then(value => done({value}), error => done({error: String(error && error.stack || error)}));", *args)
    assert "error" not in outcome, outcome["error"]
    return outcome["value"]


NOTEBOOK = "const panel = jupyterapp.shell.currentWidget; const notebook = panel.content;"
CELL = NOTEBOOK + """
const index = notebook.widgets.findIndex(cell => (cell.model.getMetadata('nbgrader') || {}).grade_id === args[0]);
if (index < 0) throw new Error('no cell ' + args[0]);
const cell = notebook.widgets[index];"""


def set_cell(browser, grade_id, source):
    js(browser, CELL + "cell.model.sharedModel.setSource(args[1]);", grade_id, source)


def run_cell(browser, grade_id):
    """Run one cell as Shift+Enter does; return (its output text, its error as Jupyter shows it, or None)."""
    return js(browser, CELL + """
notebook.activeCellIndex = index;
await jupyterapp.commands.execute('notebook:run-cell');
const outputs = cell.model.outputs.toJSON();
const text = outputs.filter(o => o.output_type === 'stream').map(o => [].concat(o.text).join('')).join('');
const error = outputs.find(o => o.output_type === 'error');
return [text, error ? error.traceback.join('\\n') : null];""", grade_id)


def wait_for_text(browser, selector, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, WAIT_SECONDS).until(
        expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))


def click_in_list(browser, listing, assignment, button):
    """Click the button (Fetch, Submit, Fetch Feedback) on an assignment's row of the Assignments tab."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    xpath = (f"//*[@id='{listing}']//div[contains(@class, 'list_item')][.//*[contains(text(), '{assignment}')]]"
             f"//button[normalize-space(.)='{button}']")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: driver.find_elements(By.XPATH, xpath))
    browser.find_element(By.XPATH, xpath).click()


def open_assignments(browser, lab):
    if not browser.current_url.startswith(f"{lab}/lab"):
        browser.get(f"{lab}/lab")
        js(browser, "while (!window.jupyterapp) await new Promise(r => setTimeout(r, 200)); await jupyterapp.started;")
    js(browser, "await jupyterapp.commands.execute('nbgrader:open-assignment-list');")
    js(browser, "const button = document.querySelector('#refresh_assignments_list'); if (button) button.click();")


def grade_and_release(root):
    instructor(root, "nbgrader", "collect", contract.ASSIGNMENT, "--update")
    graded = instructor(root, sys.executable, "-m", "autograder", "autograde", contract.ASSIGNMENT)
    instructor(root, "nbgrader", "generate_feedback", contract.ASSIGNMENT)
    instructor(root, "nbgrader", "release_feedback", contract.ASSIGNMENT)
    return graded


def test_a_student_fetches_works_validates_submits_and_gets_feedback(classroom, browser, screenshots):
    """In JupyterLab: fetch, a wrong compute_gradients named by its test cell, the right one passing, Validate, submit, and the kit's feedback fetched back?"""
    from selenium.webdriver.common.by import By
    root, home, lab = classroom
    open_assignments(browser, lab)
    wait_for_text(browser, "#released_assignments_list", contract.ASSIGNMENT)
    browser.save_screenshot(str(screenshots / "student-1-assignments.png"))
    click_in_list(browser, "released_assignments_list", contract.ASSIGNMENT, "Fetch")
    wait_for_text(browser, "#fetched_assignments_list", contract.ASSIGNMENT)
    assert (home / contract.ASSIGNMENT / contract.NOTEBOOK).is_file()

    js(browser, "await jupyterapp.commands.execute('docmanager:open', {path: args[0]});"
                "while (!jupyterapp.shell.currentWidget.content || !jupyterapp.shell.currentWidget.context.isReady)"
                "  await new Promise(r => setTimeout(r, 200));"
                "await jupyterapp.shell.currentWidget.sessionContext.ready;",
       f"{contract.ASSIGNMENT}/{contract.NOTEBOOK}")
    assert run_cell(browser, "setup")[1] is None
    set_cell(browser, "compute_gradients", NO_N.functions["compute_gradients"])
    run_cell(browser, "compute_gradients")
    _, error = run_cell(browser, contract.grade_cell_id("compute_gradients"))
    assert error and NO_N.cause in error.lower() and "Traceback" not in error, error
    browser.save_screenshot(str(screenshots / "student-2-wrong-function.png"))
    set_cell(browser, "compute_gradients", build.solutions()["compute_gradients"])
    run_cell(browser, "compute_gradients")
    printed, error = run_cell(browser, contract.grade_cell_id("compute_gradients"))
    assert error is None and "compute_gradients passes the visible checks" in printed, (printed, error)
    browser.save_screenshot(str(screenshots / "student-3-right-function.png"))

    for function, source in build.solutions().items():
        set_cell(browser, function, source)
    set_cell(browser, contract.WRITTEN_ANSWER, build.WRITTEN)
    js(browser, NOTEBOOK + "await jupyterapp.commands.execute('notebook:run-all-cells');"
                           "await jupyterapp.commands.execute('docmanager:save');")
    # nbgrader's Validate button, in the open notebook's toolbar.
    js(browser, NOTEBOOK + """
for (let tries = 0; tries < 100 && !panel.node.querySelector('.validate-button'); tries++)
    await new Promise(r => setTimeout(r, 200));
const item = panel.node.querySelector('.validate-button');
if (!item) throw new Error('no Validate button in the notebook: ' + panel.toolbar.node.innerText);
(item.querySelector('button') || item).click();""")
    wait_for_text(browser, ".jp-Dialog", "Success! Your notebook passes all the tests.")
    browser.save_screenshot(str(screenshots / "student-4-validated.png"))
    browser.find_element(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept, .jp-Dialog button").click()

    open_assignments(browser, lab)
    click_in_list(browser, "fetched_assignments_list", contract.ASSIGNMENT, "Submit")
    wait_for_text(browser, "#submitted_assignments_list", contract.ASSIGNMENT)
    browser.save_screenshot(str(screenshots / "student-5-submitted.png"))

    graded = grade_and_release(root)
    assert "30/30" in graded, graded
    open_assignments(browser, lab)
    click_in_list(browser, "submitted_assignments_list", contract.ASSIGNMENT, "Fetch Feedback")
    pages = lambda: list((home / contract.ASSIGNMENT / "feedback").glob(f"*/{contract.NOTEBOOK_ID}.html"))  # noqa: E731
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _: pages())
    browser.save_screenshot(str(screenshots / "student-6-feedback-fetched.png"))
    [page] = pages()
    browser.get(page.as_uri())  # the page the student opens, from the student's own folder
    assert "30 of 30 points" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(str(screenshots / "student-7-feedback-page.png"))


def test_a_renamed_notebook_gets_its_feedback_too(classroom, browser, screenshots):
    """The notebook renamed my_network.ipynb and submitted again: does Fetch Feedback bring its page?"""
    from selenium.webdriver.support.ui import WebDriverWait
    root, home, lab = classroom
    open_assignments(browser, lab)
    js(browser, "await jupyterapp.commands.execute('docmanager:close-all-files' in jupyterapp.commands._commands ? "
                "'docmanager:close-all-files' : 'application:close-all');"
                "await jupyterapp.serviceManager.contents.rename(args[0], args[1]);",
       f"{contract.ASSIGNMENT}/{contract.NOTEBOOK}", f"{contract.ASSIGNMENT}/my_network.ipynb")
    open_assignments(browser, lab)
    click_in_list(browser, "fetched_assignments_list", contract.ASSIGNMENT, "Submit")
    graded = grade_and_release(root)
    assert "named my_network.ipynb" in graded, graded
    open_assignments(browser, lab)
    click_in_list(browser, "submitted_assignments_list", contract.ASSIGNMENT, "Fetch Feedback")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda _: list((home / contract.ASSIGNMENT / "feedback").glob("*/my_network.html")))
    browser.save_screenshot(str(screenshots / "student-8-renamed-feedback.png"))
