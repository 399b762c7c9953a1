"""The grader's side of the sandbox: run the student's definitions in a fresh
process for every check (box.py), call the student's functions under a
wall-clock limit, and turn whatever comes back into an answer or a failure.

A call that hangs, crashes or exits is killed (with everything it started);
the function that did it fails, with a message saying how, and every later
call of that function fails the same way at once instead of waiting out the
limit again.
"""
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass

from . import failures, wire
from .box import Box, Died, Nursery, Timeout

# Consecutive definitions that may hang or crash before the rest are skipped:
# each one costs a worker restart and up to define_seconds.
MAX_BAD_DEFINITIONS = 3
# Set to see what a dead worker printed (for developing the kit, not for grading).
DEBUG_VARIABLE = "AUTOGRADER_DEBUG_SANDBOX"


@dataclass(frozen=True)
class Limits:
    # Per call of a student function. Correct answers need well under 1 s
    # (even loop-based ones); a slow machine may need several times that.
    call_seconds: float = 10.0
    # Per top-level definition: decorators and default arguments run then.
    define_seconds: float = 5.0
    # Address space per process, and memory of the whole sandbox where control
    # groups exist. Python, NumPy and Matplotlib need about 0.5 GB of address space.
    memory_bytes: int = 2 * 2**30
    # Processes in the whole sandbox (where control groups exist): the sandbox
    # itself needs three.
    max_processes: int = 64
    # What one call may print: a train printing a line per iteration stays far below.
    output_bytes: int = 2**20
    # CPU seconds: a backstop for processes that outlive the wall clock.
    cpu_seconds: int = 300
    # Python and NumPy start in about 0.2 s; a loaded machine may be slower.
    start_seconds: float = 30.0
    # The largest reply the grader reads; the answers here are at most a few
    # hundred kB, and decoding costs the grader several times a reply's size.
    reply_bytes: int = 16 * 2**20
    # All top-level statements together, per check (they run again for each):
    # defining functions takes milliseconds.
    definitions_seconds: float = 1.0
    # The scratch folder (a tmpfs where the machine allows it).
    scratch_bytes: int = 64 * 2**20
    # Linux namespaces where the machine allows them. Off only to check that
    # grading still works, and holds, on machines that forbid them.
    namespaces: bool = True


class Sandbox:
    """Runs one notebook's definitions; `call` runs one of its functions.

    The notebook lives in a sandbox process tree of its own (worker.py): each
    check (`new_check`) gets a fresh process, forked from a template that never
    ran student code, with the definitions run again, so that no check's calls
    can leave anything (globals, files, processes) for another's. Calls with
    the reference helpers get a process of their own too: only there do those
    helpers exist.
    """

    def __init__(self, program, limits=Limits()):
        self.program = program
        self.limits = limits
        self.problems = {}  # name -> why defining it failed in the sandbox
        self.confinement = ()
        self._bad_definitions = set()
        self._broken = {}  # (function, reference_helpers) -> the failure that killed the worker
        self._left_running = 0  # processes the student's code started and left behind
        self._box = None
        self._check = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def new_check(self):
        """Later calls run in fresh processes, sharing nothing with earlier ones."""
        self._check += 1

    def close(self):
        self._close_box()

    def suspend(self):
        """End the sandbox's processes now; a later call starts them again, with a fresh
        child for its check, as after any check."""
        self._close_box()

    def _close_box(self):
        if self._box is not None:
            self._left_running += self._box.close()
            self._box = None

    def why_missing(self, name):
        return self.program.why_missing(name) or self.problems.get(name)

    def notes(self):
        """What went wrong while defining the student's code, one line each."""
        return sorted(set(self.program.problems.values()) | set(self.problems.values()))

    def incidents(self):
        """What the student's code did to the sandbox that is worth a human look:
        functions that hung, crashed or exited it, processes left running."""
        found = {str(failure).splitlines()[0] for failure in self._broken.values()}
        left = self._left_running + (self._box.left_running if self._box else 0)
        if left:
            found.add(f"the student's code left {left} process(es) running (the grader killed them)")
        return sorted(found)

    def call(self, function, args=(), kwargs=None, *, reference_helpers=False, global_seed=None,
             return_arguments=False):
        """The student's function's return value (and its arguments after the call,
        with return_arguments); raises a failures.StudentFailure if it gave none."""
        # A function that broke the worker with the student's own helpers may still
        # work with the reference ones (and the other way round): remember each apart.
        key = (function, reference_helpers)
        if key in self._broken:
            raise self._broken[key]
        # The worker seeds np.random for every call and always sends the arguments
        # back: the student's code cannot tell which of these the grader looks at.
        seed = global_seed if global_seed is not None else secrets.randbelow(2**32)
        request = {"op": "call", "name": function, "args": tuple(args), "kwargs": dict(kwargs or {}),
                   "global_seed": seed}
        box = self._ready_box(reference_helpers)
        box.clear_output()  # the output limit applies to each call on its own
        try:
            reply = box.exchange(request, self.limits.call_seconds)
        except (Timeout, Died, wire.WireError) as error:
            failure = self._failure_of_dead_worker(function, box, error)
            self._broken[key] = failure
            raise failure from None
        return self._answer(function, reply, return_arguments)

    def _answer(self, function, reply, return_arguments):
        status = reply.get("status") if isinstance(reply, dict) else None
        if status == "ok" and "value" in reply:
            if return_arguments:
                return reply["value"], reply.get("arguments")
            return reply["value"]
        if status == "missing":
            raise failures.NotDefined(function, self.why_missing(function))
        if status == "not_callable":
            raise failures.NotCallable(function, _text(reply.get("type"), failures.MAX_NAME))
        if status == "exit":
            code = reply.get("code")
            raise failures.Exited(function, code if type(code) is int else 1)
        if status == "raised":
            type_name = _text(reply.get("type"), failures.MAX_NAME)
            if type_name == "NotImplementedError":
                raise failures.NotImplementedYet(function)
            if type_name == "MemoryError":
                raise failures.OutOfMemory(function, self.limits.memory_bytes)
            if reply.get("file_too_large") is True:
                raise failures.TooMuchOutput(function, self.limits.output_bytes)
            raise failures.Raised(function, type_name, _text(reply.get("message"), failures.MAX_MESSAGE),
                                  _text(reply.get("traceback"), failures.MAX_MESSAGE))
        raise failures.BadAnswer(function, "a malformed reply")

    def _failure_of_dead_worker(self, function, box, error):
        if os.environ.get(DEBUG_VARIABLE):
            print(f"sandbox worker output ({function}):\n{box.startup_output()}", file=sys.stderr)
        out_of_memory = box.group is not None and box.group.ran_out_of_memory()
        self._reset(box)
        if out_of_memory:
            return failures.OutOfMemory(function, self.limits.memory_bytes)
        if isinstance(error, Timeout):
            return failures.TimedOut(function, self.limits.call_seconds)
        if isinstance(error, wire.WireError):
            return failures.BadAnswer(function, str(error))
        return self._death(function, error.returncode)

    def _reset(self, box):
        """Kill the check's processes; the box itself, if even that fails."""
        try:
            box.reset(self.limits.start_seconds)
        except (Timeout, Died, wire.WireError):
            self._close_box()

    def _death(self, function, returncode):
        if returncode is not None and returncode >= 0:
            return failures.Exited(function, returncode)
        number = -returncode if returncode is not None else signal.SIGKILL
        if number == signal.SIGXFSZ:
            return failures.TooMuchOutput(function, self.limits.output_bytes)
        if number == signal.SIGXCPU:
            return failures.TimedOut(function, self.limits.cpu_seconds)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return failures.Crashed(function, name)

    def _ready_box(self, reference_helpers):
        """A live process for this check (and helper mode) with every definition
        run; a definition that hangs or crashes is recorded and skipped, and the
        process replaced."""
        wanted = (self._check, reference_helpers)
        while True:
            if self._box is None:
                self._box = Box(self.limits)
            box = self._box
            if box.check == wanted:
                return box
            try:
                box.spawn(wanted, reference_helpers, self.limits.start_seconds)
                self.confinement = box.confinement
                box.exchange({"op": "sources", "sources": self.program.sources}, self.limits.define_seconds)
            except (Timeout, Died, wire.WireError) as error:
                output = box.startup_output()
                self._close_box()
                raise RuntimeError(f"the sandbox did not start ({type(error).__name__}): {output}") from None
            if not self._define_all(box):
                box.check = None

    def _define_all(self, box):
        """Run the definitions in the check's fresh process. All are sent at once
        (no round trip each); each still has its own time limit."""
        pending = []
        for index, definition in enumerate(self.program.definitions):
            if index in self._bad_definitions:
                continue
            if len(self._bad_definitions) >= MAX_BAD_DEFINITIONS and index > max(self._bad_definitions):
                self._record(definition, f"{_where(definition)} was not run: too many earlier definitions hung, "
                                         "crashed or were too slow")
                continue
            pending.append((index, definition))
        requests = [{"op": "define", "code": definition.code} for _, definition in pending]
        done = 0
        # Definitions run again before every check: together they get a small budget.
        budget_ends = time.monotonic() + self.limits.definitions_seconds
        try:
            box.send(requests, self.limits.define_seconds)
            for _, definition in pending:
                started = time.monotonic()
                reply = box.receive(min(started + self.limits.define_seconds, max(budget_ends, started + 0.05)))
                done += 1
                self._check_definition(definition, reply)
        except (Timeout, Died, wire.WireError) as error:
            self._reset(box)
            index, definition = pending[done]
            self._bad_definitions.add(index)
            if isinstance(error, Timeout):
                limit = min(self.limits.define_seconds, self.limits.definitions_seconds)
                how = (f"did not finish within {limit:g} s, all the time the notebook's top-level code gets "
                       "(decorators and default arguments run before every check: do slow work inside functions)")
            else:
                how = "stopped the Python process"
            self._record(definition, f"{_where(definition)}: running this definition {how}")
            return False
        return True

    def _check_definition(self, definition, reply):
        if isinstance(reply, dict) and reply.get("status") == "raised" and not definition.quiet:
            self._record(definition, f"{_where(definition)}: defining it raised "
                                     f"{_text(reply.get('type'), failures.MAX_NAME)}: "
                                     f"{_text(reply.get('message'), failures.MAX_MESSAGE)}")
        elif isinstance(reply, dict) and reply.get("status") == "exit":
            self._record(definition, f"{_where(definition)}: defining it called sys.exit")

    def _record(self, definition, reason):
        for name in definition.names:
            self.problems[name] = reason


def warm_up():
    """Start this process's nursery now (it imports NumPy in about 0.3 s), so that it
    is ready by the first call instead of making that call wait."""
    Nursery.get()


def protections_in_force(limits=Limits()):
    """The names of the layers a sandbox gets on this machine (see layers.py)."""
    box = Box(limits)
    try:
        box.spawn(None, False, limits.start_seconds)
        return box.confinement
    finally:
        box.close()


def _where(definition):
    return f"{definition.place or f'cell {definition.cell}'}, line {definition.line}"


def _text(value, limit):
    """A string from the worker's reply, cut to a size the grader's reports can carry."""
    return (value if isinstance(value, str) else "")[:limit]
