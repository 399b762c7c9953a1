"""The grader's files, found by following imports (autograder/manifest.py),
tried on a small made-up kit laid out like this one."""
import shutil

import pytest

from autograder import manifest
from conftest import ROOT

KIT = {
    "autograder/__init__.py": "",
    "autograder/__main__.py": "from .cli import main\n",
    "autograder/cli.py": ("import json\n"
                          "def _grade():\n    from .grade import grading\n    return _limits()\n"
                          "def _limits():\n    from .sandbox import Limits\n"
                          "def _report():\n    from .classwork import classreport\n"),
    "autograder/grade/__init__.py": "",
    "autograder/grade/grading.py": "import numpy\ndef grade():\n    from ..helpers import tidy\n",
    "autograder/helpers.py": "from autograder.sandbox.wire import frame\n",
    "autograder/classwork/__init__.py": "",
    "autograder/classwork/classreport.py": "import matplotlib\n",
    "autograder/gradescope/__init__.py": "from .. import manifest\n",
    "autograder/manifest.py": "",
    "autograder/sandbox/__init__.py": "Limits = None\n",
    "autograder/sandbox/wire.py": "",
    "autograder/sandbox/worker.py": "import json\nimport confine\ndef child():\n    import reference\n",
    "autograder/sandbox/confine.py": "import os\nimport seccomp\n",
    "autograder/sandbox/seccomp.py": "import ctypes\n",
    "autograder/sandbox/reference.py": "",
    "autograder/sandbox/unused.py": "",
    "autograder/checks/__init__.py": "",
    "autograder/checks/test_predict.py": "from .expect import close\n",
    "autograder/checks/expect.py": "",
    "autograder/checks/pytest.ini": "[pytest]\n",
    "samples/__init__.py": "",
    "samples/corpus.py": "",
}


@pytest.fixture
def kit(tmp_path, monkeypatch):
    for name, text in KIT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    shutil.copy(ROOT / "constraints.txt", tmp_path)  # the bundle's pins
    monkeypatch.setattr(manifest, "KIT", tmp_path)
    monkeypatch.setattr(manifest, "PACKAGE", tmp_path / "autograder")
    manifest._grader_files.cache_clear()  # found once per process: here, in the made-up kit
    yield tmp_path
    manifest._grader_files.cache_clear()


def files(kit):
    return {path.relative_to(kit / "autograder").as_posix() for path in manifest.grader_files()}


def test_every_module_grading_imports_is_found_and_nothing_else(kit):
    """Are modules imported inside functions, absolutely, by the worker script as siblings (and by
    those siblings as theirs), and the checks folder found, and the class verbs' modules and unused ones left out?"""
    assert files(kit) == {
        "__init__.py", "__main__.py", "cli.py", "grade/__init__.py", "grade/grading.py", "helpers.py", "gradescope/__init__.py",
        "manifest.py", "sandbox/__init__.py", "sandbox/wire.py", "sandbox/worker.py", "sandbox/confine.py",
        "sandbox/seccomp.py", "sandbox/reference.py", "checks/__init__.py", "checks/test_predict.py", "checks/expect.py", "checks/pytest.ini"}


def test_grading_that_imports_the_samples_stops_the_build(kit):
    """Does a grading module that imports samples (which hold solutions) fail with a message naming both?"""
    (kit / "autograder" / "helpers.py").write_text("from samples import corpus\n")
    with pytest.raises(manifest.ManifestError, match="autograder/helpers.py imports samples"):
        files(kit)


def test_the_build_says_what_is_wrong_in_one_line(kit, tmp_path, capsys):
    """Does `python -m autograder gradescope` report such an import in one line, without a traceback?"""
    from autograder import cli
    (kit / "autograder" / "helpers.py").write_text("import samples.corpus\n")
    assert cli.main(["gradescope", "--out", str(tmp_path / "dist")]) == cli.GRADER_FAILED
    error = capsys.readouterr().err
    assert error.startswith("error: autograder/helpers.py imports samples") and error.count("\n") == 1


VERBS_KIT = {
    "autograder/__main__.py": "import sys\nfrom .cli import main\nsys.exit(main(sys.argv[1:]))\n",
    "autograder/cli.py": ("import importlib\n"
                          "def _service_verbs():\n"
                          "    try:\n        from .service import settings\n    except ImportError:\n        pass\n"
                          "def main(argv):\n    _service_verbs()\n"
                          "    if argv[0] == 'show':\n        importlib.import_module('autograder.' + 'shown')\n"
                          "    if argv[0] == 'sample':\n        importlib.import_module('samples.corpus')\n"
                          "    return 0 if argv[0] != 'broken' else 1\n"
                          "def _grade():\n    pass\n"),
    "autograder/shown.py": "def later():\n    from . import deep\n",
    "autograder/deep.py": "",
    "autograder/service/__init__.py": "",
    "autograder/service/settings.py": "",
}


@pytest.fixture
def verbs_kit(kit):
    for name, text in VERBS_KIT.items():
        (kit / name).parent.mkdir(parents=True, exist_ok=True)
        (kit / name).write_text(text)
    return kit


def test_what_a_verb_imports_when_it_runs_is_found_with_what_that_imports(verbs_kit):
    """Is a module a verb imports only at run time (by a computed name) found, with what it imports inside a
    function, while grading alone finds neither and the check service (installed here) stays out?"""
    found = {path.relative_to(verbs_kit / "autograder").as_posix() for path in manifest.verb_files([["show"]])}
    assert {"shown.py", "deep.py"} <= found and {"shown.py", "deep.py"}.isdisjoint(files(verbs_kit))
    assert set(files(verbs_kit)) <= found and not any(name.startswith("service/") for name in found)


def test_a_verb_that_imports_the_samples_or_fails_stops_the_build(verbs_kit):
    """Does a verb that imports the samples at run time, or that fails here, stop the build, naming the verb?"""
    with pytest.raises(manifest.ManifestError, match="`python -m autograder sample` imports samples"):
        manifest.verb_files([["show"], ["sample"]])
    with pytest.raises(manifest.ManifestError, match="`python -m autograder broken` failed here"):
        manifest.verb_files([["broken"]])
