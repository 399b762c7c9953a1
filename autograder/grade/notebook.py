"""Read a submitted notebook's code cells, whatever state the notebook is in.

The grader needs only each code cell's source: not nbgrader's metadata (a
student may have stripped it), not the outputs. It parses the JSON itself:
nbformat's import alone costs about 2.8 s here (jsonschema's format
checkers), more than grading a whole notebook.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import contract
from ..language import say

# A notebook this size is not an answer to this assignment; refuse before parsing it.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")


class UnreadableNotebook(Exception):
    """The file is not a notebook the grader can read; str() is one clear line."""


# A cell is named by its first line, cut to this many characters.
START_CHARS = 40


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based position among all the notebook's cells (Jupyter shows no such number)
    source: str
    grade_id: str | None
    heading: str | None = None  # the last heading above it, as the notebook shows it

    @property
    def place(self):
        """The cell as a student finds it in Jupyter: its function's cell, or its heading and first line."""
        if self.grade_id in contract.FUNCTIONS:
            return say("the cell of {function}", function=self.grade_id)
        start = next((line.strip() for line in self.source.splitlines() if line.strip()), "")
        if len(start) > START_CHARS:
            start = start[:START_CHARS - 1].rstrip() + "…"
        if self.heading:
            return say("the cell under “{heading}” that starts with `{start}`", heading=self.heading, start=start)
        return say("the cell that starts with `{start}`", start=start)


def find_submitted(folder, recursive=False):
    """The notebook to grade in a submission folder: the assignment's notebook if
    it is there, else the first other notebook (sorted; in subfolders too when
    recursive, checkpoints aside), else None."""
    expected = Path(folder) / contract.NOTEBOOK
    if expected.is_file():
        return expected
    others = sorted(Path(folder).rglob("*.ipynb") if recursive else Path(folder).glob("*.ipynb"))
    others = [path for path in others if ".ipynb_checkpoints" not in path.parts]
    return others[0] if others else None


def read_code_cells(path):
    """The notebook's code cells; raises UnreadableNotebook."""
    cells, heading = [], None
    for number, cell in enumerate(_read_cells(path), start=1):
        source = _source(cell)
        if source is None:
            continue
        if cell.get("cell_type") == "markdown":
            heading = _last_heading(source) or heading
        elif cell.get("cell_type") == "code":
            cells.append(CodeCell(number, source, _grade_id(cell), heading))
    return cells


def _source(cell):
    source = cell.get("source", "") if isinstance(cell, dict) else None
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    return source if isinstance(source, str) else None


def _last_heading(markdown):
    """The text of the markdown's last heading line (`## 5. Gradients` -> `5. Gradients`), or None."""
    headings = [line.lstrip("#").strip() for line in markdown.splitlines() if HEADING.match(line)]
    return headings[-1] if headings else None


def grade_ids(path):
    """The nbgrader grade_ids of all the notebook's cells; raises UnreadableNotebook."""
    return {grade_id for grade_id in map(_grade_id, _read_cells(path)) if grade_id is not None}


def _grade_id(cell):
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _read_cells(path):
    path = Path(path)
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise UnreadableNotebook(say("{path}: larger than {megabytes} MB, not a notebook for this assignment",
                                         path=str(path), megabytes=MAX_NOTEBOOK_BYTES // 2**20))
        raw = path.read_bytes()
    except OSError as error:
        raise UnreadableNotebook(say("{path}: cannot be read ({reason})", path=str(path),
                                     reason=error.strerror or str(error))) from None
    if not raw.strip():  # not a JSON error at line 1, column 1: there is nothing there at all
        raise UnreadableNotebook(say("{path}: the file is empty ({size} bytes), not a notebook: save the notebook "
                                     "in Jupyter (File > Save Notebook) and hand it in again",
                                     path=str(path), size=len(raw)))
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UnreadableNotebook(say("{path}: not a notebook (not UTF-8 text)", path=str(path))) from None
    except json.JSONDecodeError as error:
        raise UnreadableNotebook(say("{path}: not a notebook (invalid JSON at line {line}, column {column}: {reason})",
                                     path=str(path), line=error.lineno, column=error.colno,
                                     reason=error.msg)) from None
    except (RecursionError, MemoryError):
        raise UnreadableNotebook(say("{path}: not a notebook for this assignment (its JSON is nested deeper "
                                     "than the grader reads)", path=str(path))) from None
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        if isinstance(document, dict) and "worksheets" in document:
            raise UnreadableNotebook(say("{path}: an nbformat 3 notebook; open it in Jupyter and save it to "
                                         "convert it", path=str(path)))
        raise UnreadableNotebook(say("{path}: not a Jupyter notebook (no list of cells)", path=str(path)))
    return document["cells"]
