"""The grader's side of the sandbox: start a worker, define the student's code
in it, call the student's functions under a wall-clock limit, and leave
nothing behind.

A worker that hangs, crashes or exits is killed (with everything it started)
and replaced; the function that did it fails, with a message saying how, and
every later call of that function fails the same way at once instead of
waiting out the limit again.
"""
import ctypes
import json
import os
import pickle
import select
import shutil
import signal
import site
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import failures, wire

WORKER = Path(__file__).with_name("worker.py")
# When the grader runs as root, each sandbox runs as a uid of its own, derived
# from the grader's pid, which is unique among running graders.
SANDBOX_UID_BASE = 2_000_000_000
# Consecutive definitions that may hang or crash before the rest are skipped:
# each one costs a worker restart and up to define_seconds.
MAX_BAD_DEFINITIONS = 3
_PR_SET_CHILD_SUBREAPER = 36
# Set to see what a dead worker printed (for developing the kit, not for grading).
DEBUG_VARIABLE = "AUTOGRADER_DEBUG_SANDBOX"


@dataclass(frozen=True)
class Limits:
    # Per call of a student function. Correct answers need well under 1 s
    # (even loop-based ones); a slow machine may need several times that.
    call_seconds: float = 10.0
    # Per top-level definition: decorators and default arguments run then.
    define_seconds: float = 5.0
    # Address space. Python, NumPy and Matplotlib need about 0.5 GB of it.
    memory_bytes: int = 2 * 2**30
    # What one call may print: a train printing a line per iteration stays far below.
    output_bytes: int = 2**20
    # CPU seconds: a backstop for processes that outlive the wall clock.
    cpu_seconds: int = 300
    # Python and NumPy start in about 0.2 s; a loaded machine may be slower.
    start_seconds: float = 30.0
    # The largest reply the grader reads; the answers here are a few kB.
    reply_bytes: int = 64 * 2**20


class _Timeout(Exception):
    pass


class _Died(Exception):
    pass


class Sandbox:
    """Runs one notebook's definitions; `call` runs one of its functions."""

    def __init__(self, program, limits=Limits()):
        self.program = program
        self.limits = limits
        self.problems = {}  # name -> why defining it failed in the sandbox
        self.confinement = ()
        self._bad_definitions = set()
        self._broken = {}  # (function, reference_helpers) -> the failure that killed the worker
        self._left_running = 0  # processes the student's code started and left behind
        self._worker = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._worker is not None:
            self._kill(self._worker)
            self._worker = None

    def _kill(self, worker):
        self._left_running += worker.kill()

    def why_missing(self, name):
        return self.program.why_missing(name) or self.problems.get(name)

    def notes(self):
        """What went wrong while defining the student's code, one line each."""
        return sorted(set(self.program.problems.values()) | set(self.problems.values()))

    def incidents(self):
        """What the student's code did to the sandbox that is worth a human look:
        functions that hung, crashed or exited it, processes left running."""
        found = {str(failure).splitlines()[0] for failure in self._broken.values()}
        if self._left_running:
            found.add(f"the student's code left {self._left_running} process(es) running (the grader killed them)")
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
        request = {"op": "call", "name": function, "args": tuple(args), "kwargs": dict(kwargs or {}),
                   "reference_helpers": reference_helpers, "global_seed": global_seed,
                   "return_arguments": return_arguments}
        worker = self._ready_worker()
        worker.clear_output()  # the output limit applies to each call on its own
        try:
            reply = worker.exchange(request, self.limits.call_seconds)
        except (_Timeout, _Died, wire.WireError) as error:
            failure = self._failure_of_dead_worker(function, worker, error)
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
            raise failures.NotCallable(function, reply.get("type"))
        if status == "exit":
            raise failures.Exited(function, reply.get("code"))
        if status == "raised":
            if reply.get("type") == "NotImplementedError":
                raise failures.NotImplementedYet(function)
            if reply.get("type") == "MemoryError":
                raise failures.OutOfMemory(function, self.limits.memory_bytes)
            if reply.get("file_too_large"):
                raise failures.TooMuchOutput(function, self.limits.output_bytes)
            raise failures.Raised(function, str(reply.get("type")), str(reply.get("message", "")),
                                  str(reply.get("traceback", "")))
        raise failures.BadAnswer(function, "a malformed reply")

    def _failure_of_dead_worker(self, function, worker, error):
        if os.environ.get(DEBUG_VARIABLE):
            print(f"sandbox worker output ({function}):\n{worker.startup_output()}", file=sys.stderr)
        self._kill(worker)
        self._worker = None
        if isinstance(error, _Timeout):
            return failures.TimedOut(function, self.limits.call_seconds)
        if isinstance(error, wire.WireError):
            return failures.BadAnswer(function, str(error))
        return self._death(function, worker.returncode)

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

    def _ready_worker(self):
        """A live worker with every definition run; a definition that hangs or
        crashes the worker is recorded and skipped, and the worker restarted."""
        while self._worker is None:
            worker = _Worker(self.limits)
            self.confinement = worker.confinement
            worker.exchange({"op": "sources", "sources": self.program.sources}, self.limits.define_seconds)
            if self._define_all(worker):
                self._worker = worker
        return self._worker

    def _define_all(self, worker):
        for index, definition in enumerate(self.program.definitions):
            if index in self._bad_definitions:
                continue
            where = f"cell {definition.cell}, line {definition.line}"
            if len(self._bad_definitions) >= MAX_BAD_DEFINITIONS:
                self._record(definition, f"{where} was not run: too many earlier definitions hung or crashed")
                continue
            try:
                reply = worker.exchange({"op": "define", "code": definition.code}, self.limits.define_seconds)
            except (_Timeout, _Died, wire.WireError) as error:
                self._kill(worker)
                self._bad_definitions.add(index)
                how = (f"did not finish within {self.limits.define_seconds:g} s" if isinstance(error, _Timeout)
                       else "stopped the Python process")
                self._record(definition, f"{where}: running this definition {how}")
                return False
            if isinstance(reply, dict) and reply.get("status") == "raised" and not definition.quiet:
                self._record(definition, f"{where}: defining it raised {reply.get('type')}: {reply.get('message', '')}")
            elif isinstance(reply, dict) and reply.get("status") == "exit":
                self._record(definition, f"{where}: defining it called sys.exit")
        return True

    def _record(self, definition, reason):
        for name in definition.names:
            self.problems[name] = reason


class _Worker:
    """One worker process and the pipes to it."""

    live = set()  # pids of the workers running now (several sandboxes may be open at once)

    def __init__(self, limits):
        self.limits = limits
        self.workdir = tempfile.mkdtemp(prefix="simple-nn-sandbox-")
        self.uid = None
        if os.geteuid() == 0 and _reachable_by_anyone(_python_folders()):
            self.uid = SANDBOX_UID_BASE + os.getpid()
            os.chown(self.workdir, self.uid, self.uid)
        self.output = tempfile.TemporaryFile()
        _adopt_orphans()
        self.other_children = _children()
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        os.set_blocking(self.requests, False)
        config = {
            "requests_fd": requests_read, "replies_fd": replies_write, "workdir": self.workdir,
            "site_packages": site.getsitepackages(), "readable": _python_folders(),
            "memory_bytes": limits.memory_bytes, "output_bytes": limits.output_bytes,
            "cpu_seconds": limits.cpu_seconds, "uid": self.uid,
        }
        self.process = subprocess.Popen(
            # -I: ignore PYTHON* variables and the user's site; -S: no site-packages
            # .pth files, so the grader's own package is not importable in there.
            [sys.executable, "-I", "-S", "-B", str(WORKER), json.dumps(config)],
            stdin=subprocess.DEVNULL, stdout=self.output, stderr=self.output, cwd=self.workdir,
            env=_worker_environment(self.workdir), pass_fds=(requests_read, replies_write),
            start_new_session=True)
        os.close(requests_read)
        os.close(replies_write)
        _Worker.live.add(self.process.pid)
        try:
            hello = self.receive(time.monotonic() + limits.start_seconds)
        except (_Timeout, _Died, wire.WireError) as error:
            output = self.startup_output()
            self.kill()
            raise RuntimeError(f"the sandbox worker did not start ({type(error).__name__}): {output}") from None
        self.confinement = tuple(hello.get("confinement", ())) if isinstance(hello, dict) else ()

    @property
    def returncode(self):
        return self.process.returncode

    def clear_output(self):
        # The worker's stdout shares this file's offset: rewinding here rewinds it there.
        self.output.seek(0)
        self.output.truncate()

    def startup_output(self):
        self.output.seek(0)
        return self.output.read(2000).decode("utf-8", "replace").strip()

    def exchange(self, request, seconds):
        deadline = time.monotonic() + seconds
        self._send(wire.frame(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)), deadline)
        return self.receive(deadline)

    def receive(self, deadline):
        (length,) = wire.HEADER.unpack(self._read(wire.HEADER.size, deadline))
        if length > self.limits.reply_bytes:
            raise wire.WireError(f"a reply of {length} bytes")
        return wire.decode(self._read(length, deadline))

    def _send(self, data, deadline):
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout()
            _, writable, _ = select.select([], [self.requests], [], remaining)
            if writable:
                try:
                    view = view[os.write(self.requests, view):]
                except BrokenPipeError:
                    raise _Died() from None

    def _read(self, n, deadline):
        chunks = []
        while n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Timeout()
            readable, _, _ = select.select([self.replies], [], [], remaining)
            if readable:
                chunk = os.read(self.replies, min(n, 1 << 20))
                if not chunk:
                    raise _Died()
                chunks.append(chunk)
                n -= len(chunk)
        return b"".join(chunks)

    def kill(self):
        """Kill the worker and everything it started; remove its files. Returns how
        many processes the student's code had left running beside the worker."""
        left = len(_group(self.process.pid) - {self.process.pid})
        if self.process.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.uid is not None:
            _kill_every_process_of(self.uid)
        self.process.wait()
        _Worker.live.discard(self.process.pid)
        left += _kill_orphans(self.other_children | _Worker.live)
        for fd in (self.requests, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self.output.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return left


def _kill_every_process_of(uid):
    """Processes that left the worker's process group still run as its uid:
    a child that takes that uid can signal all of them at once (kill(-1))."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover (runs in the forked child)
        try:
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _adopt_orphans():
    """Make this process the subreaper of its descendants: a process the student
    detaches (double fork, new session) then becomes our child, not init's,
    and `_kill_orphans` can find it."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _children():
    children = set()
    for task in Path("/proc/self/task").glob("*"):
        try:
            children.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            pass
    return children


def _group(pgid):
    """The processes in a process group."""
    members = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            members.add(int(stat_file.parent.name))
    return members


def _kill_orphans(other_children):
    """Kill and reap the sandbox's detached descendants (children that were not ours
    before it started); return how many there were."""
    killed = set()
    for _ in range(10):
        orphans = _children() - other_children
        if not orphans:
            break
        killed |= orphans
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
    return len(killed)


def _reachable_by_anyone(folders):
    """Can a process of another uid read these folders? (Python installed under
    /root, mode 0700, cannot run as another uid.)"""
    for folder in folders:
        path = Path(folder)
        if not path.exists():  # Debian's Python names site folders a venv lacks: nothing to reach
            continue
        for part in [path, *path.parents]:
            if not part.stat().st_mode & stat.S_IXOTH:
                return False
        if not path.stat().st_mode & stat.S_IROTH:
            return False
    return True


def _python_folders():
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages()}
    folders |= {os.path.realpath(folder) for folder in folders}
    return sorted(folders)


def _worker_environment(workdir):
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": workdir,
        # One thread each: graders run side by side on every core already.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
