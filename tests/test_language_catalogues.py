"""The kit's message catalogues against a fresh extraction of its say() templates:
nothing missing, fuzzy or obsolete, the same placeholders in every language,
and Chinese written as the glossary says (full-width punctuation, a space
between Chinese and code)."""
import re
import textwrap

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings, strategies as st

from autograder.language import ENGLISH, catalogue, extract

LANGUAGES = [language for language in catalogue.LANGUAGES if language != ENGLISH]
HAN = "\u4e00-\u9fff"
# Where Chinese meets Latin letters, digits, code or a placeholder, a space separates them.
UNSPACED = re.compile(rf"[{HAN}][A-Za-z0-9`${{]|[A-Za-z0-9`$}}][{HAN}]")
# In a Chinese sentence the punctuation is full-width (，。：；？！（）), half-width only inside code.
HALF_WIDTH = re.compile(rf"[{HAN}][,.:;?!()]|[,:;?!()][{HAN}]")


def chinese_style(text):
    """The glossary's rules a Chinese text breaks, outside code spans, math and placeholders."""
    prose = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", "`x`", text, flags=re.S)
    found = [f"no space between Chinese and code: {m.group()!r}" for m in UNSPACED.finditer(prose)]
    found += [f"half-width punctuation in Chinese: {m.group()!r}" for m in HALF_WIDTH.finditer(prose)]
    return found


@pytest.fixture(scope="module")
def fresh():
    return extract.template()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_nothing_is_stale(fresh, language):
    """Does each catalogue hold every say() template, translated and confirmed, and nothing the code no longer says?"""
    assert extract.problems(language, fresh) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_are_read_as_the_catalogue_says(fresh, language):
    """Does the kit read every template of a fresh extraction from the catalogue (nothing left in English)?"""
    table = catalogue.translations(language)
    assert {message.id for message in fresh if message.id} <= set(table)


def test_every_template_is_one_literal_string():
    """Is every say() template a literal (no f-string, no concatenation, no variable), so a catalogue can hold it?"""
    assert extract.not_literal() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_chinese_follows_the_glossarys_typography(language):
    """Is every Chinese message set with full-width punctuation and a space where it meets code?"""
    broken = {message.id: chinese_style(message.string) for message in extract.load(language)
              if message.id and chinese_style(message.string)}
    assert broken == {}


@pytest.mark.parametrize("text, broken", [
    ("第 3 个单元格：无法读取（{reason}）", False), ("第3个单元格", True), ("调用predict 时", True),
    ("你的 `predict`，返回", False), ("无法读取(原因)", True), ("完成.", True)])
def test_the_typography_rules_catch_what_they_should(text, broken):
    """Do the typography rules flag Chinese glued to code or half-width punctuation, and pass good text?"""
    assert bool(chinese_style(text)) == broken


# -- the mechanism, on catalogues made up here -------------------------------------------------------------

SENTENCES = st.lists(st.from_regex(r"[A-Z][a-z]{2,8}( [a-z]{2,8}){1,4}( \{[a-z]{1,6}\})?", fullmatch=True),
                     min_size=2, max_size=6, unique=True)


def made_up(templates):
    found = Catalog(domain=catalogue.DOMAIN, **extract.PROJECT)
    for text in templates:
        found.add(text)
    return found


@settings(max_examples=25, deadline=None)
@given(SENTENCES, st.data())
def test_a_change_in_the_code_shows_up_as_missing_fuzzy_or_stale(tmp_path_factory, templates, data):
    """After the code changes a template, adds one and drops one, does update leave entries that the check names?"""
    path = tmp_path_factory.mktemp("po") / "kit.po"
    catalogue_now = Catalog(locale="zh_CN", domain=catalogue.DOMAIN, **extract.PROJECT)
    catalogue_now.update(made_up(templates))
    for message in catalogue_now:
        if message.id:
            message.string = "译文" + "".join(" {%s}" % name for name, *_ in extract.placeholders(message.id))
    extract.write(catalogue_now, path)
    assert extract.problems("zh_CN", made_up(templates), path) == []
    changed, dropped = templates[0], templates[1]
    later = [changed + " again", *templates[2:], data.draw(st.just("Brand new sentence here"))]
    catalogue_later = extract.load("zh_CN", path)
    catalogue_later.update(made_up(later))
    extract.write(catalogue_later, path)
    found = "\n".join(extract.problems("zh_CN", made_up(later), path))
    assert f"fuzzy (its English changed; confirm the translation): {changed + ' again'!r}" in found \
        or f"not translated: {changed + ' again'!r}" in found
    assert "not translated: 'Brand new sentence here'" in found
    assert f"obsolete entry (#~): {dropped!r}" in found or f"obsolete entry (#~): {changed!r}" in found


@pytest.mark.parametrize("english, translated, same", [
    ("{path}: cannot be read ({reason})", "{path}：无法读取（{reason}）", True),
    ("{path}: cannot be read ({reason})", "{path}：无法读取", False),
    ("{n:.3g} times", "{n} 倍", False),
    ("{name!r} is unknown", "{name} 未知", False),
    ("{a} and {a}", "{a} 和 {a}", True),
    ("{a} and {a}", "{a}", False),
    ("{a", "{a}", False)])
def test_placeholders_are_compared_with_their_conversion_and_format(english, translated, same):
    """Are placeholders compared by name, conversion, format spec and count (so {n:.3g} cannot become {n})?"""
    assert (extract.placeholders(english) == extract.placeholders(translated)) == same


def test_pending_lists_sentences_that_do_not_go_through_say(tmp_path, monkeypatch):
    """Does `pending` list an f-string raised or printed, a check's question, and nothing made with say()?"""
    module = tmp_path / "autograder" / "checks" / "test_made_up.py"
    module.parent.mkdir(parents=True)
    module.write_text(textwrap.dedent('''\
        from autograder.language import say

        def test_values():
            """Are the values right for every size?"""
            raise Mistake(f"the loss is {loss} times too large: divide by n")

        def report(n):
            print("Problems running your definitions:")
            raise ValueError(say("the loss is {n} times too large", n=n))
        '''))
    monkeypatch.setattr(extract, "sources", lambda: [module])
    monkeypatch.setattr(extract, "KIT", tmp_path)
    texts = [text for _, _, text in extract.pending()]
    assert "Are the values right for every size?" in texts and "Problems running your definitions:" in texts
    assert any("times too large: divide by n" in text for text in texts)
    assert not any(text == "the loss is {n} times too large" for text in texts)


def test_pending_never_lists_a_sentence_already_made_with_say(fresh):
    """Does `pending`, run on the kit, list only sentences that are not say() templates yet?"""
    listed = {text for _, _, text in extract.pending()}
    assert not listed & {message.id for message in fresh if message.id}
