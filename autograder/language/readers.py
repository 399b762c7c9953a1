"""Which language each reader is answered in.

A student is answered in the language of their notebook's edition: every
edition says it in its metadata, {"autograder": {"language": "zh_CN"}}, which
nbgrader and Jupyter keep when the notebook is released, opened and saved; a
notebook without it (the English source, any older notebook) is English. An
instructor is answered in their locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
in gettext's order). An explicit option (`--language`) wins over both.
"""
import json
import os
from pathlib import Path

from . import ENGLISH, say
from .catalogue import LANGUAGES, known

# Where an edition says its language in a notebook's metadata.
METADATA_KEY = "autograder"
LANGUAGE_KEY = "language"
# The grader refuses larger notebooks before reading them (grade/notebook.py); so does this.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class UnknownLanguage(ValueError):
    """An option names a language the kit does not speak; str() is one clear line."""


def chosen(option):
    """The kit's name for an option's language, or None without one; raises UnknownLanguage."""
    if option is None:
        return None
    language = known(option)
    if language is None:
        raise UnknownLanguage(say("the kit speaks {languages}, not {name!r}", languages=", ".join(LANGUAGES),
                                  name=option))
    return language


def of_notebook(path):
    """The language a notebook's edition says in its metadata; English when it says
    none, or the file cannot be read (the grader says why in its own words)."""
    try:
        path = Path(path)
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return ENGLISH
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        return ENGLISH
    metadata = document.get("metadata") if isinstance(document, dict) else None
    ours = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    said = ours.get(LANGUAGE_KEY) if isinstance(ours, dict) else None
    return known(said) or ENGLISH


def for_student(notebook, option=None):
    """The language to answer the student who wrote `notebook` in."""
    return chosen(option) or of_notebook(notebook)


def for_instructor(option=None, environ=None):
    """The language to answer the instructor in: the option, else the first language of
    their locale that the kit speaks, else English."""
    if option is not None:
        return chosen(option)
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        # LANGUAGE is a list of preferences ("zh_CN:en"); the others name one locale.
        for name in value.split(":") if variable == "LANGUAGE" else [value]:
            if known(name):
                return known(name)
        if variable != "LANGUAGE":
            return ENGLISH  # the locale in force names a language the kit does not speak
    return ENGLISH
