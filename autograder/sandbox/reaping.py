"""Finding a process's children and adopting its orphans: used by the grader
(for what a sandbox leaves behind) and by the sandbox's template (for what a
check leaves behind). Stdlib only, no sibling imports: the worker imports it
by its plain name, the grader as part of the package."""
import ctypes
import os

_PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans():
    """Become the subreaper of this process's descendants: a process the student
    detaches (double fork, new session) then becomes our child, not init's, and
    `children` finds it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def children(pid="self"):
    """The pids of a process's children (this process's by default)."""
    found = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as file:
                found.update(int(child) for child in file.read().split())
        except OSError:
            pass
    return found
