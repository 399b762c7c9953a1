"""The main job of `make demo`: regenerate the release from the source with
the real nbgrader, then run the solution notebook headlessly and show what the
network learned next to the truth."""
import os
import subprocess
import sys
import time
from pathlib import Path

from . import contract
from .lesson import run_to_convergence

ROOT = Path(__file__).resolve().parent.parent
TRUE_WEIGHTS = (2.0, -3.0)
TRUE_BIAS = 5.0


def regenerate_release():
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    subprocess.run(
        ["nbgrader", "generate_assignment", contract.ASSIGNMENT, "--force",
         "--GenerateAssignment.no_database=True", "--SaveCells.enabled=False", "--log-level=WARN"],
        cwd=ROOT, env=env, check=True)


def main():
    started = time.perf_counter()
    regenerate_release()
    print(f"release/{contract.ASSIGNMENT}/{contract.NOTEBOOK} regenerated from source/ by nbgrader")
    _, learned = run_to_convergence(ROOT / "source" / contract.ASSIGNMENT / contract.NOTEBOOK)
    print("solution notebook executed; where the lesson says training converged:")
    print(f"  weights  learned {learned['weights'][0]:+.4f} {learned['weights'][1]:+.4f}"
          f"   true {TRUE_WEIGHTS[0]:+.4f} {TRUE_WEIGHTS[1]:+.4f}")
    print(f"  bias     learned {learned['bias'][0]:+.4f}           true {TRUE_BIAS:+.4f}")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0
