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

from ..grade import grading
from ..grade.notebook import UnreadableNotebook
from ..sandbox import Limits


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
    """Start grading every path at once; return an iterator of (path, outcome)
    in the order they finish. The grading processes start before this returns,
    so the caller's own work overlaps with theirs."""
    pending = [str(path) for path in paths]
    jobs = max(1, min(jobs or default_jobs(), len(pending) or 1))
    pool, futures = _submit(pending, jobs, limits)
    return _finished(pool, futures, pending, jobs, limits)


def _submit(paths, jobs, limits):
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    return pool, {pool.submit(grade_one, path, limits): path for path in paths}


def _finished(pool, futures, pending, jobs, limits):
    while futures:
        broken = []
        with pool:
            for future in as_completed(futures):
                path = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken.append(path)
                    continue
                pending.remove(path)
                yield path, outcome
        futures = {}
        if broken:
            # A grading process died (not student code: that runs in the sandbox).
            # Blame the first such submission, then start afresh for the rest.
            pending.remove(broken[0])
            yield broken[0], GraderFailure("a grading process died while grading this submission")
            if pending:
                pool, futures = _submit(pending, jobs, limits)
