"""`make bench`: time the kit against plain nbgrader, in one run, on this machine.

- one notebook: `python -m autograder check` and `grade --json` against
  `nbgrader validate` (median of several runs each);
- a class of 40 submissions: `python -m autograder autograde` against
  `nbgrader autograde`, each on its own fresh copy of the same course.

Prints each time, the ratios, and whether the goals hold:
check at least 3x faster than validate, grade under 2 s, and class grading
no slower than nbgrader autograde.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import contract
from samples import build, corpus
from samples import course as sample_course

from . import service

REPEATS = 3
CLASS_SIZE = 40
GOAL_CHECK_SPEEDUP, GOAL_GRADE_SECONDS, GOAL_CLASS_RATIO = 3.0, 2.0, 1.0
ENV = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))


def timed(command, cwd, repeats=1):
    """The median wall-clock seconds of running `command` (its exit status must be 0, or 3 for flagged)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if result.returncode not in (0, 3):
            raise SystemExit(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return statistics.median(times)


def one_notebook(folder):
    notebook = build.write(build.notebook(written=build.WRITTEN), folder / contract.NOTEBOOK)
    return {
        "nbgrader validate": timed(["nbgrader", "validate", notebook], folder, REPEATS),
        "autograder check": timed([sys.executable, "-m", "autograder", "check", notebook], folder, REPEATS),
        "autograder grade --json": timed([sys.executable, "-m", "autograder", "grade", "--json", notebook],
                                         folder, REPEATS),
    }


def class_submissions():
    """CLASS_SIZE submissions cycling through the corpus's correct and wrong answers (no resource abuse)."""
    samples = corpus.by_kind(corpus.CORRECT) + corpus.by_kind(corpus.WRONG)
    return {f"student{i:03d}": samples[i % len(samples)].notebook() for i in range(CLASS_SIZE)}


def whole_class(folder):
    submissions = class_submissions()
    times = {}
    for name, command in (("nbgrader autograde", ["nbgrader", "autograde", contract.ASSIGNMENT]),
                          ("autograder autograde", [sys.executable, "-m", "autograder", "autograde",
                                                    contract.ASSIGNMENT])):
        root = sample_course.make(folder / name.replace(" ", "-"), submissions)
        timed(["nbgrader", "generate_assignment", contract.ASSIGNMENT, "--force"], root)  # not timed: set-up
        times[name] = timed(command, root)
    return times


def main():
    cores = len(os.sched_getaffinity(0))
    folder = Path(tempfile.mkdtemp(prefix="simple-nn-bench-"))
    if "--only-service" in sys.argv[1:]:  # the check service's part alone (bench/service.py)
        try:
            service.main(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    try:
        print(f"Benchmark on {cores} cores, one run, side by side (median of {REPEATS} for one notebook)")
        single = one_notebook(folder)
        baseline = single["nbgrader validate"]
        print("\nOne notebook (the lesson's solution):")
        print(f"  nbgrader validate         {baseline:6.2f} s")
        check = single["autograder check"]
        print(f"  autograder check          {check:6.2f} s   {baseline / check:4.1f}x faster than validate "
              f"(goal >= {GOAL_CHECK_SPEEDUP:g}x: {verdict(baseline / check >= GOAL_CHECK_SPEEDUP)})")
        grade = single["autograder grade --json"]
        print(f"  autograder grade --json   {grade:6.2f} s   (goal < {GOAL_GRADE_SECONDS:g} s: "
              f"{verdict(grade < GOAL_GRADE_SECONDS)})")
        times = whole_class(folder)
        plain, kit = times["nbgrader autograde"], times["autograder autograde"]
        print(f"\nA class of {CLASS_SIZE} submissions (correct and wrong answers from samples/):")
        print(f"  nbgrader autograde        {plain:6.1f} s   ({plain / CLASS_SIZE:.2f} s per submission)")
        print(f"  autograder autograde      {kit:6.1f} s   ({kit / CLASS_SIZE:.2f} s per submission), "
              f"{kit / plain:.2f}x the time of nbgrader (goal <= {GOAL_CLASS_RATIO:g}x: "
              f"{verdict(kit / plain <= GOAL_CLASS_RATIO)})")
        service.main(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def verdict(met):
    return "met" if met else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
