"""The Gradescope bundle: built, set up and run as Gradescope runs it, from
the zip alone, by a Python to which the repository is invisible."""
import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import contract, gradescope
from samples import build

from conftest import ROOT

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
def bundle_python(tmp_path_factory):
    """A Python with the kit's dependencies but not the kit: a venv whose
    site-packages are hard links to this environment's, without the editable
    install (its import hook maps `autograder` and every submodule to the
    repository, which once hid a module the bundle did not ship)."""
    venv = tmp_path_factory.mktemp("bundle-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    ours = Path(site.getsitepackages()[0])
    theirs = venv / ours.relative_to(sys.prefix)
    shutil.rmtree(theirs)
    shutil.copytree(ours, theirs, copy_function=_link, symlinks=True,
                    ignore=shutil.ignore_patterns("__editable__*", "simple_nn_kit-*"))
    return venv / "bin" / "python"


def _link(source, destination):
    try:
        os.link(source, destination)
    except OSError:  # another file system
        shutil.copy2(source, destination)


@pytest.fixture(scope="module")
def bundle_env():
    """The environment Gradescope's scripts run in: nothing points at the repository."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PIP_NO_INDEX"] = "1"  # the requirements are all there: pip only checks
    return env


def set_up(root, bundle, python, env):
    """Unpack the zip as Gradescope does and run setup.sh; the finished process."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    setup_env = dict(env, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=str(python))
    return subprocess.run(["bash", str(root / "source" / "setup.sh")], env=setup_env, cwd=root,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def autograder_root(tmp_path_factory, bundle, bundle_python, bundle_env):
    """An /autograder folder as Gradescope lays it out, after setup.sh ran (its
    own venv and pip from the registry aside: `make deploy-check` does those)."""
    root = tmp_path_factory.mktemp("autograder")
    done = set_up(root, bundle, bundle_python, bundle_env)
    assert done.returncode == 0, done.stderr
    (root / "setup.log").write_text(done.stdout)
    (root / "run_autograder").write_bytes((root / "source" / "run_autograder").read_bytes())
    (root / "run_autograder").chmod(0o755)
    return root


def run_verb(root, verb, python, env, trial):
    """`python -m autograder VERB ...` as an instructor runs it on Gradescope: from the unpacked
    bundle, with setup.sh's Python, on the trial root `trial`; the finished process."""
    command = gradescope.verb_commands(trial)[[v[0] for v in gradescope.VERBS].index(verb)]
    return subprocess.run([str(python), "-m", "autograder", *command], env=env, cwd=root / "source",
                          capture_output=True, text=True, timeout=120)


def run_autograder(root, env, files, python):
    submission = root / "submission"
    if submission.exists():
        for path in submission.iterdir():
            path.unlink()
    submission.mkdir(exist_ok=True)
    (root / "results").mkdir(exist_ok=True)
    (root / "results" / "results.json").unlink(missing_ok=True)
    for name, content in files.items():
        (submission / name).write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    run_env = dict(env, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=str(python),
                   RESULTS=str(root / "results" / "results.json"))
    subprocess.run([str(root / "run_autograder")], env=run_env, cwd=root, check=True, capture_output=True,
                   timeout=120)
    return json.loads((root / "results" / "results.json").read_text())


def check_schema(document):
    assert isinstance(document["execution_time"], (int, float)) and isinstance(document["output"], str)
    for test in document["tests"]:
        assert {"name", "score", "max_score", "output", "visibility"} <= set(test)
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")


def test_the_bundle_holds_the_grader_and_nothing_else(bundle):
    """Are setup.sh and run_autograder at the zip's root, with the grader and checks, and no solutions or samples?"""
    names = zipfile.ZipFile(bundle).namelist()
    assert {"setup.sh", "run_autograder", "requirements.txt", "autograder/grade/grading.py", "autograder/manifest.py",
            "autograder/checks/test_train.py", "autograder/checks/pytest.ini", "autograder/sandbox/worker.py",
            "autograder/sandbox/reference.py", "autograder/sandbox/layers.py"} <= set(names)
    assert not any(name.endswith(".ipynb") or name.startswith(("samples/", "tests/", "source/")) for name in names)
    assert not any(name.startswith("autograder/service/") for name in names)
    assert not any("gradebook" in name or "classgrade" in name or "demo" in name for name in names)


def test_the_repository_is_invisible_to_the_python_that_runs_the_bundle(bundle_python, bundle_env, tmp_path):
    """Can the bundle's Python import the grader's dependencies but not the kit itself?"""
    assert not tmp_path.is_relative_to(ROOT)
    probe = "import numpy\ntry:\n    import autograder\nexcept ImportError:\n    print('hidden')"
    seen = subprocess.run([str(bundle_python), "-c", probe], env=bundle_env, cwd=tmp_path, capture_output=True,
                          text=True)
    assert seen.stdout.strip() == "hidden", seen.stderr


def test_grading_fails_when_the_bundle_misses_a_module_grading_imports(autograder_root, bundle_env, bundle_python,
                                                                      tmp_path):
    """Does a bundle without a module grading imports (as it once lacked manifest.py) fail, rather than pass
    because the module is found elsewhere?"""
    root = tmp_path / "autograder"
    shutil.copytree(autograder_root, root, symlinks=True)
    (root / "source" / "autograder" / "manifest.py").unlink()
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_autograder(root, bundle_env, {contract.NOTEBOOK: SUBMISSIONS["correct"]}, bundle_python)
    assert "No module named 'autograder.manifest'" in failed.value.stderr.decode()
    assert not (root / "results" / "results.json").exists()


@pytest.mark.parametrize("verb", [verb[0] for verb in gradescope.VERBS])
def test_every_verb_meant_for_gradescope_runs_from_the_zip_alone(autograder_root, bundle_env, bundle_python,
                                                                 tmp_path, verb):
    """Does each verb meant to run on Gradescope (run_autograder's, grade, protections) do its work from the
    unpacked bundle, with nothing of the repository in reach?"""
    done = run_verb(autograder_root, verb, bundle_python, bundle_env, gradescope.trial_root(tmp_path))
    assert done.returncode == 0, done.stderr
    if verb == "protections":
        assert "Protections for student code" in done.stdout and "[x]" in done.stdout


def test_a_verb_fails_when_the_bundle_misses_a_module_it_imports(autograder_root, bundle_env, bundle_python,
                                                                 tmp_path):
    """Without sandbox/layers.py (which only `protections` imports, and a bundle once lacked), does `protections`
    fail from the bundle, so that the test above would catch a bundle that misses it?"""
    root = tmp_path / "autograder"
    shutil.copytree(autograder_root, root, symlinks=True)
    (root / "source" / "autograder" / "sandbox" / "layers.py").unlink()
    done = run_verb(root, "protections", bundle_python, bundle_env, gradescope.trial_root(tmp_path / "trial"))
    assert done.returncode != 0 and "cannot import name 'layers'" in done.stderr


def test_setup_ends_its_log_with_the_protections_in_force(autograder_root):
    """Does setup.sh's build log (what Gradescope shows the instructor) end with every protection, marked in force
    or not, after saying it is ready?"""
    log = (autograder_root / "setup.log").read_text()
    _, ready, protections = log.partition("setup.sh: ready\n")
    from autograder.sandbox import layers
    assert ready and protections.lstrip().startswith("Protections for student code on this machine")
    assert all(holds in protections for _, holds, _ in layers.LAYERS)


def test_correct_and_wrong_submissions(autograder_root, bundle_env, bundle_python):
    """Does run_autograder write results.json with full marks for a correct notebook and fewer for a wrong one?"""
    correct = run_autograder(autograder_root, bundle_env, {contract.NOTEBOOK: SUBMISSIONS["correct"]}, bundle_python)
    wrong = run_autograder(autograder_root, bundle_env, {contract.NOTEBOOK: SUBMISSIONS["wrong"]}, bundle_python)
    for document in (correct, wrong):
        check_schema(document)
    assert sum(t["score"] for t in correct["tests"]) == sum(t["max_score"] for t in correct["tests"]) == 30
    lost = {t["tags"][0] for t in wrong["tests"] if t["score"] < t["max_score"]}
    assert lost == {"predict", contract.PIPELINE}


def test_unreadable_and_missing_submissions_score_zero_with_a_message(autograder_root, bundle_env, bundle_python):
    """Does an unreadable or missing notebook give a score of 0 and a top-level message?"""
    unreadable = run_autograder(autograder_root, bundle_env, {contract.NOTEBOOK: b'{"cells": [trunc'}, bundle_python)
    missing = run_autograder(autograder_root, bundle_env, {"notes.txt": b"forgot the notebook"}, bundle_python)
    for document, words in ((unreadable, "invalid JSON"), (missing, "upload simple_nn.ipynb")):
        check_schema(document)
        assert document["score"] == 0 and document["tests"] == [] and words in document["output"]


def test_a_renamed_notebook_is_graded_with_a_note(autograder_root, bundle_env, bundle_python):
    """Is a notebook under another name graded, with a note saying so?"""
    document = run_autograder(autograder_root, bundle_env, {"Untitled.ipynb": SUBMISSIONS["correct"]}, bundle_python)
    assert sum(t["score"] for t in document["tests"]) == 30 and "graded Untitled.ipynb" in document["output"]


def test_a_forger_cannot_change_the_results(autograder_root, bundle_env, bundle_python):
    """Does writing into the results folder or printing a fake results document change nothing?"""
    honest = run_autograder(autograder_root, bundle_env, {contract.NOTEBOOK: SUBMISSIONS["wrong"]}, bundle_python)
    forged = run_autograder(autograder_root, bundle_env, {contract.NOTEBOOK: build.notebook({"predict": FORGER})}, bundle_python)
    assert [t["score"] for t in forged["tests"]] == [t["score"] for t in honest["tests"]]
    assert "100" not in json.dumps([t["score"] for t in forged["tests"]])


def test_a_student_of_the_chinese_edition_is_answered_in_chinese(autograder_root, bundle_env, bundle_python):
    """From the zip alone, is a renamed Chinese-edition notebook graded in full with its note in Chinese (the
    catalogues and Babel ship), and does each test keep its message's id?"""
    import editions
    chinese = json.loads(editions.nbformat.writes(editions.as_edition(SUBMISSIONS["wrong"], "zh_CN")))
    document = run_autograder(autograder_root, bundle_env, {"Untitled.ipynb": chinese}, bundle_python)
    assert "你提交的内容里没有 simple_nn.ipynb：已改为给 Untitled.ipynb 评分。" in document["output"]
    assert {t["tags"][0] for t in document["tests"] if t["score"] < t["max_score"]} == {"predict", contract.PIPELINE}
    assert all("said" in t["extra_data"] for t in document["tests"])
