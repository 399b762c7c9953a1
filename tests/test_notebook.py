"""Reading a submitted file: whatever it holds, one clear line, never a crash."""
import pytest

from autograder.grade import notebook


@pytest.mark.parametrize("content, words", [
    ('{"cells": [], "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested deeper"),
    ("[" * 1_000_000, "nested deeper"),
    ('{"cells": 5}', "no list of cells"),
])
def test_hostile_json_is_an_unreadable_notebook(tmp_path, content, words):
    """Does JSON nested beyond the parser's recursion, or of the wrong shape, give one clear line?"""
    path = tmp_path / "submitted.ipynb"
    path.write_text(content)
    with pytest.raises(notebook.UnreadableNotebook, match=words):
        notebook.read_code_cells(path)
