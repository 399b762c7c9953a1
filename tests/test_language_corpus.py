"""The corpus graded as the Chinese edition: the same scores and the same causes
as the English edition, compared by message id, and the Chinese sentences free
of untranslated English.

Each sample is made twice, from the English release and as the Chinese
edition's notebook (editions.as_edition: the same student code, the lesson's
texts in Chinese, the edition's metadata). A representative part of the
corpus is graded here (each kind of sample, each function's first mistake);
`make corpus-chinese` grades all of it (KIT_CORPUS=all)."""
import os
import re

import pytest

import editions
from autograder.classwork import batch
from autograder.grade.results import Report
from autograder.language import Message, catalogue, readers, translated
from autograder.sandbox import Limits
from samples import build, corpus
from test_editions import ENGLISH_RUN, prose

LANGUAGE = "zh_CN"
LIMITS = Limits(define_seconds=3)  # as tests/test_corpus.py: definitions need far less
HAN = re.compile(r"[\u4e00-\u9fff]")
# How many times a pair that differs is graded again before the difference counts.
REGRADES = 2


def chosen_samples():
    if os.environ.get("KIT_CORPUS") == "all":
        return list(corpus.SAMPLES)
    chosen, seen = [], set()
    # The first sample of each kind, and each function's first mistake; abuse (hanging, crashing
    # code) tests the sandbox, whatever the language, and costs its time limits: only with "all".
    for sample in corpus.SAMPLES:
        key = (sample.kind, tuple(sorted(sample.loses)) if sample.kind == corpus.WRONG else ())
        if key not in seen and sample.kind != corpus.ABUSE:
            seen.add(key)
            chosen.append(sample)
    return chosen


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus-both")
    paths = {}
    for sample in chosen_samples():
        english = sample.notebook()
        paths[sample.name] = (str(build.write(english, folder / "en" / f"{sample.name}.ipynb")),
                              str(build.write(editions.as_edition(english, LANGUAGE),
                                              folder / LANGUAGE / f"{sample.name}.ipynb")))
    outcomes = dict(batch.grade_many([path for pair in paths.values() for path in pair], limits=LIMITS))
    return {name: (outcomes[english], outcomes[chinese], chinese) for name, (english, chinese) in paths.items()}


def said(value):
    """What a message is, whatever its language: its ids, or the text of plain text."""
    return tuple(value.ids) if isinstance(value, Message) else str(value)


def test_the_chinese_notebooks_say_their_language(graded):
    """Is every Chinese twin read as the Chinese edition (the kit answers it in Chinese)?"""
    assert {readers.of_notebook(path) for _, _, path in graded.values()} == {LANGUAGE}


def differences(english, chinese):
    """What differs between the English and the Chinese report of one sample, by check."""
    if not (isinstance(english, Report) and isinstance(chinese, Report)):
        return [(type(english).__name__, type(chinese).__name__)]
    left = [(c.tag, c.name, c.score, c.status, said(c.cause), said(c.message)) for c in english.checks]
    right = [(c.tag, c.name, c.score, c.status, said(c.cause), said(c.message)) for c in chinese.checks]
    found = [pair for pair in zip(left, right) if pair[0] != pair[1]] + ([("checks", len(left), len(right))]
                                                                       if len(left) != len(right) else [])
    if sorted(map(said, english.notes)) != sorted(map(said, chinese.notes)):
        found.append(("notes", english.notes, chinese.notes))
    return found


def test_the_chinese_edition_gets_the_same_scores_and_causes(graded):
    """Does each sample score the same, check by check, with the same causes and messages by id, in both editions?"""
    different = {name: differences(english, chinese) for name, (english, chinese, _) in graded.items()
                 if differences(english, chinese)}
    # A machine loaded by other work can make one grading of a pair time out where the other did
    # not: a difference counts only if it comes back each time the pair is graded again, alone.
    for _ in range(REGRADES):
        for name in [name for name, found in different.items() if found]:
            english_path, chinese_path = (str(graded[name][2]).replace(f"/{LANGUAGE}/", "/en/"), graded[name][2])
            again = dict(batch.grade_many([english_path, chinese_path], jobs=1, limits=LIMITS))
            different[name] = differences(again[english_path], again[chinese_path])
    assert {name: found for name, found in different.items() if found} == {}


def untranslated(report):
    """The English sentences left in a report said in Chinese: in every Message (the sentences
    not made with say() yet are English by design until they are converted)."""
    left = []
    for check in report.checks:
        for text in (check.message, check.cause):
            if isinstance(text, Message):
                left += ENGLISH_RUN.findall(prose(text))
    for note in report.notes:
        if isinstance(note, Message):
            left += ENGLISH_RUN.findall(prose(note))
    return left


def test_what_is_said_in_chinese_has_no_english_sentence_left(graded):
    """Said in the edition's language, does every message made with say() read as Chinese, with no English sentence?"""
    for name, (_, chinese, path) in graded.items():
        report = translated(chinese, readers.of_notebook(path))
        assert untranslated(report) == [], name


def test_a_note_is_said_in_chinese(tmp_path):
    """Is the note on a cell with a syntax error said in Chinese to a student of the Chinese edition?"""
    broken = build.notebook({"l2_loss": "def l2_loss(outputs, targets):\n    return float(np.sum(outputs\n"})
    path = build.write(editions.as_edition(broken, LANGUAGE), tmp_path / "simple_nn.ipynb")
    (outcome,) = dict(batch.grade_many([str(path)], limits=LIMITS)).values()
    (note,) = outcome.notes
    # Whatever its English wording: a Message, each of its templates (the note and the cell it
    # names) translated, and said in Chinese with no English sentence left but Python's own reason.
    assert isinstance(note, Message), note
    assert set(note.ids) <= set(catalogue.translations(LANGUAGE)), note.ids
    said = translated(outcome, readers.of_notebook(path)).notes[0]
    assert said.language == LANGUAGE and HAN.search(said), said
    reason = note.values.get("error", "")
    assert reason and ENGLISH_RUN.findall(prose(said.replace(reason, " "))) == [], said
