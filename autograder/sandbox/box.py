"""How the grader keeps a sandbox's processes: a nursery per grading process
forks a process tree per sandbox (see worker.py), and a Box holds one tree
and the pipes to it, and leaves nothing of it behind when closed.
"""
import collections
import itertools
import json
import os
import pickle
import select
import signal
import socket
import site
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import cgroups, reaping, scratch, wire

WORKER = Path(__file__).with_name("worker.py")
# When the grader runs as root, each sandbox runs as a uid of its own, derived
# from the grader's pid, which is unique among running graders.
SANDBOX_UID_BASE = 2_000_000_000
# Frames that answer no request, read and dropped before the grader gives up on a reply.
MAX_STRAY_FRAMES = 100


class Timeout(Exception):
    pass


class Died(Exception):
    def __init__(self, returncode):
        super().__init__(returncode)
        self.returncode = returncode

class Box:
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
        # What the trusted launcher and template print (a trace if they fail); each
        # check's child prints to a file of its own (spawn), never to this one.
        self.startup = _memory_file("sandbox-startup")
        self.output = None
        reaping.adopt_orphans()
        nursery = Nursery.get()
        self.other_children = reaping.children() | {nursery.process.pid}
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
            self.pid, self.handle = nursery.launch(config, template_end.fileno(), self.startup,
                                                   time.monotonic() + limits.start_seconds)
        finally:
            template_end.close()
        Box.live.add(self.pid)
        try:
            self._event(time.monotonic() + limits.start_seconds)
        except (Timeout, Died, wire.WireError) as error:
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
        # The child's stdout shares this file's offset: rewinding here rewinds it there.
        if self.output is not None:
            os.lseek(self.output, 0, os.SEEK_SET)
            os.ftruncate(self.output, 0)

    def startup_output(self):
        texts = []
        for fd in (self.startup, self.output):
            if fd is not None:
                texts.append(os.pread(fd, 2000, 0).decode("utf-8", "replace").strip())
        return "\n".join(text for text in texts if text)

    def spawn(self, check, reference_helpers, seconds):
        """Kill the last check's processes and start a fresh child for `check`,
        with pipes of its own: nothing an earlier child wrote can reach them."""
        deadline = time.monotonic() + seconds
        self._close_pipes()
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        os.set_blocking(self.requests, False)
        # Its stdout and stderr: a file in memory (counted in the sandbox's control group,
        # never on the grader's disk) that no other check's processes ever hold.
        self.output = _memory_file("check-output")
        try:
            self._command({"op": "spawn", "reference_helpers": reference_helpers}, deadline,
                          (requests_read, replies_write, self.output))
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
        for fd in (self.requests, self.replies, self.output):
            if fd is not None:
                os.close(fd)
        self.requests = self.replies = self.output = None

    def _command(self, request, deadline, fds=()):
        try:
            socket.send_fds(self.control, [pickle.dumps(request)], fds)
        except OSError:
            raise Died(None) from None
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
            raise Timeout()
        try:
            message = self.control.recv(1 << 16)
        except OSError:
            message = b""
        if not message:
            raise Died(None)
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
        except Died:
            # The template tells how the child died (exit status or signal).
            try:
                event = self._event(time.monotonic() + 1)
            except (Timeout, Died, wire.WireError):
                raise Died(None) from None
            code = event.get("code")
            raise Died(code if event.get("status") == "died" and type(code) is int else None) from None

    def close(self):
        """Kill the sandbox and everything in it; remove its files. Returns how
        many processes the student's code had left running beside the checks."""
        template = set()
        if self.alive():
            # The template kills and counts what the student's code left; it is
            # the launcher's child, and no orphan of the student's.
            template = reaping.children(self.pid)
            try:
                self._command({"op": "reset"}, time.monotonic() + 1)
            except (Timeout, Died, wire.WireError):
                pass
        left = self.left_running
        self.left_running = 0
        self._kill_launcher()
        if self.uid is not None:
            _kill_every_process_of(self.uid)
        Box.live.discard(self.pid)
        for pid in template:
            try:  # once the launcher is gone it is ours (we are the subreaper) to reap
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        nursery = Nursery._current
        left += _kill_orphans(self.other_children | Box.live | ({nursery.process.pid} if nursery else set()))
        self._close_pipes()
        self.control.close()
        if self.handle is not None:
            os.close(self.handle)
        os.close(self.startup)
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


class Nursery:
    """The process that forks every sandbox of this grading process (worker.py):
    one Python with NumPy started once, instead of one per sandbox."""

    _current = None

    def __init__(self):
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
    def get(cls):
        nursery = cls._current
        if nursery is None or nursery.owner != os.getpid() or nursery.process.poll() is not None:
            nursery = cls._current = cls()
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


def _memory_file(name):
    """A file descriptor for a file that lives in memory and vanishes with its last
    descriptor (a memfd; an unlinked temporary file where there is none)."""
    try:
        return os.memfd_create(name, os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return os.dup(tempfile.TemporaryFile().fileno())


def _send(fd, data, deadline):
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout()
        _, writable, _ = select.select([], [fd], [], remaining)
        if writable:
            try:
                view = view[os.write(fd, view):]
            except BrokenPipeError:
                raise Died(None) from None


def _read(fd, n, deadline, death_fd):
    """n bytes from fd; Died when death_fd (the template's events) speaks first."""
    chunks = []
    watched = [fd] if death_fd is None else [fd, death_fd]
    while n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Timeout()
        readable, _, _ = select.select(watched, [], [], remaining)
        if fd in readable:
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise Died(None)
            chunks.append(chunk)
            n -= len(chunk)
        elif readable:
            raise Died(None)
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


def _kill_orphans(other_children):
    """Kill and reap the sandbox's detached descendants (children that were not ours
    before it started); return how many there were."""
    killed = set()
    for _ in range(10):
        orphans = reaping.children() - other_children
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
