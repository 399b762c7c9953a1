"""The sandbox worker: the only program that runs student code.

Started once per grading process as `python -I -S -B worker.py CONFIG_JSON`,
it is the nursery: it imports Python and NumPy once, runs no student code, and
forks a launcher for every sandbox the grader asks for. Each sandbox is then
three kinds of process:
- the launcher joins the sandbox's control groups, enters new namespaces
  (namespaces.py), forks the template and waits for it;
- the template, the sandbox's init, never runs student code, and on the
  grader's word forks a fresh child for each check, after killing everything
  the previous check left;
- each child confines itself (confine.py), runs the student's definitions
  one top-level statement at a time, then answers calls: "run train on these
  inputs". It computes no verdict; it returns what the student's function
  returned, and its arguments afterwards (as plain data, see wire.py), and the
  grader judges them. Anything the student's code does to this process
  (patching numpy, printing, exiting, hanging, reading its own frames) can
  change only these answers, and every call looks the same whatever the
  grader will look at.

Stdlib, numpy and its sibling modules only.
"""
import builtins
import errno
import importlib
import json
import linecache
import marshal
import os
import pickle
import random
import select
import signal
import socket
import sys
import time
import traceback

_NURSERY_CONFIG = json.loads(sys.argv[1])
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
# Started with -S: site-packages (for numpy) are added by hand, without running
# their .pth files, which would make the grader's own package importable.
sys.path.extend(_NURSERY_CONFIG["site_packages"])
import numpy as np  # noqa: E402  (imported once, in the nursery, before any student code)
import numpy.random  # noqa: E402,F401  (unpickling a Generator needs it)

import confine  # noqa: E402
import namespaces  # noqa: E402
import reaping  # noqa: E402
import scratch  # noqa: E402
import wire  # noqa: E402

sys.path.remove(_HERE)
# Set only in a child that checks train: the reference helpers live only where
# they replace the student's (elsewhere student code could call them).
reference = None
MAX_MESSAGE = 2000


class _Loading:
    """True while the student's top-level statements run (imports are made lazy)."""
    active = False


_real_import = builtins.__import__
_EAGER = frozenset(sys.stdlib_module_names) | {"numpy"}


def _lazy_import(name, globals=None, locals=None, fromlist=(), level=0):
    """Defer imports of third-party packages (matplotlib takes a second to import)
    until the student's code actually uses them: grading rarely needs them."""
    root = name.partition(".")[0]
    if not _Loading.active or level != 0 or root in _EAGER or name in sys.modules:
        return _real_import(name, globals, locals, fromlist, level)
    if fromlist:
        return LazyModule(name)
    return LazyModule(root, also=(name,))


class LazyModule:
    """A module (or an attribute of one) imported on first real use."""

    def __init__(self, path, also=()):
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_also", also)

    def _resolve(self):
        try:
            return object.__getattribute__(self, "_target")
        except AttributeError:
            pass
        path = object.__getattribute__(self, "_path")
        for name in object.__getattribute__(self, "_also"):
            importlib.import_module(name)
        try:
            target = importlib.import_module(path)
        except ModuleNotFoundError as error:
            if error.name != path or "." not in path:
                raise
            parent, _, attribute = path.rpartition(".")
            target = getattr(LazyModule(parent)._resolve(), attribute)
        object.__setattr__(self, "_target", target)
        return target

    def __getattr__(self, attribute):
        if _Loading.active and not attribute.startswith("__"):
            return LazyModule(object.__getattribute__(self, "_path") + "." + attribute)
        return getattr(self._resolve(), attribute)

    def __setattr__(self, attribute, value):
        setattr(self._resolve(), attribute, value)

    def __call__(self, *args, **kwargs):
        return self._resolve()(*args, **kwargs)

    def __getitem__(self, key):
        return self._resolve()[key]

    def __iter__(self):
        return iter(self._resolve())

    def __repr__(self):
        return repr(self._resolve())


class Worker:
    def __init__(self, requests, replies):
        self.requests = os.fdopen(requests, "rb", buffering=0)
        self.replies = replies
        student_builtins = dict(vars(builtins))
        student_builtins["__import__"] = _lazy_import
        self.namespace = {"__name__": "__main__", "__builtins__": student_builtins}

    def send(self, message):
        try:
            payload = wire.encode(message)
        except MemoryError:
            payload = wire.encode({"status": "raised", "type": "MemoryError", "message": "", "traceback": "",
                                   "id": message.get("id")})
        data = wire.frame(payload)
        while data:
            data = data[os.write(self.replies, data):]

    def receive(self):
        header = self._read(wire.HEADER.size)
        if header is None:
            return None
        (length,) = wire.HEADER.unpack(header)
        return pickle.loads(self._read(length))

    def _read(self, n):
        chunks = []
        while n:
            chunk = self.requests.read(n)
            if not chunk:
                return None
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def serve(self):
        while True:
            request = self.receive()
            if request is None:
                return
            reply = getattr(self, "op_" + request["op"])(request)
            reply["id"] = request["id"]
            self.send(reply)

    def op_sources(self, request):
        for filename, source in request["sources"].items():
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        return {"status": "ok"}

    def op_define(self, request):
        code = marshal.loads(request["code"])
        _Loading.active = True
        try:
            exec(code, self.namespace)
        except BaseException as error:  # noqa: BLE001 (student code may raise anything, SystemExit included)
            return _failure(error)
        finally:
            _Loading.active = False
        return {"status": "ok"}

    def op_call(self, request):
        name = request["name"]
        function = self.namespace.get(name)
        if function is None:
            return {"status": "missing"}
        if not callable(function):
            return {"status": "not_callable", "type": type(function).__name__}
        args, kwargs = request["args"], request["kwargs"]
        if reference is not None:
            self.namespace.update(reference.HELPERS)
        # Every call is seeded and returns its arguments, so that nothing tells the
        # student's code which property the grader is about to look at.
        np.random.seed(request["global_seed"])
        random.seed(request["global_seed"])
        try:
            value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001
            return _failure(error)
        return {"status": "ok", "value": value, "arguments": list(args)}


_ABSENT = object()


def _failure(error):
    if isinstance(error, SystemExit):
        code = error.code if isinstance(error.code, int) else (0 if error.code is None else 1)
        return {"status": "exit", "code": code}
    try:
        message = str(error)[:MAX_MESSAGE]
    except BaseException:  # noqa: BLE001 (a student's exception whose __str__ raises)
        message = ""
    return {
        "status": "raised",
        "type": str(type(error).__name__)[:200],
        "message": message,
        "traceback": _student_traceback(error),
        "file_too_large": isinstance(error, OSError) and error.errno == errno.EFBIG,
    }


def _student_traceback(error):
    """The traceback's frames in student code only: the grader's own never show."""
    try:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<the cell ")]
        text = "".join(traceback.format_list(frames[-8:]))
    except BaseException:  # noqa: BLE001
        text = ""
    return text[-MAX_MESSAGE:]


class Template:
    """The sandbox's init: forks one child per check and kills what it leaves.

    Runs no student code, so its answers to the grader can be trusted; the
    children cannot trace it, read its memory or signal it (confine.py).
    """

    def __init__(self, config, namespaces_entered):
        self.config = config
        self.namespaces = namespaces_entered
        # A socket pair with the grader: its requests come with the pipes of the
        # next check's child, so that no check ever reads what another wrote.
        self.control = socket.socket(fileno=config["control_fd"])
        self.child = None
        self.is_init = os.getpid() == 1
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if not self.is_init:
            reaping.adopt_orphans()

    def send(self, message):
        self.control.send(wire.encode(message))

    def serve(self):
        while True:
            readable, _, _ = select.select([self.control], [], [], 0.05)
            self._reap()
            if readable:
                message, fds, _, _ = socket.recv_fds(self.control, 1 << 16, 3)
                if not message:
                    return  # the grader is gone
                request = pickle.loads(message)
                left = self._kill_all()
                if request["op"] == "spawn":
                    self._fresh_scratch()
                    self.child = self._fork_child(*fds, request["reference_helpers"])
                for fd in fds:
                    os.close(fd)
                self.send({"status": "ok", "left": left})

    def _reap(self):
        """Collect finished processes; tell the grader when the check's child died."""
        for pid, status in _finished():
            if pid == self.child:
                self.child = None
                self.send({"status": "died", "code": os.waitstatus_to_exitcode(status)})

    def _kill_all(self):
        """Kill every process of the sandbox but this one; return how many there
        were besides the check's child. Never waits on a process it has not
        killed: orphans of the student's keep arriving while their parents die."""
        child, self.child = self.child, None
        if self.is_init:
            # As init: kill(-1) reaches every process of this PID namespace, and
            # none can fork once it is on its way: wait for all of them.
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                return 0
            seen = set()
            while True:
                try:
                    seen.add(os.waitpid(-1, 0)[0])
                except ChildProcessError:
                    return len(seen - {child})
        seen = set()
        for _ in range(10_000):
            if self.is_init:
                try:
                    os.kill(-1, signal.SIGKILL)  # as init: every process of this PID namespace
                except ProcessLookupError:
                    pass
            pids = reaping.children()
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            seen |= pids | {pid for pid, _ in _finished()}
            if not pids:
                break
            time.sleep(0.001)
        return len(seen - {child})

    def _fresh_scratch(self):
        if not os.listdir(self.config["workdir"]):
            return  # the last check wrote nothing there (most don't)
        if "tmpfs" in self.namespaces:
            namespaces.fresh_scratch(self.config["workdir"], self.config["scratch_bytes"], self.config.get("uid"))
        else:
            scratch.empty_folder(self.config["workdir"])

    def _fork_child(self, requests, replies, output, reference_helpers):
        global reference
        pid = os.fork()
        if pid:
            return pid
        try:  # the child: from here on, student code may run
            self.control.close()
            # stdout and stderr of this check alone (the template's own stay its own).
            os.dup2(output, 1)
            os.dup2(output, 2)
            os.close(output)
            if reference_helpers:  # imported before confinement, which hides the kit's files
                sys.path.insert(0, _HERE)
                import reference
                sys.path.remove(_HERE)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            config = self.config
            applied = confine.confine(
                config["workdir"], config["readable"], config["memory_bytes"], config["output_bytes"],
                config["cpu_seconds"], config.get("uid"), private_proc="proc" in self.namespaces)
            os.chdir(config["workdir"])
            worker = Worker(requests, replies)
            worker.send({"status": "ready", "confinement": self.namespaces + applied})
            worker.serve()
        except BaseException:  # noqa: BLE001 (before student code: the kit's own failure, for its output)
            traceback.print_exc()
        finally:
            os._exit(0)


def launch(config):
    """In a process forked for one sandbox: enter its namespaces and become its
    template (never returns)."""
    namespaces.die_with_parent()
    for procs in config["cgroups"]:
        try:
            with open(procs, "w") as file:
                file.write(str(os.getpid()))
        except OSError:
            pass
    entered = namespaces.enter(own_uid=config["uid"] is not None) if config["namespaces"] else []
    if entered:
        template = os.fork()
        if template:  # the launcher: outside the namespaces, it only waits
            os.close(config["control_fd"])
            _, status = os.waitpid(template, 0)
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        namespaces.die_with_parent()
    if "pid" in entered:
        entered += namespaces.private_mounts(config["workdir"], config["scratch_bytes"], config["uid"])
        namespaces.set_hostname("sandbox")
    confine.not_traceable()
    template = Template(config, entered)
    template.send({"status": "ready"})
    template.serve()


def nurse(control):
    """The nursery: forks a launcher for every sandbox the grader asks for, so
    that none pays again for starting Python and importing NumPy. It runs no
    student code; it answers with the launcher's pid and a pidfd for it."""
    while True:
        readable, _, _ = select.select([control], [], [], 1.0)
        for _ in _finished():  # launchers whose sandbox was closed
            pass
        if not readable:
            continue
        message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        if not message:
            return  # the grader is gone
        config = json.loads(message)
        template_end, output = fds
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                os.setsid()
                os.dup2(output, 1)
                os.dup2(output, 2)
                os.close(output)
                config["control_fd"] = template_end
                os.environ.update(config["environment"])
                os.chdir(config["workdir"])
                launch(config)
            except BaseException:  # noqa: BLE001 (the kit's own failure, for its output)
                traceback.print_exc()
            finally:
                os._exit(70)
        os.close(template_end)
        os.close(output)
        try:
            handles = [os.pidfd_open(pid)]
        except (AttributeError, OSError):
            handles = []  # an old kernel: the grader signals the pid
        socket.send_fds(control, [json.dumps({"pid": pid}).encode()], handles)
        for handle in handles:
            os.close(handle)


def _finished():
    """(pid, wait status) of every child that has ended, without waiting for any."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def main():
    namespaces.die_with_parent()
    nurse(socket.socket(fileno=_NURSERY_CONFIG["control_fd"]))


if __name__ == "__main__":
    main()
