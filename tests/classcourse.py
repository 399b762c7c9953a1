"""A class of eight submissions, graded once by the kit for every test that
needs a graded course (the `graded` fixture in conftest.py), and helpers to
run the kit and nbgrader on a course."""
import csv
import io
import json
import subprocess
import sys

from autograder import contract
from samples import build, corpus

# The input-transformer cheater of the corpus, who also answered the written question.
CHEAT = corpus.by_name("cheat_input_transformer")


def class_submissions():
    deleted = build.notebook()
    deleted["cells"] = [c for c in deleted["cells"]
                        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "test_l2_loss"]
    return {
        "alice": build.notebook(written=build.WRITTEN),
        "bob": build.notebook({"l2_loss": "def l2_loss(outputs, targets):\n"
                                          "    return float(((outputs - targets) ** 2).sum() / 2)\n"}),
        # Registers an IPython input transformer that turns every later test cell into `pass`.
        "mallory": build.notebook(CHEAT.functions, solved=CHEAT.solved, written=build.WRITTEN),
        "carol": json.dumps(build.notebook())[:2000].encode(),
        "dave": {"Untitled.ipynb": build.notebook()},
        "erin": {},
        "frank": deleted,
        "gina": build.notebook({"predict": "import os\ndef predict(inputs, weights, bias):\n    os._exit(1)\n"}),
    }


def cli(*args, cwd, env, check=True):
    result = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    if check and result.returncode not in (0, 3):
        raise AssertionError(result.stdout + result.stderr)
    return result


def run_demo_hints(root):
    """Run the demo's hints on a course as a user copies them into a fresh shell (the
    kit's environment not active; `jupyter lab`, a server, only looked up): (totals
    from `nbgrader export` as {student: (score, max_score)}, the shell's run)."""
    import os
    from pathlib import Path

    from samples import demo
    env = {name: value for name, value in os.environ.items() if name not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(folder for folder in env.get("PATH", "").split(os.pathsep)
                                  if Path(folder).resolve() != Path(sys.executable).parent.resolve())
    commands = [command if command != "jupyter lab" else "command -v jupyter-lab" for command, _ in demo.hints(root)]
    # The kit's autograde exits 3 on this class: it has flagged submissions.
    script = " && ".join(commands[:-2]) + f" && ({commands[-2]} || test $? = 3) && {commands[-1]}"
    shell = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert shell.returncode == 0, shell.stdout + shell.stderr
    rows = csv.DictReader(io.StringIO((root / "grades.csv").read_text()))
    return {row["student_id"]: (float(row["score"]), float(row["max_score"])) for row in rows}, shell


def gradebook(root):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{root / 'gradebook.db'}", "simple-nn")


def gradebook_state(root):
    """Everything the gradebook holds about each submission: {student: {...}}."""
    with gradebook(root) as gb:
        return {submission.student.id: {
            "timestamp": submission.timestamp,
            "flagged": [notebook.flagged for notebook in submission.notebooks],
            "grades": {(g.notebook.name, g.name): (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                       for notebook in submission.notebooks for g in notebook.grades},
            "comments": {(c.notebook.name, c.name): (c.auto_comment, c.manual_comment)
                         for notebook in submission.notebooks for c in notebook.comments},
        } for submission in gb.find_assignment(contract.ASSIGNMENT).submissions}
