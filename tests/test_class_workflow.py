"""The instructor's workflow with the real nbgrader: autograde a class into
the gradebook, then export, feedback and the class report."""
import csv
import json
import os
import signal
import subprocess
import sys
import time
import warnings

from autograder import contract
from classcourse import class_submissions, cli, gradebook, run_demo_hints
from conftest import ROOT
from samples import build, course


def grades(root):
    """{(student, cell): (auto score, needs manual grade)} for every grade in the gradebook."""
    with gradebook(root) as gb:
        return {(grade.student.id, grade.name): (grade.auto_score, grade.needs_manual_grade)
                for submission in gb.find_assignment(contract.ASSIGNMENT).submissions
                for notebook in submission.notebooks for grade in notebook.grades}


def test_export_as_the_demo_says_shows_the_trusted_totals(graded):
    """Do the demo's hints work when copied, and does their `nbgrader export` show the kit's scores, out of the kit's total?"""
    root, _, _ = graded
    grades, shell = run_demo_hints(root)
    assert "0 graded now, 8 unchanged" in shell.stdout and shell.stdout.rstrip().endswith("/jupyter-lab")
    assert grades["alice"] == (30.0, 33.0)
    assert grades["bob"] == (28.0, 33.0)  # l2_loss without /n: its value, and so its shape point
    assert grades["dave"] == (30.0, 33.0) and grades["frank"] == (30.0, 33.0)
    assert grades["gina"] == (26.0, 33.0)  # predict exits: its 2 points and the pipeline's 2; train keeps its own
    assert grades["mallory"][0] == 0 and grades["carol"][0] == 0 and grades["erin"][0] == 0


def test_the_gradebook_total_is_the_kits_total(graded):
    """Is the gradebook's maximum the automatic checks' points plus the written answer's?"""
    root, _, _ = graded
    with gradebook(root) as gb:
        assert gb.find_assignment(contract.ASSIGNMENT).max_score == 33.0


def test_a_cheater_who_fools_the_kernel_gains_nothing(graded, tmp_path):
    """Does the input-transformer cheat, which passes every test cell in the kernel, score 0 in the gradebook?"""
    from nbgrader.validator import Validator
    root, _, _ = graded
    with gradebook(root) as gb:
        assert gb.find_submission("simple_nn", "mallory").score == 0
    cheat = build.write(class_submissions()["mallory"], tmp_path / "simple_nn.ipynb")
    assert Validator().validate(str(cheat)) == {}, "the cheat no longer fools tests run in the kernel: update this test"


def test_flagged_submissions_carry_their_reason(graded):
    """Are broken, misnamed, missing, mutilated and crashing submissions flagged in the gradebook, with why?"""
    root, first, _ = graded
    expected = {"carol": "invalid JSON", "dave": "named Untitled.ipynb", "erin": "no notebook submitted",
                "frank": "cells deleted or their nbgrader metadata removed: test_l2_loss",
                "gina": "predict exited the Python process"}
    with gradebook(root) as gb:
        for student, reason in expected.items():
            notebook = gb.find_submission_notebook("simple_nn", contract.ASSIGNMENT, student)
            assert notebook.flagged, student  # formgrader's flag
            assert all(grade.needs_manual_grade for grade in notebook.grades), student
            assert all(reason in comment.comment for comment in notebook.comments), student
            assert f"- {student}: " in first.stdout and reason in first.stdout
        for student in ("alice", "bob", "mallory"):
            notebook = gb.find_submission_notebook("simple_nn", contract.ASSIGNMENT, student)
            assert not notebook.flagged, student
            assert not any(g.needs_manual_grade for g in notebook.grades if g.cell.cell_type == "code"), student
    assert first.returncode == 3 and "flagged            5" in first.stdout


def test_autograde_ends_with_a_table_of_students(graded):
    """Does autograde print every student's points and the functions that lost points?"""
    _, first, _ = graded
    rows = {line.split()[0]: line for line in first.stdout.splitlines()[2:2 + 1 + len(class_submissions())]}
    assert set(rows) == {"student"} | set(class_submissions())
    assert rows["bob"].split()[1:] == ["28/30", "l2_loss"]
    assert rows["alice"].split()[1:] == ["30/30"]
    assert rows["carol"].split()[1:] == ["-", "(not", "graded)", "[flagged]"]
    assert "Warning" not in first.stderr and "WARNING" not in first.stderr, first.stderr


def test_the_written_answer_stays_gradable_by_hand(graded):
    """Is the written answer in the autograded notebook, with its nbgrader metadata, awaiting a manual grade?"""
    root, _, _ = graded
    autograded = json.loads((root / "autograded" / "alice" / contract.ASSIGNMENT / contract.NOTEBOOK).read_text())
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in autograded["cells"]]
    assert contract.WRITTEN_ANSWER in ids and contract.grade_cell_id("predict") in ids
    with gradebook(root) as gb:
        grade = gb.find_grade(contract.WRITTEN_ANSWER, "simple_nn", contract.ASSIGNMENT, "alice")
        assert grade.auto_score is None and grade.needs_manual_grade


def test_rerunning_changes_nothing(graded, env):
    """Does a second run grade nothing again and leave the same totals?"""
    root, first, second = graded
    assert "0 graded now, 8 unchanged" in second.stdout
    assert second.stdout.splitlines()[1:] == first.stdout.splitlines()[1:]


def test_a_killed_run_resumes_to_the_same_grades(graded, env, tmp_path):
    """After kill -9 midway, does the next run complete the rest and end with the uninterrupted grades?"""
    root, _, _ = graded
    interrupted = course.make(tmp_path / "interrupted", class_submissions())
    process = subprocess.Popen([sys.executable, "-m", "autograder", "autograde", contract.ASSIGNMENT, "--jobs", "1"],
                               cwd=interrupted, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    records = interrupted / "trusted" / contract.ASSIGNMENT
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(records.glob("*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert len(list(records.glob("*.json"))) < len(class_submissions()), "the run finished before it was killed"
    resumed = cli("autograde", contract.ASSIGNMENT, cwd=interrupted, env=env)
    assert "graded now" in resumed.stdout
    assert grades(interrupted) == grades(root)


def test_feedback_pages_show_scores_and_messages_but_no_check_code(graded):
    """Does each student get a page with points and failure messages, and no hidden-check source?"""
    from autograder.classwork import feedback
    from autograder.classwork.course import Course
    root, _, _ = graded
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would be printed among the command's output
        feedback.write_all(Course(root))
    page = (root / "feedback" / "bob" / contract.ASSIGNMENT / "simple_nn.html").read_text()
    assert "28 of 30 points" in page and "n times" in page and "data:image/png;base64," in page
    check_lines = {line.strip() for path in (ROOT / "autograder" / "checks").glob("*.py")
                   for line in path.read_text().splitlines() if len(line.strip()) > 25}
    for student in class_submissions():
        text = (root / "feedback" / student / contract.ASSIGNMENT / "simple_nn.html").read_text()
        leaked = [line for line in check_lines if line in text]
        assert not leaked, f"{student}'s feedback quotes the checks: {leaked[:2]}"
        assert "simple-nn hidden checks" not in text
    assert "could not be graded" in (root / "feedback" / "carol" / contract.ASSIGNMENT / "simple_nn.html").read_text()
    # nbgrader's release_feedback reads both beside each page.
    assert {path.name for path in (root / "feedback" / "bob" / contract.ASSIGNMENT).iterdir()} == {
        "simple_nn.html", "timestamp.txt", "submission_secret.txt"}


def test_the_class_report_counts_students_per_mistake(graded):
    """Does the report hold the points per check per student, the students per mistake, and a picture?"""
    from autograder.classwork import classreport
    from autograder.classwork.course import Course
    root, _, _ = graded
    folder = root / "reports" / contract.ASSIGNMENT
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would be printed among the command's output
        written = classreport.write(Course(root))
    assert written == (folder / "check-scores.csv", folder / "misconceptions.csv",
                                               folder / "misconceptions.png")
    rows = list(csv.DictReader((folder / "check-scores.csv").open()))
    assert [row["student"] for row in rows] == sorted(class_submissions())
    bob = next(row for row in rows if row["student"] == "bob")
    # The loss is a single number, but its shape point waits for its value.
    assert bob["score"] == "28" and bob["l2_loss/test_value"] == "0" and bob["l2_loss/test_is_a_single_number"] == "0"
    table = csv.DictReader((folder / "misconceptions.csv").open())
    mistakes = {(row["function"], row["mistake"]): row for row in table}
    assert mistakes[("l2_loss", "loss n times too large")]["who"] == "bob"
    assert mistakes[("predict", "exits the process")]["students"] == "1"
    assert (folder / "misconceptions.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_one_student_into_another_database(graded, env, tmp_path):
    """Do --student and --db grade just that student into the gradebook at that URL?"""
    root, _, _ = graded
    database = tmp_path / "elsewhere.db"
    result = cli("autograde", contract.ASSIGNMENT, "--student", "bob", "--db", f"sqlite:///{database}",
                 "--jobs", "1", cwd=root, env=env)
    assert result.returncode == 0 and "simple_nn: 1 submission, " in result.stdout
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{database}", "simple-nn") as gb:
        assert [s.student.id for s in gb.find_assignment(contract.ASSIGNMENT).submissions] == ["bob"]
        assert gb.find_submission(contract.ASSIGNMENT, "bob").score == 28.0


def test_a_fixed_resubmission_is_unflagged(tmp_path, env):
    """When a flagged student resubmits a good notebook, is the kit's flag taken down and the grade redone?"""
    root = course.make(tmp_path / "resubmit", {"dave": {"Untitled.ipynb": build.notebook()}})
    cli("autograde", contract.ASSIGNMENT, "--jobs", "1", cwd=root, env=env)
    folder = root / "submitted" / "dave" / contract.ASSIGNMENT
    (folder / "Untitled.ipynb").rename(folder / contract.NOTEBOOK)
    result = cli("autograde", contract.ASSIGNMENT, "--jobs", "1", cwd=root, env=env)
    assert result.returncode == 0 and "1 graded now" in result.stdout
    with gradebook(root) as gb:
        notebook = gb.find_submission_notebook("simple_nn", contract.ASSIGNMENT, "dave")
        assert not notebook.flagged and notebook.score == 30.0
        assert not any(g.needs_manual_grade for g in notebook.grades if g.cell.cell_type == "code")


def test_feedback_pages_say_what_the_gradebook_holds_for_the_written_answer(graded):
    """Does each page's written answer agree with the gradebook: 0 for an answer left blank (as nbgrader scores it), 'to be graded' only while it waits?"""
    import re
    from autograder.classwork import feedback
    from autograder.classwork.course import Course
    root, _, _ = graded
    feedback.write_all(Course(root))
    with gradebook(root) as gb:
        held = {student: gb.find_grade(contract.WRITTEN_ANSWER, contract.NOTEBOOK_ID, contract.ASSIGNMENT, student)
                for student in class_submissions()}
        held = {student: (grade.needs_manual_grade, grade.score, grade.max_score) for student, grade in held.items()}
    for student, (waits, score, points) in held.items():
        text = (root / "feedback" / student / contract.ASSIGNMENT / "simple_nn.html").read_text()
        said = re.search(r"<h2>Written answer</h2><p>(.*?)</p>", text).group(1)
        if waits:
            assert said == f"To be graded by your instructor ({points:g} points).", (student, said)
        else:
            assert said.startswith(f"{score:g} of {points:g} points"), (student, said)
    assert held["bob"][:2] == (False, 0.0)  # bob left it blank: nbgrader gives 0 at once
    assert held["alice"][0]  # alice answered: it waits for a grade


def test_a_flagged_students_page_speaks_to_the_student(graded):
    """Does each flagged student's page say why in the second person, never 'the student'?"""
    import html
    import re
    from autograder.classwork import feedback
    from autograder.classwork.course import Course
    root, _, _ = graded
    feedback.write_all(Course(root))
    for student in ("carol", "dave", "erin", "frank", "gina"):
        text = html.unescape((root / "feedback" / student / contract.ASSIGNMENT / "simple_nn.html").read_text())
        [flag] = re.findall(r"<p class='flag'>(Your instructor will look.*?)</p>", text)
        assert "the student" not in flag.lower() and re.search(r"\byour?\b", flag.split(":", 1)[1]), (student, flag)
        assert "/submitted/" not in text, student  # no path on the course's server
