"""The sandbox worker: the only process that runs student code.

It confines itself, defines the student's functions one top-level statement
at a time, then answers calls: "run train on these inputs". It computes no
verdict; it returns what the student's function returned (as plain data, see
wire.py) and the grader judges it. Anything the student's code does to this
process (patching numpy, printing, exiting, hanging) can change only these
answers, and a wrong answer is just a wrong answer.

Started by the grader as `python -I -S worker.py CONFIG_JSON`; stdlib, numpy
and its two sibling modules only.
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
import sys
import traceback

_CONFIG = json.loads(sys.argv[1])
_HERE = os.path.dirname(os.path.abspath(__file__))
# Started with -S: site-packages (for numpy) are added by hand, without running
# their .pth files, which would make the grader's own package importable.
sys.path.extend(_CONFIG["site_packages"])
sys.path.insert(0, _HERE)
import numpy as np  # noqa: E402  (imported before confinement, and before student code)
import numpy.random  # noqa: E402,F401  (unpickling a Generator needs it)

import confine  # noqa: E402
import reference  # noqa: E402
import wire  # noqa: E402

sys.path.remove(_HERE)
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
            payload = wire.encode({"status": "raised", "type": "MemoryError", "message": "", "traceback": ""})
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
            handler = getattr(self, "op_" + request["op"])
            self.send(handler(request))

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
        swapped = {}
        if request.get("reference_helpers"):
            for helper, implementation in reference.HELPERS.items():
                swapped[helper] = self.namespace.get(helper, _ABSENT)
                self.namespace[helper] = implementation
        if request.get("global_seed") is not None:
            np.random.seed(request["global_seed"])
            random.seed(request["global_seed"])
        try:
            value = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001
            return _failure(error)
        finally:
            for helper, original in swapped.items():
                if original is _ABSENT:
                    self.namespace.pop(helper, None)
                else:
                    self.namespace[helper] = original
        reply = {"status": "ok", "value": value}
        if request.get("return_arguments"):
            reply["arguments"] = list(args)
        return reply


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
        "type": type(error).__name__,
        "message": message,
        "traceback": _student_traceback(error),
        "file_too_large": isinstance(error, OSError) and error.errno == errno.EFBIG,
    }


def _student_traceback(error):
    """The traceback's frames in student code only: the grader's own never show."""
    try:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<cell ")]
        text = "".join(traceback.format_list(frames[-8:]))
    except BaseException:  # noqa: BLE001
        text = ""
    return text[-MAX_MESSAGE:]


def main():
    config = _CONFIG
    applied = confine.confine(
        config["workdir"], config["readable"], config["memory_bytes"],
        config["output_bytes"], config["cpu_seconds"], config.get("uid"))
    os.chdir(config["workdir"])
    worker = Worker(config["requests_fd"], config["replies_fd"])
    worker.send({"status": "ready", "confinement": applied})
    worker.serve()


if __name__ == "__main__":
    main()
