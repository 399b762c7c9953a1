"""Figures in the Chinese edition on a machine without a CJK font: every
character of every figure has a glyph, and nothing reaches stderr.

The kit keeps figure text language-neutral (docs/chinese.md): the plotting
code is the English source's, in both editions, and uses only what
matplotlib's own DejaVu fonts draw. These tests run the edition as a
student's Jupyter would, with matplotlib's fonts cut down to the ones it
ships (a laptop or a fresh server with no CJK font), and look at each glyph:
the setup cell silences warnings, so a missing glyph would show as an empty
box without a word on stderr.
"""
import json
import re

import matplotlib
import nbformat
import pytest
from matplotlib import font_manager
from nbclient import NotebookClient

import editions

# Run first, in the kernel (and here): only matplotlib's own fonts, and every drawn figure's
# text checked glyph by glyph against the fonts matplotlib would draw it with.
FONT_CHECK = r'''
import re as _re
import matplotlib as _mpl
from matplotlib import figure as _figure, font_manager as _fm, text as _text
from matplotlib.ft2font import FT2Font as _FT2Font

def _only_bundled_fonts():
    bundled = _mpl.get_data_path()
    _fm.fontManager.ttflist = [f for f in _fm.fontManager.ttflist if f.fname.startswith(bundled)]
    _fm.fontManager.afmlist = [f for f in _fm.fontManager.afmlist if f.fname.startswith(bundled)]
    _fm.fontManager._findfont_cached.cache_clear()

def _missing_glyphs(fig):
    """The characters of a figure's text that none of its fonts can draw."""
    missing = []
    for artist in fig.findobj(_text.Text):
        text = _re.sub(r"\$[^$]*\$", "", artist.get_text())  # mathtext has fonts of its own
        fonts = [_FT2Font(path) for path in _fm.fontManager._find_fonts_by_props(artist.get_fontproperties())]
        missing += [ch for ch in text if not ch.isspace() and not any(f.get_char_index(ord(ch)) for f in fonts)]
    return missing

_only_bundled_fonts()
_missing_in_figures, _figures_drawn = [], []
_plain_draw = _figure.Figure.draw

def _checked_draw(self, renderer):
    _plain_draw(self, renderer)
    _figures_drawn.append(1)
    _missing_in_figures.extend(_missing_glyphs(self))

_figure.Figure.draw = _checked_draw
'''
REPORT = ("import json as _json\n"
          "print(_json.dumps({'missing': _missing_in_figures, 'figures': len(_figures_drawn), "
          "'fonts': sorted({f.fname for f in _fm.fontManager.ttflist})}))")


@pytest.fixture(scope="module")
def executed():
    """The Chinese edition run end to end with matplotlib's own fonts only, and the font check's report."""
    path = editions.source_notebook("zh_CN")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(FONT_CHECK))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb, json.loads(nb.cells[-1].outputs[0]["text"])


def test_the_check_ran_with_no_font_but_matplotlibs_own(executed):
    """Did the edition draw its figures with no font but those matplotlib ships (no CJK font at all)?"""
    _, report = executed
    assert report["figures"] >= 1
    assert all(path.startswith(matplotlib.get_data_path()) for path in report["fonts"])


def test_every_character_of_the_editions_figures_has_a_glyph(executed):
    """Is every character of every figure the Chinese edition draws one that matplotlib's own fonts have?"""
    _, report = executed
    assert report["missing"] == []


def test_the_edition_writes_nothing_to_stderr(executed):
    """Does the Chinese edition run without an error or a stderr line (nbgrader zeroes a cell for either)?"""
    nb, _ = executed
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error" and not (output.output_type == "stream"
                                                          and output.name == "stderr"), cell.source[:80]


def test_the_check_sees_a_missing_glyph_and_matplotlib_warns_of_it():
    """With matplotlib's fonts only, is a Chinese title found missing, and does matplotlib warn of it (the box a student would see)?"""
    namespace = {}
    saved = (list(font_manager.fontManager.ttflist), list(font_manager.fontManager.afmlist))
    try:
        exec(FONT_CHECK.replace("_figure.Figure.draw = _checked_draw", ""), namespace)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.add_subplot().set_title("损失 (loss)")
        with pytest.warns(UserWarning, match=re.escape("missing from font")):
            fig.canvas.draw()
        assert namespace["_missing_glyphs"](fig) == ["损", "失"]
        fig.axes[0].set_xlabel("迭代 $i$")  # beside mathtext too
        assert sorted(namespace["_missing_glyphs"](fig)) == sorted("损失迭代")
        fig.axes[0].set_title("loss $L$")
        fig.axes[0].set_xlabel("iteration $i$")
        assert namespace["_missing_glyphs"](fig) == []
    finally:
        font_manager.fontManager.ttflist, font_manager.fontManager.afmlist = saved
        font_manager.fontManager._findfont_cached.cache_clear()
