"""The lesson's editions: one English source, and each other language made from it.

The English notebook (source/simple_nn/simple_nn.ipynb) is the one source of
code. An edition in another language (editions/<language>/source/simple_nn/)
is generated from it: the same cells with the same ids, metadata, grade_ids
and points, and the same code, so the same hidden checks grade both; only the
markdown cells and the docstrings of the student functions are said in the
edition's language, through the lesson's catalogue editions/<language>/lesson.po.
Each text of the lesson (a paragraph of a markdown cell, a paragraph of a
docstring) is one catalogue entry, keyed by its cell's nbformat id, so an
edit of the English source shows up as a new entry to translate, or a fuzzy
one beside its old English, and the edition cannot be made until it is
translated. The edition's visible_checks.py is the English one with its
say() templates translated by the kit's own catalogue. Its notebook says its
language in its metadata, so the kit answers its students in it.

    python -m editions update     bring each lesson catalogue in line with the English source
    python -m editions build      write every edition's source notebook and visible checks
    python -m editions check      say what is missing, fuzzy or stale (exit 1), else nothing

Never imported by grading: grading needs only the notebook's metadata.
"""
import ast
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from autograder import contract
from autograder.language import ENGLISH
from autograder.language.catalogue import LANGUAGES, translations
from autograder.language.extract import EPOCH, PROJECT, write
from autograder.language.readers import LANGUAGE_KEY, METADATA_KEY

KIT = Path(__file__).resolve().parent.parent
EDITIONS = KIT / "editions"
SOURCE_DIRECTORY, RELEASE_DIRECTORY = "source", "release"
VISIBLE_CHECKS = "visible_checks.py"
DOMAIN = "lesson"
HEADER = ("# The {language} edition of the simple_nn lesson: one entry per paragraph of a markdown cell or of a\n"
          "# student function's docstring, keyed by the cell's id (docs/chinese.md).")
# nbgrader's region markers stay exactly as they are (its own lines, in every edition).
MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


class Untranslated(Exception):
    """An edition cannot be made: some texts of the English source have no confirmed translation."""

    def __init__(self, language, texts):
        self.language, self.texts = language, texts
        super().__init__(f"the {language} edition lacks {len(texts)} translations "
                         f"(run `make catalogues`, translate editions/{language}/lesson.po): "
                         + "; ".join(f"{text.context}: {text.english[:60]!r}" for text in texts[:5]))


@dataclass(frozen=True)
class Text:
    """One text of the lesson to translate."""
    context: str  # which cell, and which docstring: the catalogue's msgctxt
    english: str


def languages():
    """The languages with an edition (every language the kit speaks but English)."""
    return [language for language in LANGUAGES if language != ENGLISH]


def source_notebook(language=ENGLISH):
    folder = KIT / SOURCE_DIRECTORY if language == ENGLISH else EDITIONS / language / SOURCE_DIRECTORY
    return folder / contract.ASSIGNMENT / contract.NOTEBOOK


def course_directories(language):
    """(source_directory, release_directory) of an edition, relative to the course root, as nbgrader's
    CourseDirectory names them (nbgrader_config.py chooses the edition that is released)."""
    if language == ENGLISH:
        return SOURCE_DIRECTORY, RELEASE_DIRECTORY
    return f"editions/{language}/{SOURCE_DIRECTORY}", f"editions/{language}/{RELEASE_DIRECTORY}"


def catalogue_path(language):
    return EDITIONS / language / f"{DOMAIN}.po"


# -- the texts of a notebook ---------------------------------------------------------------------------

def _blocks(text):
    """Split text into paragraphs, keeping everything between them: [(is_paragraph, piece)],
    whose pieces joined are the text. A blank line ends a paragraph, except inside a $$
    display or a ``` fence; nbgrader's marker lines are never part of one."""
    pieces, paragraph, fenced = [], [], False
    lines = text.split("\n")
    for number, line in enumerate(lines):
        newline = "\n" if number < len(lines) - 1 else ""
        if MARKER.match(line) or (not line.strip() and not fenced):
            if paragraph:
                pieces += [(True, "\n".join(paragraph)), (False, "\n")]
                paragraph = []
            pieces.append((False, line + newline))
            continue
        paragraph.append(line)
        if line.count("$$") % 2 or line.lstrip().startswith("```"):
            fenced = not fenced
    if paragraph:
        pieces.append((True, "\n".join(paragraph)))
    return pieces


def _docstring(cell_source):
    """(function name, docstring node) of a cell that defines one function with a docstring, else None."""
    try:
        tree = ast.parse(cell_source)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str):
            return node.name, node.body[0].value
    return None


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _docstring_parts(cell):
    """(text before the docstring's text, its text without the body's indentation, the indentation,
    text after) for a student function's cell, or None."""
    if cell.cell_type != "code" or _grade_id(cell) not in contract.FUNCTIONS:
        return None
    found = _docstring(cell.source)
    if found is None:
        return None
    _, node = found
    lines = cell.source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()) + 1)
    start = offsets[node.lineno - 1] + node.col_offset
    end = offsets[node.end_lineno - 1] + node.end_col_offset
    raw = cell.source.encode()
    literal = raw[start:end].decode()
    quote = literal[:3]
    if quote not in ('"""', "'''") or not literal.endswith(quote):
        return None
    inner = literal[3:-3]
    closing = re.search(r"\n[ \t]*\Z", inner)  # the closing quotes' own line stays as it is
    tail = inner[closing.start():] if closing else ""
    inner = inner[:closing.start()] if closing else inner
    indent = " " * node.col_offset
    body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in inner.split("\n"))
    return raw[:start].decode() + quote, body, indent, tail + quote + raw[end:].decode()


def _texts_of(cell):
    """The Texts of one cell, and a function that rebuilds the cell's source from their translations."""
    if cell.cell_type == "markdown":
        context, pieces = f"cell {cell.id}", _blocks(cell.source)

        def rebuild(translate):
            return "".join(translate(context, piece) if paragraph else piece for paragraph, piece in pieces)
        return [Text(context, piece) for paragraph, piece in pieces if paragraph], rebuild
    parts = _docstring_parts(cell)
    if parts is None:
        return [], lambda translate: cell.source
    before, body, indent, after = parts
    context, pieces = f"cell {cell.id} {_grade_id(cell)} docstring", _blocks(body)

    def rebuild(translate):
        text = "".join(translate(context, piece) if paragraph else piece for paragraph, piece in pieces)
        lines = text.split("\n")
        return before + "\n".join(lines[:1] + [indent + line if line else line for line in lines[1:]]) + after
    return [Text(context, piece) for paragraph, piece in pieces if paragraph], rebuild


def texts(notebook):
    """Every Text of a notebook, in order (a repeated text in one cell is one Text)."""
    found = []
    for cell in notebook.cells:
        for text in _texts_of(cell)[0]:
            if text not in found:
                found.append(text)
    return found


def read(path):
    return nbformat.read(path, as_version=4)


# -- catalogues ----------------------------------------------------------------------------------------

def template(notebook=None):
    """A fresh extraction of the English source's texts, as a Babel Catalog."""
    notebook = read(source_notebook()) if notebook is None else notebook
    found = Catalog(domain=DOMAIN, fuzzy=False, **PROJECT)
    for text in texts(notebook):
        entry = found.add(text.english, context=text.context,
                          locations=[(f"{SOURCE_DIRECTORY}/{contract.ASSIGNMENT}/{contract.NOTEBOOK}", None)])
        entry.flags.discard("python-format")  # a "%20" in a link is not a placeholder
    return found


def load(language, path=None):
    """The lesson catalogue of `language` (an empty one if there is none yet)."""
    path = catalogue_path(language) if path is None else path
    if not path.is_file():
        return Catalog(locale=language, domain=DOMAIN, revision_date=EPOCH, fuzzy=False, last_translator="",
                       language_team="", header_comment=HEADER.format(language=language), **PROJECT)
    with open(path, "rb") as file:
        return read_po(file, locale=language)


def update(language, notebook=None, path=None):
    """Merge a fresh extraction into the lesson catalogue: new texts come in empty, changed ones
    fuzzy beside their previous English, removed ones obsolete. Returns the path written."""
    path = catalogue_path(language) if path is None else path
    catalogue = load(language, path)
    catalogue.update(template(notebook), update_creation_date=False)
    for message in catalogue:
        message.flags.discard("python-format")  # a "%20" in a link is not a placeholder
    write(catalogue, path)
    return path


def translator(catalogue):
    """{(context, English): translation} for confirmed (translated, not fuzzy) entries."""
    return {(message.context, message.id): message.string for message in catalogue
            if message.id and message.string and not message.fuzzy}


# -- editions ------------------------------------------------------------------------------------------

def build(language, english=None, catalogue=None):
    """The edition of `language` made from the English notebook; raises Untranslated."""
    english = read(source_notebook()) if english is None else english
    table = translator(load(language) if catalogue is None else catalogue)
    missing = [text for text in texts(english) if (text.context, text.english) not in table]
    if missing:
        raise Untranslated(language, missing)
    edition = nbformat.from_dict(json.loads(json.dumps(english)))
    for cell, original in zip(edition.cells, english.cells):
        cell.source = _texts_of(original)[1](lambda context, text: table[(context, text)])
    edition.metadata[METADATA_KEY] = {LANGUAGE_KEY: language}
    return edition


def as_edition(notebook, language, catalogue=None):
    """A notebook of the English edition (a student's, say: a dict or an nbformat node) as the
    same notebook of `language`'s edition: every text the catalogue translates is said in that
    language, everything else (the student's code, cells of their own) kept as it is."""
    table = translator(load(language) if catalogue is None else catalogue)
    edition = nbformat.reads(json.dumps(notebook), as_version=4)  # sources as one string each
    for cell in edition.cells:
        if "id" in cell and cell.get("cell_type") in ("markdown", "code"):
            cell.source = _texts_of(cell)[1](lambda context, text: table.get((context, text), text))
    edition.metadata[METADATA_KEY] = {LANGUAGE_KEY: language}
    return edition


def visible_checks(language, source=None):
    """The edition's visible_checks.py: the English file with each say() template replaced by
    its translation in the kit's catalogue (a template without one stays English)."""
    source = (KIT / SOURCE_DIRECTORY / contract.ASSIGNMENT / VISIBLE_CHECKS).read_text() if source is None else source
    table = translations(language)
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode()) + 1)
    raw = source.encode()
    replacements = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say" and node.args
                and isinstance(node.args[0], ast.Constant) and node.args[0].value in table):
            first = node.args[0]
            replacements.append((offsets[first.lineno - 1] + first.col_offset,
                                 offsets[first.end_lineno - 1] + first.end_col_offset, table[first.value]))
    for start, end, text in sorted(replacements, reverse=True):
        raw = raw[:start] + json.dumps(text, ensure_ascii=False).encode() + raw[end:]
    return raw.decode()


def write_edition(language):
    """Write the edition's source folder; return the paths written."""
    notebook = source_notebook(language)
    notebook.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    nbformat.write(build(language), buffer)
    notebook.write_text(buffer.getvalue(), encoding="utf-8")
    written = [notebook]
    # Every file released beside the notebook (visible_checks.py, check_service.py, ...) goes
    # with the edition, its say() templates translated.
    for english in sorted((KIT / SOURCE_DIRECTORY / contract.ASSIGNMENT).iterdir()):
        if english.is_file() and english.suffix == ".py":
            written.append(notebook.parent / english.name)
            written[-1].write_text(visible_checks(language, english.read_text(encoding="utf-8")), encoding="utf-8")
    return written


def problems(language, english=None, path=None):
    """What keeps the lesson catalogue from matching the English source, one line each:
    texts without a translation, fuzzy ones, and obsolete entries."""
    english = read(source_notebook()) if english is None else english
    catalogue = load(language, path)
    wanted = {(text.context, text.english) for text in texts(english)}
    found = []
    for message in catalogue:
        if not message.id:
            continue
        key = (message.context, message.id)
        if key not in wanted:
            found.append(f"{message.context}: not in the English source any more: {message.id[:60]!r}")
        elif message.fuzzy:
            found.append(f"{message.context}: fuzzy (its English changed; confirm the translation): "
                         f"{message.id[:60]!r}")
        elif not message.string:
            found.append(f"{message.context}: not translated: {message.id[:60]!r}")
    found += [f"{message.context}: obsolete entry (#~): {message.id[:60]!r}" for message in catalogue.obsolete.values()]
    present = {(message.context, message.id) for message in catalogue if message.id}
    found += [f"{context}: missing from the catalogue (run `make catalogues`): {text[:60]!r}"
              for context, text in sorted(wanted - present)]
    return found
