"""The kit's message catalogues: gettext .po files, one per language, read at
run time with Babel.

The .po file is the only form of a translation: nothing is compiled, so no
compiled file can fall behind its source, and the Gradescope bundle ships the
.po files themselves (manifest.py) with Babel among its requirements. Only the
translated entries count; a fuzzy one (its English changed since it was
translated) is said in English until a translator confirms it, as gettext does.
"""
import functools
import re
from pathlib import Path

from . import ENGLISH

CATALOGUES = Path(__file__).resolve().parent / "catalogues"
# The messages the kit itself says (the lesson's own catalogue is the editions' business).
DOMAIN = "kit"
CHINESE = "zh_CN"
# The languages a reader can ask for, English first (it needs no catalogue).
LANGUAGES = (ENGLISH, CHINESE)
# Names a reader's locale may give each language: "zh-CN", "zh_CN.UTF-8", "zh_Hans", "zh".
_ALIASES = {"en": ENGLISH, "c": ENGLISH, "posix": ENGLISH,
            "zh": CHINESE, "zh_cn": CHINESE, "zh_hans": CHINESE, "zh_hans_cn": CHINESE, "zh_sg": CHINESE}


def known(name):
    """The kit's name for a language given as a locale or a tag ("zh-CN", "zh_CN.UTF-8",
    "en_GB"), or None when the kit does not speak it."""
    if not isinstance(name, str):
        return None
    base = re.split(r"[.@]", name.strip(), maxsplit=1)[0].replace("-", "_").lower()
    if base in _ALIASES:
        return _ALIASES[base]
    return ENGLISH if base.startswith("en_") else None


def path(language, domain=DOMAIN):
    return CATALOGUES / language / "LC_MESSAGES" / f"{domain}.po"


@functools.cache
def translations(language, domain=DOMAIN):
    """{English template: its translation} for every translated, confirmed (not fuzzy)
    entry of the catalogue; {} for English or a language without a catalogue."""
    if language == ENGLISH or not path(language, domain).is_file():
        return {}
    from babel.messages.pofile import read_po
    with open(path(language, domain), "rb") as file:
        catalogue = read_po(file, ignore_obsolete=True)
    return {message.id: message.string for message in catalogue
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy}
