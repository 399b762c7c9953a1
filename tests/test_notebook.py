"""Reading submissions: any notebook is read; anything else gets one clear line."""
import json

import pytest

from autograder.notebook import UnreadableNotebook, read_code_cells
from conftest import RELEASE


def test_reads_code_cells_with_their_position_and_grade_id():
    """Are code cells read with their 1-based position and nbgrader grade_id?"""
    cells = read_code_cells(RELEASE)
    by_id = {cell.grade_id: cell for cell in cells}
    assert "def predict(" in by_id["predict"].source
    assert all(cell.number >= 1 for cell in cells)


def test_stripped_metadata_is_still_read(tmp_path):
    """Is a notebook whose nbgrader metadata was stripped still readable?"""
    nb = json.loads(RELEASE.read_text())
    for cell in nb["cells"]:
        cell["metadata"] = {}
    path = tmp_path / "stripped.ipynb"
    path.write_text(json.dumps(nb))
    cells = read_code_cells(path)
    assert any("def predict(" in cell.source for cell in cells)
    assert all(cell.grade_id is None for cell in cells)


@pytest.mark.parametrize("content, words", [
    (RELEASE.read_text()[:500], "invalid JSON"),
    ("{}", "no list of cells"),
    ("[1, 2, 3]", "not a Jupyter notebook"),
    ("print('hello')", "invalid JSON"),
    ('{"worksheets": []}', "nbformat 3"),
    ("", "invalid JSON"),
])
def test_unreadable_files_give_one_clear_line(tmp_path, content, words):
    """Do truncated JSON, {}, and files that are not notebooks raise one readable line?"""
    path = tmp_path / "submission.ipynb"
    path.write_text(content)
    with pytest.raises(UnreadableNotebook) as error:
        read_code_cells(path)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_binary_and_missing_files(tmp_path):
    """Are a binary file and a missing file refused with a reason?"""
    binary = tmp_path / "image.ipynb"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(UnreadableNotebook, match="not UTF-8"):
        read_code_cells(binary)
    with pytest.raises(UnreadableNotebook, match="cannot be read"):
        read_code_cells(tmp_path / "missing.ipynb")
    with pytest.raises(UnreadableNotebook, match="cannot be read"):
        read_code_cells(tmp_path)


def test_odd_cells_are_skipped_not_fatal(tmp_path):
    """Do cells with odd shapes (no source, a number as source) not stop the others from being read?"""
    nb = {"cells": [{"cell_type": "code", "source": 42}, "junk", {"cell_type": "code"},
                    {"cell_type": "code", "source": ["def f():\n", "    return 1\n"], "metadata": None}]}
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps(nb))
    cells = read_code_cells(path)
    assert [cell.source for cell in cells] == ["", "def f():\n    return 1\n"]
