"""The Gradescope bundle: built, set up and run as Gradescope would, with AUTOGRADER_ROOT."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import contract
from samples import build

SUBMISSIONS = {
    "correct": build.notebook(),
    "wrong": build.notebook({"predict": "def predict(inputs, weights, bias):\n    return inputs @ weights\n"}),
}
# A student who tries to write the results and to print a fake results document.
FORGER = """
import json, os
FAKE = {"score": 100, "tests": [{"name": "all", "score": 100, "max_score": 100}]}
def _forge(function):
    for path in ("/autograder/results/results.json", os.environ.get("RESULTS", ""), "../results/results.json"):
        try:
            with open(path, "w") as file:
                json.dump(FAKE, file)
        except Exception:
            pass
    print(json.dumps(FAKE))
    return function
@_forge
def predict(inputs, weights, bias):
    print(json.dumps(FAKE))
    return inputs @ weights
"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, env):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "autograder", "gradescope", "--out", str(out)], env=env, check=True,
                   capture_output=True)
    return out / "autograder.zip"


@pytest.fixture(scope="module")
def autograder_root(tmp_path_factory, bundle, env):
    """An /autograder folder as Gradescope lays it out, after setup.sh's Python part ran (no network)."""
    root = tmp_path_factory.mktemp("autograder")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    setup_env = dict(env, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable, PIP_NO_INDEX="1")
    subprocess.run(["bash", str(root / "source" / "setup.sh")], env=setup_env, check=True, capture_output=True)
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "run_autograder").chmod(0o755)
    return root


def run_autograder(root, env, files):
    submission = root / "submission"
    if submission.exists():
        for path in submission.iterdir():
            path.unlink()
    submission.mkdir(exist_ok=True)
    (root / "results").mkdir(exist_ok=True)
    (root / "results" / "results.json").unlink(missing_ok=True)
    for name, content in files.items():
        (submission / name).write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    run_env = dict(env, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable,
                   RESULTS=str(root / "results" / "results.json"))
    subprocess.run([str(root / "run_autograder")], env=run_env, check=True, capture_output=True, timeout=120)
    return json.loads((root / "results" / "results.json").read_text())


def check_schema(document):
    assert isinstance(document["execution_time"], (int, float)) and isinstance(document["output"], str)
    for test in document["tests"]:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def test_the_bundle_holds_the_grader_and_nothing_else(bundle):
    """Are setup.sh and run_autograder at the zip's root, with the grader and checks, and no solutions or samples?"""
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder", "requirements.txt", "autograder/grading.py",
            "autograder/checks/test_train.py", "autograder/sandbox/worker.py"} <= set(names)
    assert not any(name.endswith(".ipynb") or name.startswith(("samples/", "tests/", "source/")) for name in names)
    assert not any("gradebook" in name or "classgrade" in name for name in names)


def test_correct_and_wrong_submissions(autograder_root, env):
    """Does run_autograder write results.json with full marks for a correct notebook and fewer for a wrong one?"""
    correct = run_autograder(autograder_root, env, {contract.NOTEBOOK: SUBMISSIONS["correct"]})
    wrong = run_autograder(autograder_root, env, {contract.NOTEBOOK: SUBMISSIONS["wrong"]})
    for document in (correct, wrong):
        check_schema(document)
    assert sum(t["score"] for t in correct["tests"]) == sum(t["max_score"] for t in correct["tests"]) == 30
    lost = {t["tags"][0] for t in wrong["tests"] if t["score"] < t["max_score"]}
    assert lost == {"predict", contract.PIPELINE}


def test_unreadable_and_missing_submissions_score_zero_with_a_message(autograder_root, env):
    """Does an unreadable or missing notebook give a score of 0 and a top-level message?"""
    unreadable = run_autograder(autograder_root, env, {contract.NOTEBOOK: b'{"cells": [trunc'})
    missing = run_autograder(autograder_root, env, {"notes.txt": b"forgot the notebook"})
    for document, words in ((unreadable, "invalid JSON"), (missing, "upload simple_nn.ipynb")):
        check_schema(document)
        assert document["score"] == 0 and document["tests"] == [] and words in document["output"]


def test_a_renamed_notebook_is_graded_with_a_note(autograder_root, env):
    """Is a notebook under another name graded, with a note saying so?"""
    document = run_autograder(autograder_root, env, {"Untitled.ipynb": SUBMISSIONS["correct"]})
    assert sum(t["score"] for t in document["tests"]) == 30 and "graded Untitled.ipynb" in document["output"]


def test_a_forger_cannot_change_the_results(autograder_root, env):
    """Does writing into the results folder or printing a fake results document change nothing?"""
    honest = run_autograder(autograder_root, env, {contract.NOTEBOOK: SUBMISSIONS["wrong"]})
    forged = run_autograder(autograder_root, env, {contract.NOTEBOOK: build.notebook({"predict": FORGER})})
    assert [t["score"] for t in forged["tests"]] == [t["score"] for t in honest["tests"]]
    assert "100" not in json.dumps([t["score"] for t in forged["tests"]])
