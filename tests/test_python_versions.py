"""The Pythons the kit supports: one range, stated in pyproject.toml, checked
by `make` and by the Gradescope bundle's setup.sh with one clear line."""
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT

SETUP = ROOT / "autograder" / "gradescope" / "setup.sh"


def supported_range():
    """(lowest, first unsupported) from pyproject.toml's requires-python."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    match = re.fullmatch(r">=(\d+)\.(\d+)\.(\d+),<(\d+)\.(\d+)", requires)
    assert match, f"requires-python is {requires!r}, not a range >=X.Y.Z,<X.Y"
    numbers = tuple(map(int, match.groups()))
    return numbers[:3], numbers[3:]


def test_make_and_setup_check_the_range_pyproject_states():
    """Do the Makefile and setup.sh accept exactly the Pythons pyproject.toml's requires-python names?"""
    low, high = supported_range()
    check = f"{low} <= sys.version_info[:3] < {high}"
    assert check in (ROOT / "Makefile").read_text()
    assert check in SETUP.read_text()


def fake_python(tmp_path, prelude):
    """An interpreter that runs `prelude` before the code make gives it with -c."""
    path = tmp_path / "python3"
    path.write_text(f'#!/bin/sh\n[ "$1" = -c ] || exit 99\nexec {sys.executable} -I -c "{prelude}; exec(\\"\\"\\"$2\\"\\"\\")"\n')
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("prelude, words", [
    ("import sys; sys.version_info = (3, 10, 13, 'final', 0)",
     "Python 3.10.13 ({executable}) is not supported; the kit needs 3.11.2 to 3.13"),
    ("import sys; sys.version_info = (3, 11, 1, 'final', 0)",
     "Python 3.11.1 ({executable}) is not supported; the kit needs 3.11.2 to 3.13"),
    ("import sys; sys.modules['ensurepip'] = None",
     "cannot create a venv: install python3-venv"),
], ids=["3.10", "3.11.1", "no venv"])
def test_make_says_in_one_line_why_a_python_cannot_work(tmp_path, prelude, words):
    """Does `make` stop with one clear line, and no half-made .venv, when its Python is too old or lacks venv?"""
    kit = tmp_path / "kit"
    kit.mkdir()
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, kit / name)
    python = fake_python(tmp_path, prelude)
    # As typed at a prompt, also when the suite itself runs under `make test`.
    env = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "-s", ".venv/.installed", f"PYTHON={python}"], cwd=kit, env=env,
                          capture_output=True, text=True)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(lines) == 1 and lines[0].startswith("make: ") and words.format(executable=sys.executable) in lines[0]
    assert not (kit / ".venv").exists()
