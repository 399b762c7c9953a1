"""The catalogues' tool (never imported by grading): what the kit says, and what
it still says without say().

    python -m autograder.language.extract update    bring every catalogue in line with the code
    python -m autograder.language.extract check     say what is missing, fuzzy, obsolete or mismatched
    python -m autograder.language.extract pending   list the sentences not yet made with say()

`update` extracts every `say("...")` template of the kit with Babel (the
grader's modules, and visible_checks.py, which is released beside the
notebook and keeps its own `say`) and merges it into each language's kit.po:
a new template becomes an empty entry, a changed one a fuzzy entry beside its
old English, a removed one an obsolete entry, for a translator to settle
(tests/test_language_catalogues.py fails until every entry is translated and
confirmed). `pending` lists, file by file, the sentences a student or an
instructor reads that do not go through say() yet: strings and f-strings
raised, asserted, printed or handed to the kit's failure types, and the
checks' docstrings (the questions a failed check shows).
"""
import ast
import collections
import io
import re
import string
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from .catalogue import DOMAIN, LANGUAGES, path as catalogue_path
from . import ENGLISH

PACKAGE = Path(__file__).resolve().parent.parent
KIT = PACKAGE.parent
# Released beside the notebook, so it cannot import the kit: it defines its own say().
VISIBLE_CHECKS = KIT / "source" / "simple_nn" / "visible_checks.py"
# Tools, not speakers: nothing here is said to a student or an instructor.
SKIPPED = (PACKAGE / "language" / "extract.py",)
KEYWORDS = {"say": None}
# A stable header, and locations without line numbers: the catalogues change only when a message does.
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
WIDTH = 100
HEADER = "# The {language} messages of the simple_nn kit: how to translate them is in docs/chinese.md."
PROJECT = {"project": "simple_nn", "version": "1", "copyright_holder": "the simple_nn kit's authors",
           "msgid_bugs_address": "", "creation_date": EPOCH}

# Calls whose string arguments are sentences for a reader (a failure's message, a printed line).
SPEAKERS = frozenset({"print", "fail", "require", "Mistake", "StudentFailure", "UnreadableNotebook",
                      "CourseError", "ManifestError", "RecordError", "unreadable", "_blame", "SystemExit",
                      "AssertionError", "CheckFailed", "exit", "error"})
# Attributes and keywords that hold a sentence for a reader.
SENTENCE_FIELDS = frozenset({"message", "cause", "note", "reason", "question", "hint", "output"})
PROSE = re.compile(r"[A-Za-z]{2,}[^A-Za-z{}]+[A-Za-z]{2,}")


def sources():
    """The files whose say() templates make the kit's catalogue."""
    files = [path for path in sorted(PACKAGE.rglob("*.py")) if path not in SKIPPED]
    return files + ([VISIBLE_CHECKS] if VISIBLE_CHECKS.is_file() else [])


def template():
    """A fresh extraction: the Catalog of every say() template, with where it is said."""
    found = Catalog(domain=DOMAIN, fuzzy=False, **PROJECT)
    for path in sources():
        for line, text, comments, context in extract_from_file("python", path, keywords=KEYWORDS,
                                                               comment_tags=("TRANSLATORS:",),
                                                               strip_comment_tags=True):
            if isinstance(text, str) and text:
                found.add(text, locations=[(path.relative_to(KIT).as_posix(), line)],
                          auto_comments=comments, context=context)
    return found


def not_literal():
    """say() calls whose template is not one literal string (an f-string, a concatenation,
    a variable): no catalogue can translate them. [(path, line)]"""
    found = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_bytes())):
            if _is_say(node) and not (node.args and isinstance(node.args[0], ast.Constant)
                                      and isinstance(node.args[0].value, str)):
                found.append((path.relative_to(KIT).as_posix(), node.lineno))
    return found


def update(languages=None):
    """Merge a fresh extraction into each language's catalogue; return the paths written."""
    fresh = template()
    written = []
    for language in languages or [name for name in LANGUAGES if name != ENGLISH]:
        target = catalogue_path(language)
        if target.is_file():
            with open(target, "rb") as file:
                catalogue = read_po(file, locale=language)
        else:
            catalogue = Catalog(locale=language, domain=DOMAIN, revision_date=EPOCH, fuzzy=False,
                                header_comment=HEADER.format(language=language), last_translator="",
                                language_team="", **PROJECT)
        catalogue.update(fresh, update_creation_date=False)
        write(catalogue, target)
        written.append(target)
    return written


def load(language, path=None):
    """The kit's catalogue of `language` as Babel reads it (obsolete entries included)."""
    with open(catalogue_path(language) if path is None else path, "rb") as file:
        return read_po(file, locale=language)


def problems(language, fresh=None, path=None):
    """What keeps a catalogue from matching a fresh extraction, one line each: templates
    missing from it or not translated, fuzzy entries, entries no template has any more,
    obsolete ones, and translations whose placeholders differ from the English."""
    fresh = template() if fresh is None else fresh
    target = catalogue_path(language) if path is None else path
    if not target.is_file():
        return [f"{language}: no catalogue at {target.name} (run `make catalogues`)"]
    catalogue = load(language, target)
    wanted = {message.id for message in fresh if message.id}
    found = [f"missing (run `make catalogues`): {text!r}" for text in sorted(wanted - {m.id for m in catalogue if m.id})]
    for message in catalogue:
        if not message.id:
            continue
        if message.id not in wanted:
            found.append(f"said nowhere any more: {message.id!r}")
        elif message.fuzzy:
            found.append(f"fuzzy (its English changed; confirm the translation): {message.id!r}")
        elif not message.string:
            found.append(f"not translated: {message.id!r}")
        elif placeholders(message.string) != placeholders(message.id):
            found.append(f"placeholders differ: {message.id!r} has {sorted(placeholders(message.id))}, "
                         f"the translation {sorted(placeholders(message.string))}")
    found += [f"obsolete entry (#~): {text!r}" for text in catalogue.obsolete]
    return found


def placeholders(template):
    """The multiset of a template's replacement fields, as (name, conversion, format spec);
    a template that str.format cannot parse is one bad field."""
    try:
        fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(template)
                  if name is not None]
    except ValueError as error:
        return {("unparsable", str(error), ""): 1}
    return dict(collections.Counter(fields))


def write(catalogue, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=WIDTH, include_previous=True, sort_by_file=True, include_lineno=False)
    target.write_bytes(buffer.getvalue())


def pending():
    """[(path, line, sentence)]: what a reader is told without say(), file by file."""
    found = []
    for path in sources():
        tree = ast.parse(path.read_bytes())
        relative = path.relative_to(KIT).as_posix()
        inside_say = {id(node) for call in ast.walk(tree) if _is_say(call) for node in ast.walk(call)}
        for node, text in _spoken(tree, relative):
            if id(node) not in inside_say and PROSE.search(text):
                found.append((relative, node.lineno, text))
    return sorted(set(found))


def _spoken(tree, relative):
    """(node, text) for every string or f-string a reader is told."""
    for node in ast.walk(tree):
        said = []
        if isinstance(node, ast.Raise) and node.exc is not None:
            said.append(node.exc)
        elif isinstance(node, ast.Assert) and node.msg is not None:
            said.append(node.msg)
        elif isinstance(node, ast.Call) and _name(node.func) in SPEAKERS:
            said += node.args + [keyword.value for keyword in node.keywords]
        elif isinstance(node, ast.Call):
            said += [keyword.value for keyword in node.keywords if keyword.arg in SENTENCE_FIELDS]
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr in SENTENCE_FIELDS for t in targets):
                said.append(node.value)
        elif (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
              and relative.startswith("autograder/checks/") and ast.get_docstring(node)):
            yield node, ast.get_docstring(node).splitlines()[0]  # the question a failed check shows
        for expression in said:
            for part in ast.walk(expression):
                if isinstance(part, ast.JoinedStr):
                    yield part, ast.unparse(part)
                elif isinstance(part, ast.Constant) and isinstance(part.value, str) and not _in_fstring(part, expression):
                    yield part, part.value


def _in_fstring(constant, expression):
    return any(isinstance(node, ast.JoinedStr) and constant in node.values for node in ast.walk(expression))


def _is_say(node):
    return isinstance(node, ast.Call) and _name(node.func) == "say"


def _name(function):
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["update"]:
        for path in update():
            print(path.relative_to(KIT))
        return 0
    if argv == ["check"]:
        found = [f"{language}: {problem}" for language in LANGUAGES if language != ENGLISH
                 for problem in problems(language)]
        print("\n".join(found) if found else "every catalogue matches the kit's say() templates")
        return 1 if found else 0
    if argv == ["pending"]:
        found = pending()
        for path, line, text in found:
            print(f"{path}:{line}: {text}")
        print(f"{len(found)} sentences in {len({path for path, _, _ in found})} files not yet made with say()")
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
