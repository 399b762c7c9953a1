"""Messages kept as template and values, so that they can be said in another language."""
import json
import pickle

import numpy as np
import pytest
from hypothesis import given, strategies as st

from autograder.grade.results import FAILED, CheckResult, Report
from autograder.language import ENGLISH, Message, say, translated
from autograder.language import catalogue, readers, records

CHINESE = catalogue.CHINESE
# A template the Chinese catalogue translates, and one nobody translates.
KNOWN = "{cell}, line {line}: {error}"
UNKNOWN = "a sentence no catalogue has ({n})"


def test_a_message_reads_as_its_english_text():
    """Does a message read as the template filled with its values, wherever a str is expected?"""
    message = say("{what} is {factor} times too large", what="grad_bias", factor=31)
    assert message == "grad_bias is 31 times too large" and isinstance(message, str)
    assert message.template == "{what} is {factor} times too large" and message.values["factor"] == 31
    assert message.language == ENGLISH


def test_prose_values_are_rendered_in_the_same_language():
    """Is a message inside another one translated too, and are both templates its ids?"""
    inner = say("the loss")
    outer = say("{what} should be a single number", what=inner)
    french = {"the loss": "la perte", "{what} should be a single number": "{what} doit être un nombre"}
    assert outer.render(french.get) == "la perte doit être un nombre"
    assert outer.ids == ["{what} should be a single number", "the loss"]


def test_a_message_is_said_in_chinese_through_the_catalogue():
    """Does render("zh_CN") use the catalogue, keep the English template and values, and say which language it is?"""
    message = say(KNOWN, cell=3, line=2, error="invalid syntax")
    chinese = message.render(CHINESE)
    assert chinese == "3，第 2 行：invalid syntax"
    assert (chinese.template, chinese.values, chinese.language) == (message.template, message.values, CHINESE)
    assert message.render("zh-CN.UTF-8") == chinese and message.render(ENGLISH) == message


def test_nested_messages_are_translated_where_the_catalogue_has_them():
    """Is a translated message's prose value translated too, and an untranslated one kept in English?"""
    inner = say(KNOWN, cell=1, line=1, error="x")
    outer = say("No {notebook} in your submission: graded {found} instead.", notebook="simple_nn.ipynb", found=inner)
    assert outer.render(CHINESE) == "你提交的内容里没有 simple_nn.ipynb：已改为给 1，第 1 行：x 评分。"
    lonely = say(UNKNOWN, n=2)
    assert lonely.render(CHINESE) == "a sentence no catalogue has (2)" and lonely.render(CHINESE).language == ENGLISH


def test_a_broken_translation_falls_back_to_english():
    """Does a translation with a placeholder the values lack give the English sentence instead of an error?"""
    broken = {"{a} and {b}": "{a} 和 {c}"}.get
    assert say("{a} and {b}", a=1, b=2).render(broken) == "1 and 2"


@given(st.dictionaries(st.sampled_from(["what", "n", "name"]),
                       st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=20)), min_size=3))
def test_a_message_survives_being_sent_to_another_process(values):
    """Does a pickled message (a class is graded in other processes) come back with its template and values?"""
    message = Message("{what}: {n} and {name}", **values)
    for sent in (message, message.render(CHINESE)):
        back = pickle.loads(pickle.dumps(sent))
        assert (back, back.template, back.values, back.language) == (sent, sent.template, sent.values, sent.language)
        assert isinstance(back, Message)


# Values as checks give them: numbers (numpy's too), code names, shapes, and prose that is a Message.
VALUES = st.recursive(
    st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
              st.text(max_size=12), st.integers(0, 9).map(np.int64), st.floats(-1e3, 1e3).map(np.float64),
              st.tuples(st.integers(0, 5), st.integers(0, 5))),
    lambda inner: st.builds(lambda v: say("the value {v}", v=v), inner), max_leaves=4)


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), VALUES, min_size=3))
def test_a_message_stored_as_json_comes_back_with_its_ids_and_text(values):
    """Does a Message kept through JSON (a trusted record) restore with the same text, template, values and ids?"""
    message = say("{a} / {b!r} / {c}", **values)
    document = {"message": message, "notes": [message, "plain"], "score": 1}
    back = records.restored(json.loads(json.dumps(records.kept(document))))
    assert back["message"] == message and back["message"].ids == message.ids
    assert back["message"].values == {k: (v.item() if isinstance(v, np.generic) else v) for k, v in values.items()}
    assert back["notes"][0].ids == message.ids and back["notes"][1] == "plain" and back["score"] == 1


def test_a_message_said_in_chinese_is_stored_with_its_english_id():
    """Is a Chinese message kept as its Chinese text, and restored with its English template?"""
    chinese = say(KNOWN, cell=4, line=1, error="r").render(CHINESE)
    stored = json.loads(json.dumps(records.kept({"message": chinese})))
    assert stored["message"] == str(chinese) and stored["said"]["message"]["template"] == KNOWN
    back = records.restored(stored)["message"]
    assert back == chinese and back.template == KNOWN and back.language == CHINESE


def report_with(message, cause):
    return Report(notebook="n.ipynb", checks=[CheckResult("predict", "test_values", "?", 1, 0, FAILED, message, cause)],
                  notes=[say(KNOWN, cell=2, line=5, error="r")])


def test_a_stored_report_keeps_its_messages_and_older_records_still_load():
    """Does Report.to_dict/from_dict keep each message's template, and does a record without them load as text?"""
    report = report_with(say(UNKNOWN, n=7), say("wrong values"))
    back = Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert back.checks[0].message.template == UNKNOWN and back.checks[0].cause.template == "wrong values"
    assert back.notes[0].template == KNOWN and back.checks[0].message == report.checks[0].message
    older = report.to_dict()
    for check in older["checks"]:
        check.pop(records.SAID)
    older.pop(records.SAID)
    old = Report.from_dict(json.loads(json.dumps(older)))
    assert old.checks[0].message == report.checks[0].message and not isinstance(old.checks[0].message, Message)


def test_results_json_keeps_each_message_id():
    """Does Gradescope's document carry, beside each test's output, the message's template and values?"""
    test, = report_with(say(UNKNOWN, n=7), "").gradescope()["tests"]
    assert test["extra_data"]["said"]["template"] == UNKNOWN and test["output"] == "a sentence no catalogue has (7)"


def test_a_report_is_translated_whole_and_keeps_its_ids():
    """Does translated() say every Message of a Report in Chinese, keeping ids, plain text and numbers as they are?"""
    report = report_with(say(KNOWN, cell=1, line=2, error="r"), "plain cause")
    chinese = translated(report, CHINESE)
    assert chinese.checks[0].message == "1，第 2 行：r" and chinese.checks[0].message.template == KNOWN
    assert chinese.notes[0].language == CHINESE and chinese.checks[0].cause == "plain cause"
    assert chinese.checks[0].points == 1 and report.checks[0].message.language == ENGLISH  # the original is untouched


@pytest.mark.parametrize("name, expected", [
    ("zh_CN", CHINESE), ("zh-CN", CHINESE), ("zh_CN.UTF-8", CHINESE), ("zh", CHINESE), ("zh_Hans_CN", CHINESE),
    ("en", ENGLISH), ("en_GB.UTF-8", ENGLISH), ("C", ENGLISH), ("fr_FR", None), ("", None), (None, None)])
def test_language_names_are_read_as_a_locale_would_give_them(name, expected):
    """Are the usual spellings of a locale read as the kit's language names, and others refused?"""
    assert catalogue.known(name) == expected


@pytest.mark.parametrize("environ, expected", [
    ({}, ENGLISH), ({"LANG": "zh_CN.UTF-8"}, CHINESE), ({"LANG": "de_DE.UTF-8"}, ENGLISH),
    ({"LANGUAGE": "fr:zh_CN", "LANG": "fr_FR"}, CHINESE), ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}, ENGLISH),
    ({"LC_MESSAGES": "zh_CN.UTF-8"}, CHINESE)])
def test_the_instructor_is_answered_in_their_locale(environ, expected):
    """Does the instructor's language follow gettext's order of the locale's variables?"""
    assert readers.for_instructor(environ=environ) == expected
    assert readers.for_instructor("en", environ=environ) == ENGLISH


def test_an_unknown_language_is_one_clear_line():
    """Is an option naming a language the kit does not speak refused with one sentence that lists the others?"""
    with pytest.raises(readers.UnknownLanguage, match="en, zh_CN, not 'klingon'"):
        readers.chosen("klingon")


def notebook_file(tmp_path, metadata):
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_a_notebook_says_its_edition(tmp_path):
    """Is a student answered in the language their notebook's metadata names, English without one, the option first?"""
    chinese = notebook_file(tmp_path, {readers.METADATA_KEY: {readers.LANGUAGE_KEY: "zh_CN"}})
    assert readers.for_student(chinese) == CHINESE and readers.for_student(chinese, "en") == ENGLISH
    assert readers.of_notebook(notebook_file(tmp_path, {})) == ENGLISH


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode)
       | st.recursive(st.none() | st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                                   max_size=3))
       .map(lambda value: json.dumps({"metadata": {"autograder": value}}).encode()))
def test_any_file_gives_a_language_and_never_an_error(tmp_path_factory, content):
    """Whatever a submitted file holds, is its edition a language the kit speaks (English when it cannot tell)?"""
    path = tmp_path_factory.mktemp("any") / "n.ipynb"
    path.write_bytes(content)
    assert readers.of_notebook(path) in catalogue.LANGUAGES


def test_jupyterlab_speaks_chinese_but_nbgrader_does_not():
    """Does the pinned language pack give the pinned JupyterLab its Chinese, and has it nothing for nbgrader's buttons?"""
    from jupyterlab_server.translation_utils import get_language_pack, get_language_packs
    packs, _ = get_language_packs()
    assert "zh_CN" in packs
    strings, _ = get_language_pack("zh_CN")
    assert strings["jupyterlab"]["Settings"] == ["设置"]
    assert "nbgrader" not in strings  # formgrader, Validate and Assignment List stay English


def test_check_and_grade_take_a_language_option(tmp_path, capsys):
    """Does --language answer a notebook in the language asked for, and refuse an unknown one in one line (exit 2)?"""
    from autograder import cli
    path = tmp_path / "simple_nn.ipynb"
    path.write_text('{"cells": [')
    for verb in ("check", "grade"):
        assert cli.main([verb, str(path), "--language", "zh-CN"]) == cli.BAD_INPUT
        assert "不是笔记本" in capsys.readouterr().err
        assert cli.main([verb, str(path), "--language", "en"]) == cli.BAD_INPUT
        assert "not a notebook" in capsys.readouterr().err
        with pytest.raises(SystemExit) as refused:
            cli.main([verb, str(path), "--language", "klingon"])
        assert refused.value.code == 2 and "the kit speaks en, zh_CN, not 'klingon'" in capsys.readouterr().err
