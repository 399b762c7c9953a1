"""What the kit says when a newcomer stumbles: sentences that name what the
reader sees and what to do, generated over many inputs where they can be."""
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder import contract
from autograder.classwork.classgrade import Summary
from autograder.classwork.course import Course, CourseError
from autograder.grade import notebook, program, render
from autograder.grade.results import FAILED, PASSED, CheckResult, Report
from samples import build, course

NAMES = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=14)


class FakeCourse:
    assignment, db_url = contract.ASSIGNMENT, "sqlite:///gradebook.db"


@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.booleans())
def test_counts_agree_with_their_nouns(students, graded, repaired, scored):
    """Does the run's summary say '1 submission' and '1 student', never '1 submissions'?"""
    summary = Summary(students=students + graded + repaired, graded_now=graded,
                      repaired={f"r{i}": "why" for i in range(repaired)},
                      scores=[30.0] * students if scored else [], max_score=30)
    text = "\n".join(summary.lines(FakeCourse()))
    assert not re.search(r"\b1 (submissions|students)\b", text), text
    assert not re.search(r"\b([02-9]|\d\d+) (submission|student)\b", text), text


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    return course.make(tmp_path_factory.mktemp("typo"), {})


@settings(max_examples=30, deadline=None)
@given(name=NAMES)
def test_an_unknown_assignment_in_the_course_root_is_named_with_the_ones_there_are(course_root, name):
    """In the course root, does a wrong assignment name get the course's assignments (or the likely one), not 'run this from the course root'?"""
    if name == contract.ASSIGNMENT:
        return
    with pytest.raises(CourseError) as error:
        Course(course_root, name)
    message = str(error.value)
    assert "course root" not in message and name in message and contract.ASSIGNMENT in message, message
    assert "\n" not in message


def test_a_typo_gets_the_likely_name_and_another_folder_is_told_where_to_run(tmp_path, course_root):
    """Does `autograde simple_nnn` ask 'did you mean simple_nn?', and a folder that is no course say to run from the course root?"""
    with pytest.raises(CourseError, match=r"no assignment simple_nnn in source/: did you mean simple_nn\?"):
        Course(course_root, "simple_nnn")
    with pytest.raises(CourseError, match="is not a course root .*run this from the course root"):
        Course(tmp_path, contract.ASSIGNMENT)


@pytest.mark.parametrize("content", [b"", b"\n", b"   \n\t"])
def test_an_empty_file_is_called_empty(tmp_path, content):
    """Is a file with nothing in it said to be empty, not 'invalid JSON at line 1, column 1'?"""
    path = tmp_path / contract.NOTEBOOK
    path.write_bytes(content)
    with pytest.raises(notebook.UnreadableNotebook) as error:
        notebook.read_code_cells(path)
    assert "the file is empty" in str(error.value) and "JSON" not in str(error.value)


# Why checks fail, as the grader words them (a stub, a syntax error, a wrong value).
REASONS = ["predict is not implemented yet (it raises NotImplementedError)",
           "the cell of predict has a syntax error on line 1 (expected ':'), so nothing in it could be run",
           "the outputs are twice too large", "predict raised ValueError: shapes (3,2) and (3,1) not aligned"]


@st.composite
def reports(draw):
    checks = []
    for tag in contract.TAGS:
        for number in range(draw(st.integers(1, 4))):
            passed = draw(st.booleans())
            checks.append(CheckResult(tag, f"test_{number}", f"Is {tag} right, question {number}?", 1,
                                      1 if passed else 0, PASSED if passed else FAILED,
                                      "" if passed else draw(st.sampled_from(REASONS))))
    return Report(notebook="simple_nn.ipynb", checks=checks)


@given(reports())
def test_check_says_each_reason_once_per_function(report):
    """Does `check` say each reason once per function, and leave out the questions only when one reason fails them all?"""
    text = render.table(report)
    blocks = re.split(r"^  (?=\w)", text, flags=re.M)[1:]
    for tag, block in zip(contract.TAGS, blocks):
        checks = [check for check in report.checks if check.tag == tag]
        failed = [check for check in checks if check.status != PASSED]
        flat = " ".join(block.split())
        for reason in {check.message for check in failed}:
            assert flat.count(reason) == 1, (tag, reason, block)
        everything_for_one_reason = len(checks) > 1 and len(failed) == len(checks) and len(
            {check.message for check in failed}) == 1
        for check in failed:
            assert (check.question in block) != everything_for_one_reason, block


def test_an_untouched_release_gets_one_line_per_function(tmp_path):
    """Does the untouched release get one 'not implemented yet' line per function, not one per check?"""
    from autograder.grade import grading
    from conftest import RELEASE
    text = render.table(grading.grade(RELEASE))
    assert text.count("not implemented yet") == len(contract.FUNCTIONS) + 1, text  # and the pipeline's
    assert len(text.splitlines()) < 3 * len(contract.TAGS) + 4, text


@settings(max_examples=25, deadline=None)
@given(function=st.sampled_from(contract.FUNCTIONS),
       broken=st.sampled_from(["(", "def ):", "return return", "  x = 1\n y = 2"]))
def test_a_syntax_error_names_the_cell_as_the_student_sees_it(function, broken, tmp_path_factory):
    """Is a syntax error placed in 'the cell of <function>', never in a cell number Jupyter does not show?"""
    path = build.write(build.notebook({function: f"def {function}(*args):\n{broken}\n"}),
                       tmp_path_factory.mktemp("syntax") / contract.NOTEBOOK)
    built = program.build(notebook.read_code_cells(path))
    message = built.why_missing(function)
    assert message.startswith(f"the cell of {function} has a syntax error"), message
    assert not re.search(r"\bcell \d", message)


def test_an_added_cell_is_named_by_its_heading_and_first_line(tmp_path):
    """Is a cell the student added named by the section it sits in and its first line?"""
    nb = build.notebook()
    at = next(i for i, cell in enumerate(nb["cells"]) if cell["source"] and "## 6. Training" in "".join(cell["source"]))
    nb["cells"].insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "mine", "metadata": {},
                                "outputs": [], "source": "def helper(x):\n    return x +\n"})
    path = build.write(nb, tmp_path / contract.NOTEBOOK)
    built = program.build(notebook.read_code_cells(path))
    assert built.why_missing("helper").startswith(
        "the cell under “6. Training” that starts with `def helper(x):` has a syntax error on line 2")
    assert json.loads(path.read_text())  # (the notebook itself is a real one)
