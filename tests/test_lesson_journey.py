"""The release as a student runs it, cell by cell, in one real Jupyter kernel:
a mistake, its fix, the cells run again; and a notebook without the file its
test cells need."""
import shutil

import pytest
from jupyter_client.manager import start_new_kernel

from autograder import contract
from conftest import RELEASE
from samples import build
from visible import QUIET, release_cells

NO_N = ("def compute_gradients(inputs, outputs, targets):\n    deltas = outputs - targets\n"
        "    return inputs.T @ deltas, deltas.sum(axis=0)\n")


class Kernel:
    """A kernel started in a folder, running cells as Jupyter would: outputs and errors as the student sees them."""

    def __init__(self, folder):
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(folder), extra_arguments=QUIET)

    def run(self, source):
        """(what the cell printed, the error's traceback lines as Jupyter shows them, or None)."""
        messages = []
        self.client.execute_interactive(source, timeout=120, output_hook=messages.append)
        printed = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
        errors = [m["content"]["traceback"] for m in messages if m["msg_type"] == "error"]
        return printed, (errors[0] if errors else None)

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def code_cells(nb):
    return [("".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             c.get("metadata", {}).get("nbgrader", {}).get("grade_id")) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    shutil.copy(RELEASE.parent / "visible_checks.py", folder)
    kernel = Kernel(folder)
    yield kernel
    kernel.close()


def test_after_a_fix_the_training_cells_recover_or_say_which_cell_to_run(student):
    """Gradients not divided by n, then fixed: does the watching cell recover when run again, and a later cell run first name the cell to run?"""
    cells = code_cells(build.notebook({"compute_gradients": NO_N}))
    watching = next(i for i, (source, _) in enumerate(cells) if "def show_progress" in source)
    printed = {}
    for number, (source, grade_id) in enumerate(cells[:watching + 2]):  # the watching cell, and the next training
        printed[number] = student.run(source)[0]
    assert "Training diverged" in printed[watching], printed[watching]
    fixed = build.solutions()["compute_gradients"]
    [test_cell] = [source for source, grade_id in cells if grade_id == contract.grade_cell_id("compute_gradients")]
    student.run(fixed)
    assert student.run(test_cell)[1] is None, "the fixed compute_gradients fails its own test cell"
    again_later, _ = student.run(cells[watching + 1][0])  # the next training cell, before the first
    assert "run the first cell of this section again" in again_later, again_later
    again, _ = student.run(cells[watching][0])
    assert "diverged" not in again and "loss before update   0" in again, again
    later, _ = student.run(cells[watching + 1][0])
    assert "diverged" not in later and "not numbers" not in later, later


def test_a_notebook_without_its_checks_file_says_which_file_in_one_line(tmp_path):
    """With visible_checks.py missing, does every test cell say in one line which file is missing and where it comes from?"""
    shutil.copy(RELEASE, tmp_path)
    kernel = Kernel(tmp_path)
    try:
        cells = release_cells()
        kernel.run(cells["setup"])
        for tag in contract.TAGS:
            kernel.run(cells.get(tag, ""))
            _, error = kernel.run(cells[contract.grade_cell_id(tag)])
            assert error is not None and len(error) == 1, (tag, error)
            assert "visible_checks.py is missing" in error[0] and "same folder as this notebook" in error[0], error
    finally:
        kernel.close()
