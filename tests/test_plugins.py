"""nbgrader's own verbs on a course whose nbgrader_config.py names the kit's
plugins: `nbgrader autograde`, the formgrader API behind the Autograde and
Generate Feedback buttons, and release_feedback give what the kit's verbs give."""
import json
import re
import shutil
import subprocess

import pytest

from autograder import contract
from classcourse import class_submissions, gradebook, gradebook_state
from conftest import ROOT, SOURCE
from samples import course


def copy_course(root, destination):
    """A copy of a graded course. The trusted records name the gradebook they were
    written to: point them at the copy's, as if the course had been graded there."""
    shutil.copytree(root, destination, dirs_exist_ok=True)
    for path in (destination / "trusted" / contract.ASSIGNMENT).glob("*.json"):
        record = json.loads(path.read_text())
        record["recorded"] = f"sqlite:///{destination.resolve() / 'gradebook.db'}"
        path.write_text(json.dumps(record))
    return destination


def kit_autograde(root, *args, **options):
    """`python -m autograder autograde` in this process (nbgrader is imported already): (summary, its lines)."""
    from autograder.classwork import classgrade
    from autograder.classwork.course import Course
    course = Course(root)
    summary = classgrade.autograde(course, *args, progress=False, **options)
    return summary, "\n".join(summary.lines(course))


def formgrader_api(root, **settings):
    """The NbGraderAPI that formgrader's buttons call, with the course's configuration."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from autograder.classwork.course import Course
    config = Course(root).config
    for section, values in settings.items():
        for name, value in values.items():
            setattr(config[section], name, value)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def test_nbgrader_runs_the_kits_pipeline():
    """Does the course's configuration give nbgrader's autograde the kit's own pipeline, and generate_feedback the kit's page?"""
    from autograder.classwork.course import Course
    from autograder.classwork.gradebook import AFTER_VERDICTS
    config = Course(ROOT).config
    assert config.Autograde.autograde_preprocessors == ["autograder.classwork.plugins.TrustedVerdicts", *AFTER_VERDICTS]
    assert config.GenerateFeedback.exporter_class == "autograder.classwork.plugins.FeedbackPage"
    assert config.GenerateFeedback.preprocessors == []


@pytest.fixture(scope="module")
def kit_then_nbgrader(graded, env, tmp_path_factory):
    """The kit's graded class, then `nbgrader autograde --force` over it, then a
    plain nbgrader run's scores for mallory, then the kit again:
    (root, nbgrader's run, the gradebook after it, the kit's run)."""
    root = copy_course(graded[0], tmp_path_factory.mktemp("kit-then-nbgrader"))
    nbgrader = subprocess.run(["nbgrader", "autograde", contract.ASSIGNMENT, "--force"], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
    after_nbgrader = gradebook_state(root)
    with gradebook(root) as gb:  # what a plain nbgrader run fooled by mallory's trick writes
        for grade in gb.find_submission_notebook(contract.NOTEBOOK_ID, contract.ASSIGNMENT, "mallory").grades:
            grade.auto_score = grade.max_score if grade.cell.cell_type == "code" else None
        gb.db.commit()
    kit = kit_autograde(root)
    return root, nbgrader, after_nbgrader, kit


def test_nbgrader_autograde_after_the_kit_changes_no_grade(graded, kit_then_nbgrader):
    """Does `nbgrader autograde --force` write the kit's grades and flags, the cheater's 0 included?"""
    _, result, after_nbgrader, _ = kit_then_nbgrader
    assert after_nbgrader == gradebook_state(graded[0])
    # As always, nbgrader cannot read a broken notebook or one under another name.
    failed = set(re.findall(r"error processing assignment '\w+' for student '(\w+)'", result.stdout + result.stderr))
    assert result.returncode == 1 and failed == {"carol", "dave"}, result.stderr[-3000:]


def test_formgrader_autograde_and_the_kit_agree_in_either_order(graded, tmp_path):
    """Graded first by formgrader's Autograde button, then by the kit: same gradebook as the kit alone?"""
    from autograder.classwork import gradebook as kit_gradebook
    from autograder.classwork.course import Course
    students = {name: submission for name, submission in class_submissions().items()
                if name in ("alice", "mallory", "dave")}
    root = course.make(tmp_path / "nbgrader-then-kit", students)
    kit_gradebook.ensure_assignment(Course(root))  # what generate_assignment does
    api = formgrader_api(root)
    for student in students:
        outcome = api.autograde(contract.ASSIGNMENT, student)
        # nbgrader cannot autograde dave's renamed notebook; the kit can.
        assert outcome["success"] == (student != "dave"), outcome.get("error")
    summary, _ = kit_autograde(root)
    assert summary.graded_now == 1 and not summary.repaired  # dave; the button's trusted records were reused
    expected = gradebook_state(graded[0])
    assert gradebook_state(root) == {student: expected[student] for student in students}


def test_the_kit_repairs_a_gradebook_that_disagrees(graded, kit_then_nbgrader):
    """When another grader overwrote scores, or nbgrader removed a notebook formgrader opens, does the kit say so and repair it?"""
    root, _, _, (_, output) = kit_then_nbgrader
    assert "0 graded now, 6 unchanged, 2 repaired" in output and "repaired           2" in output
    assert "- mallory: the gradebook had 30 automatic points, the kit's trusted record 0" in output
    assert f"- dave: its autograded {contract.NOTEBOOK}, which formgrader opens, was missing" in output
    assert gradebook_state(root) == gradebook_state(graded[0])
    assert (root / "autograded" / "dave" / contract.ASSIGNMENT / contract.NOTEBOOK).exists()
    forced, _ = kit_autograde(root, "bob", jobs=1, force=True)
    assert (forced.students, forced.graded_now, forced.repaired) == (1, 1, {})
    assert gradebook_state(root) == gradebook_state(graded[0])


def hidden_test_lines(checks=True):
    """The lines of the source notebook's hidden tests, and of the kit's checks."""
    source = json.loads(SOURCE.read_text())
    hidden = re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                        "\n".join("".join(cell["source"]) for cell in source["cells"]), re.S)
    lines = {line.strip() for block in hidden for line in block.splitlines()}
    if checks:  # (a student's own code may hold the same lines as a check)
        lines |= {line.strip() for path in (ROOT / "autograder" / "checks").glob("*.py")
                  for line in path.read_text().splitlines()}
    return {line for line in lines if len(line) > 25} | {"BEGIN HIDDEN TESTS"}


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def test_formgrader_shows_verdicts_plots_and_no_hidden_tests(kit_then_nbgrader, graded):
    """Does every autograded notebook (the renamed one too) show the kit's verdicts, no hidden test, no bare score, and mallory's plots or their absence?"""
    hidden = hidden_test_lines(checks=False)
    kit_only, by_nbgrader = graded[0], kit_then_nbgrader[0]  # (the kit put dave's back there)
    for root, student in [(kit_only, name) for name in ("alice", "bob", "mallory", "dave", "frank", "gina")] + [
            (by_nbgrader, name) for name in ("alice", "bob", "dave", "gina")]:
        notebook = json.loads((root / "autograded" / student / contract.ASSIGNMENT / contract.NOTEBOOK).read_text())
        text = json.dumps(notebook, indent=1).replace("\\n", "\n")
        assert not [line for line in hidden if line in text], student
        tests = {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
                 if cell["metadata"].get("nbgrader", {}).get("grade") and cell["cell_type"] == "code"}
        for grade_id, cell in tests.items():
            assert _text(cell["outputs"][0]["text"]).startswith("Graded by the kit's hidden checks"), (student, grade_id)
            assert not [o for o in cell["outputs"] if o["output_type"] == "execute_result"], (student, grade_id)
        plots = _text(tests[contract.grade_cell_id(contract.PIPELINE)]["outputs"][-1]["data"]["text/html"])
        assert ("data:image/png;base64," in plots) == (student not in ("mallory", "gina")), student  # no training ran


def test_generate_feedback_and_release_feedback_hand_out_the_kits_pages(kit_then_nbgrader, tmp_path):
    """Do formgrader's Generate Feedback and release_feedback hand out the kit's pages, without hidden tests?"""
    from autograder.classwork import feedback
    from autograder.classwork.course import Course
    root = kit_then_nbgrader[0]
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    api = formgrader_api(root, Exchange={"root": str(exchange)})
    outcome = api.generate_feedback(contract.ASSIGNMENT)
    assert outcome["success"], outcome.get("error")
    pages = {student: (root / "feedback" / student / contract.ASSIGNMENT / "simple_nn.html").read_text()
             for student in ("alice", "bob", "mallory", "dave", "frank", "gina")}  # carol's and erin's: no notebook
    hidden = hidden_test_lines()
    for student, page in pages.items():
        assert not [line for line in hidden if line in page], student
    for student in ("bob", "mallory", "dave"):  # a mistake, the cheater, the renamed notebook
        assert pages[student] == feedback.student_page(Course(root), student), student
    with pytest.raises(LookupError, match="no trusted grade for zoe: grade the class first"):
        feedback.student_page(Course(root), "zoe")  # nbgrader says so for that student, and writes no page
    outcome = api.release_feedback(contract.ASSIGNMENT, "bob")
    assert outcome["success"], outcome.get("error")
    [released] = (exchange / "simple-nn" / "feedback").glob("*.html")
    assert released.read_text() == pages["bob"]


def test_nbgraders_autograde_warns_only_of_test_cells_the_student_changed(tmp_path):
    """Does nbgrader's autograde (formgrader's button) say nothing of an untouched notebook's test cells, and still warn of one the student edited?"""
    from autograder.classwork import gradebook as kit_gradebook
    from autograder.classwork.course import Course
    from samples import build
    edited = build.notebook()
    [cell] = [c for c in edited["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_predict"]
    cell["source"] = "print('predict passes the visible checks.')\n"
    root = course.make(tmp_path / "checksums", {"alice": build.notebook(), "eddie": edited})
    kit_gradebook.ensure_assignment(Course(root))
    api = formgrader_api(root)
    logs = {}
    for student in ("alice", "eddie"):
        outcome = api.autograde(contract.ASSIGNMENT, student)
        assert outcome["success"], outcome.get("error")
        logs[student] = outcome["log"]
    assert "Attribute 'checksum'" not in logs["alice"], logs["alice"]
    assert logs["eddie"].count("Attribute 'checksum'") == 1 and "test_predict" in logs["eddie"], logs["eddie"]
