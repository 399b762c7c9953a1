"""Grading at scale on Gradescope, with the very same checks.

`build` makes the autograder zip (setup.sh, run_autograder, the pinned
requirements and what every verb in VERBS needs); `run` is what run_autograder
does for each submission: find the notebook, grade it with `python -m
autograder grade --json`, and write results.json in Gradescope's format.
"""
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .. import contract
from ..grade import results
from ..language import readers, say, translated
from ..manifest import PACKAGE, verb_files
from ..grade.notebook import find_submitted

HERE = Path(__file__).resolve().parent
KIT = PACKAGE.parent
# Direct dependencies of grading; matplotlib too, so that a student's function
# that plots behaves as it does in Jupyter; Babel reads the message catalogues
# (autograder/language/catalogues), so a Chinese edition is answered in Chinese.
REQUIREMENTS = ("numpy", "pytest", "ipython", "matplotlib", "babel")
# A grade that takes longer than this is the grader's failure (Gradescope's own limit is longer).
GRADE_SECONDS = 600
# Every verb meant to run on Gradescope, with arguments that make it do its whole work on a
# trial root ({root}: an /autograder folder holding one submission): run_autograder's, the grade
# it runs for each submission, and `protections`, which setup.sh prints at the end of the build
# log and docs/scale.md tells an instructor to run there. The bundle ships what they import, as
# found by running each (manifest.verb_files); its tests run each from the zip alone.
VERBS = (
    ("gradescope-run", "--root", "{root}"),
    ("grade", "--json", "{root}/submission/" + contract.NOTEBOOK),
    ("protections",),
)
# The trial submission: one function defined, the rest missing, so that definitions run and
# checks both pass and fail.
TRIAL = {"cells": [{"cell_type": "code", "execution_count": None, "id": "predict", "metadata": {}, "outputs": [],
                    "source": "def predict(inputs, weights, bias):\n    return inputs @ weights + bias\n"}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def build(out):
    """Write <out>/autograder.zip; return its path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "autograder.zip"
    pins = _pins()
    with tempfile.TemporaryDirectory(prefix="gradescope-trial-") as root:
        files = verb_files(verb_commands(trial_root(root)))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("setup.sh", "run_autograder"):
            _add(archive, name, (HERE / name).read_bytes(), executable=True)
        _add(archive, "requirements.txt", "".join(f"{name}=={pins[name]}\n" for name in REQUIREMENTS).encode())
        _add(archive, "constraints.txt", (KIT / "constraints.txt").read_bytes())
        for path in files:
            _add(archive, "autograder/" + path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    return target


def trial_root(folder):
    """Lay out an /autograder folder with the trial submission in `folder`; return its path."""
    root = Path(folder)
    (root / "submission").mkdir(parents=True, exist_ok=True)
    (root / "submission" / contract.NOTEBOOK).write_text(json.dumps(TRIAL))
    return root


def verb_commands(root):
    """VERBS' argument lists for the trial root `root`."""
    return [[part.format(root=root) for part in verb] for verb in VERBS]


def _pins():
    pins = {}
    for line in (KIT / "constraints.txt").read_text().splitlines():
        name, _, version = line.partition("==")
        if version:
            pins[name.strip().lower()] = version.strip()
    return pins


def _add(archive, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # the same bytes on every build
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def find_notebook(submission):
    """(the notebook to grade or None, a note for the student or None)."""
    found = find_submitted(submission, recursive=True)  # uploads may keep their folders
    if found is None:
        return None, say("No notebook in your submission: upload {notebook}.", notebook=contract.NOTEBOOK)
    if found.name != contract.NOTEBOOK:
        return found, say("No {notebook} in your submission: graded {found} instead.",
                          notebook=contract.NOTEBOOK, found=found.name)
    return found, None


def run(root):
    """Grade the submission under `root` and write root/results/results.json."""
    root = Path(root)
    notebook, note = find_notebook(root / "submission")
    if notebook is None:
        document = results.unreadable(note)
    else:
        # The student is answered in their notebook's edition (grade --json does the same).
        language = readers.of_notebook(notebook)
        note = translated(note, language)
        document = _grade(notebook, language)
        if note:
            document["output"] = note + "\n" + document.get("output", "")
    destination = root / "results" / "results.json"
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Written last, over anything already there, and atomically.
    handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".tmp")
    with os.fdopen(handle, "w") as file:
        json.dump(document, file, indent=1)
    os.replace(temporary, destination)
    print(f"{destination}: {sum(t['score'] for t in document['tests']):g} / "
          f"{sum(t['max_score'] for t in document['tests']):g}")
    return 0


def _grade(notebook, language):
    try:
        graded = subprocess.run([sys.executable, "-m", "autograder", "grade", "--json", str(notebook)],
                                cwd=KIT, capture_output=True, text=True, timeout=GRADE_SECONDS)
    except subprocess.TimeoutExpired:
        return results.unreadable(translated(say("The grader took too long; your instructor has been told."),
                                             language))
    sys.stderr.write(graded.stderr)  # for the instructor: Gradescope keeps run_autograder's output
    try:
        document = json.loads(graded.stdout)
    except ValueError:
        document = None
    if graded.returncode == 2 and document is not None:
        return document
    if graded.returncode != 0 or not isinstance(document, dict):
        return results.unreadable(translated(say("The grader failed on your submission (not your fault); your "
                                                 "instructor has been told."), language))
    return document
