"""The grader's side of the sandbox: start a worker, define the student's code
in it, call the student's functions under a wall-clock limit, and leave
nothing behind.

A worker that hangs, crashes or exits is killed (with everything it started)
and replaced; the function that did it fails, with a message saying how, and
every later call of that function fails the same way at once instead of
waiting out the limit again.
"""
import collections
import ctypes
import itertools
import json
import os
import pickle
import secrets
import select
import signal
import socket
import site
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import cgroups, failures, scratch, wire

WORKER = Path(__file__).with_name("worker.py")
# When the grader runs as root, each sandbox runs as a uid of its own, derived
# from the grader's pid, which is unique among running graders.
SANDBOX_UID_BASE = 2_000_000_000
# Consecutive definitions that may hang or crash before the rest are skipped:
# each one costs a worker restart and up to define_seconds.
MAX_BAD_DEFINITIONS = 3
# Frames that answer no request, read and dropped before the grader gives up on a reply.
MAX_STRAY_FRAMES = 100
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


class _Timeout(Exception):
    pass


class _Died(Exception):
    def __init__(self, returncode):
        super().__init__(returncode)
        self.returncode = returncode


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
        except (_Timeout, _Died, wire.WireError) as error:
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
        if isinstance(error, _Timeout):
            return failures.TimedOut(function, self.limits.call_seconds)
        if isinstance(error, wire.WireError):
            return failures.BadAnswer(function, str(error))
        return self._death(function, error.returncode)

    def _reset(self, box):
        """Kill the check's processes; the box itself, if even that fails."""
        try:
            box.reset(self.limits.start_seconds)
        except (_Timeout, _Died, wire.WireError):
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
                self._box = _Box(self.limits)
            box = self._box
            if box.check == wanted:
                return box
            try:
                box.spawn(wanted, reference_helpers, self.limits.start_seconds)
                self.confinement = box.confinement
                box.exchange({"op": "sources", "sources": self.program.sources}, self.limits.define_seconds)
            except (_Timeout, _Died, wire.WireError) as error:
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
        except (_Timeout, _Died, wire.WireError) as error:
            self._reset(box)
            index, definition = pending[done]
            self._bad_definitions.add(index)
            if isinstance(error, _Timeout):
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


def protections_in_force(limits=Limits()):
    """The names of the layers a sandbox gets on this machine (see layers.py)."""
    box = _Box(limits)
    try:
        box.spawn(None, False, limits.start_seconds)
        return box.confinement
    finally:
        box.close()


def _where(definition):
    return f"cell {definition.cell}, line {definition.line}"


def _text(value, limit):
    """A string from the worker's reply, cut to a size the grader's reports can carry."""
    return (value if isinstance(value, str) else "")[:limit]


class _Box:
    """One sandbox process tree (launcher, template, a child per check) and the
    pipes to it: requests and replies for the child, a control socket for
    the template."""

    live = set()  # pids of the sandboxes running now (several may be open at once)

    def __init__(self, limits):
        self.limits = limits
        self.check = None
        self.left_running = 0
        self.confinement = ()
        self.requests = self.replies = None
        self._ids = itertools.count(1)
        self._pending = collections.deque()
        self.workdir = tempfile.mkdtemp(prefix="simple-nn-sandbox-")
        self.uid = None
        if os.geteuid() == 0 and _reachable_by_anyone(_python_folders()):
            self.uid = SANDBOX_UID_BASE + os.getpid()
            os.chown(self.workdir, self.uid, self.uid)
        self.output = tempfile.TemporaryFile()
        _adopt_orphans()
        nursery = _Nursery.get(limits)
        self.other_children = _children() | {nursery.process.pid}
        self.control, template_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.group = cgroups.create(limits.memory_bytes, limits.max_processes)
        config = {
            "cgroups": self.group.procs_files if self.group else [],
            "workdir": self.workdir, "scratch_bytes": limits.scratch_bytes,
            "environment": _worker_environment(self.workdir), "readable": _python_folders(),
            "memory_bytes": limits.memory_bytes, "output_bytes": limits.output_bytes,
            "cpu_seconds": limits.cpu_seconds, "uid": self.uid, "namespaces": limits.namespaces,
        }
        try:
            self.pid, self.handle = nursery.launch(config, template_end.fileno(), self.output.fileno(),
                                                   time.monotonic() + limits.start_seconds)
        finally:
            template_end.close()
        _Box.live.add(self.pid)
        try:
            self._event(time.monotonic() + limits.start_seconds)
        except (_Timeout, _Died, wire.WireError) as error:
            output = self.startup_output()
            self.close()
            raise RuntimeError(f"the sandbox worker did not start ({type(error).__name__}): {output}") from None

    def alive(self):
        if self.handle is not None:
            return not select.select([self.handle], [], [], 0)[0]  # a pidfd is readable once the process ended
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def clear_output(self):
        # The worker's stdout shares this file's offset: rewinding here rewinds it there.
        self.output.seek(0)
        self.output.truncate()

    def startup_output(self):
        self.output.seek(0)
        return self.output.read(2000).decode("utf-8", "replace").strip()

    def spawn(self, check, reference_helpers, seconds):
        """Kill the last check's processes and start a fresh child for `check`,
        with pipes of its own: nothing an earlier child wrote can reach them."""
        deadline = time.monotonic() + seconds
        self._close_pipes()
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        os.set_blocking(self.requests, False)
        try:
            self._command({"op": "spawn", "reference_helpers": reference_helpers}, deadline,
                          (requests_read, replies_write))
        finally:
            os.close(requests_read)
            os.close(replies_write)
        ready = self._frame(deadline)
        inside = ready.get("confinement", ()) if isinstance(ready, dict) else ()
        self.confinement = tuple(inside) + tuple(f"cgroup {c}" for c in (self.group.controllers if self.group else ()))
        self.check = check

    def reset(self, seconds):
        self.check = None
        self._command({"op": "reset"}, time.monotonic() + seconds)
        self._close_pipes()

    def _close_pipes(self):
        self._pending.clear()  # a new child: nothing asked of it yet
        for fd in (self.requests, self.replies):
            if fd is not None:
                os.close(fd)
        self.requests = self.replies = None

    def _command(self, request, deadline, fds=()):
        try:
            socket.send_fds(self.control, [pickle.dumps(request)], fds)
        except OSError:
            raise _Died(None) from None
        while True:
            event = self._event(deadline)
            if event.get("status") == "ok":
                break  # earlier events tell of a child that died on its own: it is gone anyway
        left = event.get("left")
        self.left_running += left if type(left) is int else 0

    def _event(self, deadline):
        """The template's next message (it is trusted, but decoded as data all the same)."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self.control], [], [], remaining)[0]:
            raise _Timeout()
        try:
            message = self.control.recv(1 << 16)
        except OSError:
            message = b""
        if not message:
            raise _Died(None)
        event = wire.decode(message)
        if not isinstance(event, dict):
            raise wire.WireError("a malformed event")
        return event

    def exchange(self, request, seconds):
        deadline = time.monotonic() + seconds
        self.send([request], seconds)
        return self.receive(deadline)

    def send(self, requests, seconds):
        """Send requests, each with a number its reply must carry: a frame the
        student's code wrote on its own (early, late, twice) answers nothing."""
        _drain(self.replies)
        for request in requests:
            request["id"] = next(self._ids)
            self._pending.append(request["id"])
        data = b"".join(wire.frame(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)) for r in requests)
        _send(self.requests, data, time.monotonic() + seconds)

    def receive(self, deadline):
        """The reply to the oldest request not yet answered."""
        expected = self._pending.popleft()
        for _ in range(MAX_STRAY_FRAMES):
            reply = self._frame(deadline)
            if isinstance(reply, dict) and reply.get("id") == expected:
                return reply
        raise wire.WireError(f"over {MAX_STRAY_FRAMES} replies that answer no request")

    def _frame(self, deadline):
        (length,) = wire.HEADER.unpack(self._reply(wire.HEADER.size, deadline))
        if length > self.limits.reply_bytes:
            raise wire.WireError(f"a reply of {length} bytes, more than the limit of "
                                 f"{self.limits.reply_bytes // 2**20} MB")
        return wire.decode(self._reply(length, deadline))

    def _reply(self, n, deadline):
        try:
            return _read(self.replies, n, deadline, self.control)
        except _Died:
            # The template tells how the child died (exit status or signal).
            try:
                event = self._event(time.monotonic() + 1)
            except (_Timeout, _Died, wire.WireError):
                raise _Died(None) from None
            code = event.get("code")
            raise _Died(code if event.get("status") == "died" and type(code) is int else None) from None

    def close(self):
        """Kill the sandbox and everything in it; remove its files. Returns how
        many processes the student's code had left running beside the checks."""
        template = set()
        if self.alive():
            # The template kills and counts what the student's code left; it is
            # the launcher's child, and no orphan of the student's.
            template = _children_of(self.pid)
            try:
                self._command({"op": "reset"}, time.monotonic() + 1)
            except (_Timeout, _Died, wire.WireError):
                pass
        left = self.left_running
        self.left_running = 0
        self._kill_launcher()
        if self.uid is not None:
            _kill_every_process_of(self.uid)
        _Box.live.discard(self.pid)
        for pid in template:
            try:  # once the launcher is gone it is ours (we are the subreaper) to reap
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        nursery = _Nursery._current
        left += _kill_orphans(self.other_children | _Box.live | ({nursery.process.pid} if nursery else set()))
        self._close_pipes()
        self.control.close()
        if self.handle is not None:
            os.close(self.handle)
        self.output.close()
        if self.group:
            self.group.remove()
        scratch.empty_folder(self.workdir)
        try:
            os.rmdir(self.workdir)
        except OSError:
            pass
        return left


    def _kill_launcher(self):
        """Kill the launcher (and with it the template and the whole PID
        namespace); wait until it is gone."""
        if not self.alive():
            return
        try:
            if self.handle is not None:
                signal.pidfd_send_signal(self.handle, signal.SIGKILL)  # never a recycled pid
            os.killpg(self.pid, signal.SIGKILL)  # the launcher's session: the template too, without namespaces
        except (ProcessLookupError, PermissionError):
            pass
        if self.handle is not None:
            select.select([self.handle], [], [], self.limits.start_seconds)
        else:
            deadline = time.monotonic() + self.limits.start_seconds
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.005)


class _Nursery:
    """The process that forks every sandbox of this grading process (worker.py):
    one Python with NumPy started once, instead of one per sandbox."""

    _current = None

    def __init__(self, limits):
        self.control, nursery_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"control_fd": nursery_end.fileno(), "site_packages": site.getsitepackages()}
        self.process = subprocess.Popen(
            # -I: ignore PYTHON* variables and the user's site; -S: no site-packages
            # .pth files, so the grader's own package is not importable in there.
            [sys.executable, "-I", "-S", "-B", str(WORKER), json.dumps(config)],
            stdin=subprocess.DEVNULL, cwd="/", env=_worker_environment(tempfile.gettempdir()),
            pass_fds=(nursery_end.fileno(),), start_new_session=True)
        nursery_end.close()
        self.owner = os.getpid()

    @classmethod
    def get(cls, limits):
        nursery = cls._current
        if nursery is None or nursery.owner != os.getpid() or nursery.process.poll() is not None:
            nursery = cls._current = cls(limits)
        return nursery

    def launch(self, config, template_end, output, deadline):
        """Fork a launcher with this configuration; its pid and a pidfd (or None)."""
        try:
            socket.send_fds(self.control, [json.dumps(config).encode()], [template_end, output])
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.control], [], [], remaining)[0]:
                raise RuntimeError("the sandbox's nursery did not answer")
            message, fds, _, _ = socket.recv_fds(self.control, 1 << 16, 1)
        except OSError as error:
            raise RuntimeError(f"the sandbox's nursery failed ({error})") from None
        if not message:
            raise RuntimeError("the sandbox's nursery exited")
        return json.loads(message)["pid"], (fds[0] if fds else None)


def _send(fd, data, deadline):
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Timeout()
        _, writable, _ = select.select([], [fd], [], remaining)
        if writable:
            try:
                view = view[os.write(fd, view):]
            except BrokenPipeError:
                raise _Died(None) from None


def _read(fd, n, deadline, death_fd):
    """n bytes from fd; _Died when death_fd (the template's events) speaks first."""
    chunks = []
    watched = [fd] if death_fd is None else [fd, death_fd]
    while n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Timeout()
        readable, _, _ = select.select(watched, [], [], remaining)
        if fd in readable:
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise _Died(None)
            chunks.append(chunk)
            n -= len(chunk)
        elif readable:
            raise _Died(None)
    return b"".join(chunks)


def _drain(fd):
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 1 << 16):
            pass
    except (BlockingIOError, OSError):
        pass
    finally:
        os.set_blocking(fd, True)


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


def _children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as file:
            return {int(child) for child in file.read().split()}
    except OSError:
        return set()


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
        for part in [path, *path.parents]:
            if not part.stat().st_mode & stat.S_IXOTH:
                return False
        if not path.stat().st_mode & stat.S_IROTH:
            return False
    return True


def _python_folders():
    folders = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages()}
    folders |= {os.path.realpath(folder) for folder in folders}
    # Debian's Python lists site folders that need not exist (dist-packages).
    return sorted(folder for folder in folders if os.path.isdir(folder))


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
