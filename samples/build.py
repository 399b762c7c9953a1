"""Make a submitted notebook from the release: keep every cell a student
cannot change, fill the answer cells, optionally add cells of the student's own.
"""
import copy
import json
import re
from functools import lru_cache
from pathlib import Path

from autograder import contract

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / contract.ASSIGNMENT / contract.NOTEBOOK
RELEASE = ROOT / "release" / contract.ASSIGNMENT / contract.NOTEBOOK

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _text(cell):
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def solutions():
    """The lesson's answer cells as a student would write them (no solution markers)."""
    return {
        _grade_id(cell): "\n".join(line for line in _text(cell).split("\n") if not _MARKER.match(line))
        for cell in _load(SOURCE)["cells"]
        if _grade_id(cell) in contract.FUNCTIONS
    }


# A student's answer to the written question (graded by hand, not by the kit).
WRITTEN = ("Each weight's input has a variance of about 33, the bias's input is always 1, so at eta = 0.01 "
           "the weights' errors shrink by about 0.67 per step and the bias's by only 0.99. Above about "
           "2/33 = 0.06 the weight steps overshoot more each time and the loss explodes.")


def notebook(functions=None, *, extra_cells=(), solved=True, written=None, release=RELEASE):
    """A submission as a notebook dict.

    functions: {name: source} replacing the named answer cells.
    extra_cells: sources of code cells appended at the end (helpers, experiments, tricks).
    solved: start from the lesson's solutions (True) or from the release's stubs (False).
    written: the answer to the written question (None keeps the release's placeholder).
    release: the release notebook to fill (another kit's, to measure that kit).
    """
    unknown = set(functions or {}) - set(contract.FUNCTIONS)
    if unknown:
        raise ValueError(f"not student functions: {sorted(unknown)}")
    nb = copy.deepcopy(_load(release))
    answers = dict(solutions()) if solved else {}
    answers.update(functions or {})
    if written is not None:
        answers[contract.WRITTEN_ANSWER] = written
    for cell in nb["cells"]:
        if _grade_id(cell) in answers:
            cell["source"] = answers[_grade_id(cell)]
    for number, source in enumerate(extra_cells):
        nb["cells"].append({
            "cell_type": "code", "execution_count": None, "id": f"student-added-{number}",
            "metadata": {}, "outputs": [], "source": source,
        })
    return nb


def write(nb, path):
    """Write a notebook dict as a .ipynb file (creating folders); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
