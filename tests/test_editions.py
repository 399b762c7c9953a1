"""The Chinese edition: made from the English source through the lesson's
catalogue, the same notebook for the grader, and every text of the lesson
translated as the glossary says."""
import ast
import copy
import re
import shutil
import subprocess

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from nbgrader.validator import Validator

import editions
from autograder import contract
from autograder.language.readers import LANGUAGE_KEY, METADATA_KEY
from conftest import ROOT
from test_language_catalogues import chinese_style

LANGUAGE = "zh_CN"
ZH_SOURCE = editions.source_notebook(LANGUAGE)
ZH_RELEASE = ROOT / "editions" / LANGUAGE / "release" / contract.ASSIGNMENT / contract.NOTEBOOK

# The glossary (standard Chinese ML terms): for each English term of the lesson, the term
# the edition uses, and the word of the well-known translation that it names once, at the
# term's first appearance ("（译文：…）").
GLOSSARY = [
    (r"neural network", "神经网络", None),
    (r"\binputs?\b", "输入", None),
    (r"\btargets?\b", "目标值", "目标"),
    (r"\boutputs?\b", "输出", None),
    (r"\bobservations?\b", "样本", "观察值"),
    (r"\bweights?\b", "权重", None),
    (r"\bbias\b", "偏置", "偏差"),
    (r"\bloss function\b", "损失函数", "成本函数"),
    (r"L2-norm loss", "L2 范数损失", "L2-诺姆损失函数"),
    (r"optimisation algorithm", "优化算法", None),
    (r"gradient descent", "梯度下降", None),
    (r"learning rate", "学习率", "学习速率"),
    (r"\biterations?\b", "迭代", None),
    (r"\bconverge", "收敛", None),
    (r"uniform distribution", "均匀分布", None),
    (r"\bnoise\b", "噪声", None),
    (r"np\.column_stack", "按列堆叠", "列堆栈"),
    (r"\bbroadcasts?\b", "广播", None),
    (r"\bshape\b", "形状", None),
    (r"\bdeltas\b", "误差", "deltas"),
    (r"visible checks", "公开检查", None),
    (r"\bseed\b", "随机种子", None),
    (r"matrix product", "矩阵乘法", None),
    (r"column of shape", "列向量", None),
]
# 目标 is also the start of 目标值: only the bare word counts as the translation's.
TRANSLATION_WORD = {"目标": r"目标(?!值)"}
CODE = re.compile(r"`[^`]*`")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
QUOTED = re.compile(r"“[^”]*”")
# Three English words in a row, outside code, math, link targets and quoted titles: an untranslated sentence.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ '][A-Za-z]{2,}){2,}\b")


@pytest.fixture(scope="module")
def english():
    return editions.read(editions.source_notebook())


@pytest.fixture(scope="module")
def chinese():
    return editions.read(ZH_SOURCE)


@pytest.fixture(scope="module")
def table():
    return editions.translator(editions.load(LANGUAGE))


@pytest.fixture(scope="module")
def pairs(english, table):
    """[(Text, its translation)] in the lesson's order."""
    return [(text, table[(text.context, text.english)]) for text in editions.texts(english)]


def test_every_text_of_the_english_source_is_translated_and_nothing_is_stale():
    """Does the lesson catalogue translate every text of the English source, with nothing fuzzy or obsolete?"""
    assert editions.problems(LANGUAGE) == []


def test_the_edition_is_what_the_catalogue_makes_now():
    """Is the committed edition exactly what `make edition` makes from the current source and catalogue?"""
    fresh = editions.build(LANGUAGE)
    assert nbformat.writes(fresh) == nbformat.writes(editions.read(ZH_SOURCE)), "stale: run `make edition`"
    assert (ZH_SOURCE.parent / "visible_checks.py").read_text() == editions.visible_checks(LANGUAGE), \
        "stale visible_checks.py: run `make edition`"


def without_docstrings(source):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and ast.get_docstring(node) is not None:
            node.body = node.body[1:] or [ast.Pass()]
    return ast.dump(tree)


def test_the_grader_sees_the_same_notebook(english, chinese):
    """Has the edition the same cells (ids, types, metadata, grade_ids, points) and the same code, docstrings aside?"""
    assert len(chinese.cells) == len(english.cells)
    for zh, en in zip(chinese.cells, english.cells):
        assert (zh.id, zh.cell_type, zh.metadata) == (en.id, en.cell_type, en.metadata)
        if en.cell_type == "code":
            assert without_docstrings(zh.source) == without_docstrings(en.source), en.id
            if editions._grade_id(en) not in contract.FUNCTIONS:
                assert zh.source == en.source, f"cell {en.id}: only the student functions' docstrings are translated"
    assert chinese.metadata[METADATA_KEY] == {LANGUAGE_KEY: LANGUAGE}
    assert {k: v for k, v in chinese.metadata.items() if k != METADATA_KEY} == english.metadata


def parameters(docstring):
    return re.findall(r"^\s*(\w+) : ", docstring, re.M)


def test_docstrings_keep_every_parameter_and_section(english, chinese):
    """Does each translated docstring name the same parameters and returns, in the same order, under the same headings?"""
    for zh, en in zip(chinese.cells, english.cells):
        if editions._grade_id(en) in contract.FUNCTIONS:
            zh_doc, en_doc = (ast.get_docstring(ast.parse(c.source).body[0]) for c in (zh, en))
            assert parameters(zh_doc) == parameters(en_doc) and parameters(en_doc)
            assert re.findall(r"^(Parameters|Returns)$", zh_doc, re.M) == re.findall(r"^(Parameters|Returns)$",
                                                                                     en_doc, re.M)
            assert zh_doc != en_doc and "形状" in zh_doc


def math_of(text):
    """The formulas of a text, with \\text{...} (words inside formulas, translated too) left out."""
    return {re.sub(r"\\text\{[^}]*\}", r"\\text{}", m) for m in MATH.findall(text)}


def test_code_and_formulas_stay_as_they_are(pairs):
    """Does every translation keep each code span and formula of its English, and add no formula of its own?
    (A formula may be said twice: Chinese repeats a subject where English uses a pronoun.)"""
    for text, translation in pairs:
        assert math_of(translation) == math_of(text.english), text.context
        missing = set(CODE.findall(text.english)) - set(CODE.findall(translation))
        assert not missing, f"{text.context}: {missing}"


def test_the_chinese_follows_the_glossarys_typography(pairs):
    """Is every translation set with full-width punctuation and a space between Chinese and code or numbers?"""
    broken = {text.english[:40]: chinese_style(translation) for text, translation in pairs if chinese_style(translation)}
    assert broken == {}


def prose(text):
    for pattern in (CODE, MATH, LINK_TARGET, QUOTED):
        text = pattern.sub(" ", text)
    return text


def test_no_english_sentence_is_left(pairs):
    """Does no translation keep an English sentence (three English words in a row, code and titles aside)?"""
    left = {text.context: ENGLISH_RUN.findall(prose(translation)) for text, translation in pairs
            if ENGLISH_RUN.findall(prose(translation))}
    assert left == {}


def test_the_english_run_rule_finds_english():
    """Does the rule that finds English sentences find one, and leave code, formulas and titles alone?"""
    assert ENGLISH_RUN.findall(prose("请把 the weights as a column 传入"))
    assert not ENGLISH_RUN.findall(prose("调用 `np.random.default_rng(seed)` 时，$y = Xw + b$，“Design a simple net”"))


def test_the_glossarys_terms_are_used(english, pairs):
    """Does the edition use the standard Chinese term of every glossary term the English lesson uses?"""
    english_text = "\n".join(text.english for text, _ in pairs)
    chinese_text = "\n".join(translation for _, translation in pairs)
    missing = [term for pattern, term, _ in GLOSSARY
               if re.search(pattern, english_text, re.I) and term not in chinese_text]
    assert missing == []


def test_the_translations_own_words_are_named_once_where_the_term_first_appears(pairs):
    """Is each word of the well-known translation given exactly once, in the paragraph where its term first appears?"""
    translations = [CODE.sub(" ", translation) for _, translation in pairs]
    for _, term, word in GLOSSARY:
        if word is None:
            continue
        pattern = TRANSLATION_WORD.get(word, re.escape(word))
        where = [number for number, text in enumerate(translations) if re.search(pattern, text)]
        assert len(where) == 1 and len(re.findall(pattern, translations[where[0]])) == 1, (word, where)
        first = next(number for number, text in enumerate(translations) if term in text)
        assert where == [first], f"{word} should be named where {term} first appears"


def test_the_lesson_names_its_source(english, chinese):
    """Does the first cell of both editions link the original tutorial and give its Chinese title?"""
    for notebook in (english, chinese):
        first = notebook.cells[0].source
        assert "Design a simple neural network with NumPy" in first and "《用 NumPy 设计一个简单的神经网络》" in first
        assert re.search(r"\]\(https://medium\.com/[^)]+\)", first) and "Analytics Vidhya" in first


# -- a change to the English source shows up -----------------------------------------------------------------

@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_an_edit_of_the_english_source_shows_up_as_missing_or_fuzzy(tmp_path, english, data):
    """When a text of the English source is edited, does update make it fuzzy or new, the check name it, and build refuse?"""
    texts = editions.texts(english)
    text = data.draw(st.sampled_from(texts))
    words = data.draw(st.sampled_from([" Read it twice.", " (See section 1.)", " That is all."]))
    edited = copy.deepcopy(english)
    for cell in edited.cells:
        if cell.source.count(text.english) == 1 and cell.id in text.context:
            cell.source = cell.source.replace(text.english, text.english + words)
            break
    else:
        return  # the text repeats in its cell: nothing to edit unambiguously
    path = tmp_path / "lesson.po"
    shutil.copy(editions.catalogue_path(LANGUAGE), path)
    editions.update(LANGUAGE, edited, path)
    found = "\n".join(editions.problems(LANGUAGE, edited, path))
    assert f"{text.context}: fuzzy" in found or f"{text.context}: not translated" in found
    with pytest.raises(editions.Untranslated) as refused:
        editions.build(LANGUAGE, edited, editions.load(LANGUAGE, path))
    assert [t.english for t in refused.value.texts] == [text.english + words]


def test_a_removed_text_is_stale_and_a_code_edit_needs_no_translation(tmp_path, english):
    """Is a paragraph removed from the English reported as obsolete, while an edit of code alone changes nothing to translate?"""
    edited = copy.deepcopy(english)
    last = [cell for cell in edited.cells if cell.cell_type == "markdown"][-1]
    removed = last.source
    last.source = "A new closing paragraph."
    path = tmp_path / "lesson.po"
    shutil.copy(editions.catalogue_path(LANGUAGE), path)
    editions.update(LANGUAGE, edited, path)
    found = "\n".join(editions.problems(LANGUAGE, edited, path))
    assert "A new closing paragraph." in found and (removed[:40] in found or "fuzzy" in found)
    code_edit = copy.deepcopy(english)
    cell = next(c for c in code_edit.cells if c.cell_type == "code" and not editions._grade_id(c))
    cell.source += "\nprint('one more line')"
    assert editions.problems(LANGUAGE, code_edit) == []
    assert editions.build(LANGUAGE, code_edit).cells[code_edit.cells.index(cell)].source == cell.source


# -- the edition as nbgrader releases it ------------------------------------------------------------------------

def test_the_chinese_release_matches_a_fresh_generate_assignment(tmp_path, env):
    """Is the committed Chinese release exactly what nbgrader makes from the edition's source?"""
    shutil.copytree(ROOT / "editions" / LANGUAGE / "source", tmp_path / "editions" / LANGUAGE / "source")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    source, release = editions.course_directories(LANGUAGE)
    subprocess.run(["nbgrader", "generate_assignment", contract.ASSIGNMENT, "--force",
                    "--GenerateAssignment.no_database=True", "--SaveCells.enabled=False",
                    f"--CourseDirectory.source_directory={source}", f"--CourseDirectory.release_directory={release}"],
                   cwd=tmp_path, env=env, check=True, capture_output=True)
    fresh_folder = tmp_path / release / contract.ASSIGNMENT
    for name in (contract.NOTEBOOK, "visible_checks.py"):
        assert (fresh_folder / name).read_text() == (ZH_RELEASE.parent / name).read_text(), \
            f"editions/{LANGUAGE}/release is stale: run `make release`"


def test_the_chinese_release_keeps_its_language_and_fails_every_test_cell():
    """Does the released Chinese notebook say its language, and fail every test cell until answered?"""
    assert editions.read(ZH_RELEASE).metadata[METADATA_KEY] == {LANGUAGE_KEY: LANGUAGE}
    assert Validator(invert=True).validate(str(ZH_RELEASE)) == {}


def test_the_chinese_source_passes_its_own_tests():
    """Does nbgrader's Validator find no failing test cell in the Chinese edition's solutions?"""
    assert Validator().validate(str(ZH_SOURCE)) == {}
