"""Grade many notebooks at once, one grading process per core.

Each grading process runs the checks for one notebook at a time (its own
sandbox worker beside it) and reuses its imports for the next notebook.
Processes are spawned, not forked, so they start clean whatever the caller
has loaded.
"""
import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from . import grading
from .notebook import UnreadableNotebook
from .sandbox import Limits


@dataclass(frozen=True)
class Unreadable:
    """The submission is not a notebook the grader can read."""
    message: str


@dataclass(frozen=True)
class GraderFailure:
    """The grader itself failed on this submission."""
    message: str


def grade_one(path, limits=Limits()):
    """A Report, or Unreadable, or GraderFailure: never an exception."""
    try:
        return grading.grade(path, limits)
    except UnreadableNotebook as error:
        return Unreadable(str(error))
    except Exception:  # noqa: BLE001 (reported per submission; the batch goes on)
        return GraderFailure(traceback.format_exc())


def default_jobs():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def grade_many(paths, jobs=None, limits=Limits()):
    """Yield (path, outcome) for every path, in the order they finish."""
    pending = list(paths)
    jobs = max(1, min(jobs or default_jobs(), len(pending) or 1))
    while pending:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(grade_one, str(path), limits): path for path in pending}
            broken = []
            for future in as_completed(futures):
                path = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken.append(path)
                    continue
                pending.remove(path)
                yield path, outcome
        if broken:
            # A grading process died (not student code: that runs in the sandbox).
            # Blame the first such submission, then start fresh for the rest.
            culprit = broken[0]
            pending.remove(culprit)
            yield culprit, GraderFailure("a grading process died while grading this submission")
