"""`make demo` (`python -m samples.demo`): the whole instructor workflow on a sample class.

Builds a course in a temporary folder from the sample submissions shipped
with the kit (samples/): correct answers in several styles, typical
mistakes, a cheater, a broken notebook, a notebook under the wrong name.
Then grades them into an nbgrader sqlite gradebook, writes every student's
feedback page and the class report, and prints the grades and where the
files are.
"""
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

from autograder import contract
from autograder.classwork import classgrade, classreport, feedback
from autograder.classwork.course import Course

from . import corpus
from . import course as sample_course

# The sample class: who submitted which sample (see samples/corpus.py).
CLASS = {
    "ada": "lesson_solution", "ben": "dot_everywhere", "chloe": "einsum_everywhere", "dev": "helpers_in_added_cell",
    "emma": "generate_data_flat_targets", "farid": "init_params_positive_only", "grace": "l2_loss_no_half",
    "hugo": "compute_gradients_no_n", "ines": "update_params_in_place", "jonas": "train_loss_after_update",
    "kim": "cheat_input_transformer", "leo": "cheat_train_lesson_coefficients", "mia": "release_stubs",
}


# The cheater whose trick fools grading inside the student's kernel.
CHEATER = "kim"


def in_kernel_verdict(course, student):
    """What nbgrader's own in-kernel validation says of the cheater's notebook."""
    from nbgrader.validator import Validator
    from traitlets.config import Config
    notebook = course.path(course.submitted_directory, student) / contract.NOTEBOOK
    # The kernel warns on stderr that it talks over local TCP: true, and noise in the demo's output.
    quiet_kernel = Config({"Execute": {"extra_arguments": ["--IPKernelApp.log_level=ERROR"]}})
    # The written answer is graded by hand: only the test cells count here.
    failures = [f for f in Validator(config=quiet_kernel).validate(str(notebook)).get("failed", [])
                if f.get("error") != "You did not provide a response."]
    verdict = "passes every test cell" if not failures else "fails some test cells"
    return (f"({student}'s notebook {verdict} when its own kernel runs them, as plain nbgrader grades; "
            "the kit's checks, run outside it, give it what it earned)")


def sample_class():
    """{student: (what they did, what they submitted)}: the samples above, a broken notebook and a renamed one."""
    students = {}
    for student, name in CLASS.items():
        sample = corpus.by_name(name)
        students[student] = (sample.description, sample.notebook())
    solved = corpus.by_name("lesson_solution").notebook()
    students["noor"] = ("Saved a notebook that was cut off halfway (invalid JSON).", json.dumps(solved)[:3000].encode())
    students["omar"] = ("A correct notebook, renamed before submitting.", {"my_network.ipynb": solved})
    return students


def main(root=None):
    started = time.perf_counter()
    root = Path(root or tempfile.mkdtemp(prefix="simple-nn-demo-"))
    students = sample_class()
    sample_course.make(root, {name: submission for name, (_, submission) in students.items()})
    print(f"A sample course with {len(students)} submissions in {root}\n")
    course = Course(root)
    summary = classgrade.autograde(course, progress=sys.stderr.isatty())
    pages = feedback.write_all(course)
    report_files = classreport.write(course)
    print(grade_table(course, students, summary))
    print(in_kernel_verdict(course, CHEATER))
    print()
    print("\n".join(summary.lines(course)[1:]))
    print(f"\nfeedback pages   {len(pages)} under {root / course.feedback_directory}")
    print("class report     " + "\n                 ".join(str(path) for path in report_files))
    print(f"autograded       {root / course.autograded_directory} (what formgrader shows)")
    print("\nTry, in a shell (the first line activates the kit's environment, where nbgrader is):")
    print("\n".join(f"  {command:<44} {why}".rstrip() for command, why in hints(root)))
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def hints(root):
    """[(shell command, what it shows)] to explore the demo's course, each working when copied as it is."""
    bin_folder = Path(sys.executable).parent
    enter = (f"source {shlex.quote(str(bin_folder / 'activate'))}" if (bin_folder / "activate").exists()
             else f"export PATH={shlex.quote(str(bin_folder))}:\"$PATH\"")  # a Python outside a virtual environment
    return [(f"{enter} && cd {shlex.quote(str(root))}", ""),
            ("nbgrader export", "totals as nbgrader sees them, in grades.csv"),
            ("python -m autograder autograde simple_nn", "nothing to grade again; checks the gradebook"),
            ("jupyter lab", "formgrader: Nbgrader > Manage Assignments")]


def grade_table(course, students, summary):
    from autograder.classwork.records import class_records
    lines = [f"{'student':<8} {'points':>7}  submission"]
    for submission, record, report in class_records(course):
        points = f"{report.score:g}/{report.max_score:g}" if report else "-"
        flag = "  [flagged]" if submission.student in summary.flagged else ""
        lines.append(f"{submission.student:<8} {points:>7}  {students[submission.student][0]}{flag}")
    lines.append(f"(plus the written answer, {_written_points(course):g} points, graded by hand in formgrader)")
    return "\n".join(lines)


def _written_points(course):
    source = course.root / course.source_directory / course.assignment / contract.NOTEBOOK
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    return sum(cell["metadata"]["nbgrader"].get("points", 0) for cell in cells
               if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == contract.WRITTEN_ANSWER)


if __name__ == "__main__":
    sys.exit(main())
