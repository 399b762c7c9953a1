"""Read a submitted notebook's code cells, whatever state the notebook is in.

The grader needs only each code cell's source: not nbgrader's metadata (a
student may have stripped it), not the outputs. It parses the JSON itself:
nbformat's import alone costs about 2.8 s here (jsonschema's format
checkers), more than grading a whole notebook.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from .. import contract
from ..language import say

# A notebook this size is not an answer to this assignment; refuse before parsing it.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class UnreadableNotebook(Exception):
    """The file is not a notebook the grader can read; str() is one clear line."""


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based position among all the notebook's cells
    source: str
    grade_id: str | None


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
    cells = []
    for number, cell in enumerate(_read_cells(path), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            continue
        cells.append(CodeCell(number, source, _grade_id(cell)))
    return cells


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
