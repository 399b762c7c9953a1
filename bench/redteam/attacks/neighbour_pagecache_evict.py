"""Every function is right, but the first call in each check starts a thread that keeps evicting every file of the grader's own virtual environment from the page cache (fadvise DONTNEED needs only read access): each grader started beside it reads NumPy, pytest and the rest from disk again."""
KIND = "neighbour"
LIMIT = 300
DELAY = 2.0
_EVICT = r'''import os
import sys
import threading

_evicting = []

def _evict_forever():
    files = []
    for folder, _, names in os.walk(sys.prefix):
        files.extend(os.path.join(folder, name) for name in names)
    while True:
        for path in files:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass
            os.close(fd)

def _evict():
    if not _evicting:
        _evicting.append(threading.Thread(target=_evict_forever, daemon=True))
        _evicting[0].start()'''

import importlib.util as _u
import pathlib as _p

_spec = _u.spec_from_file_location("_base", _p.Path(__file__).with_name("_base.py"))
_base = _u.module_from_spec(_spec)
_spec.loader.exec_module(_base)


def _evicting_cell(source):
    head, _, body = source.partition(":\n")
    return head + ":\n    _evict()\n" + body


CELLS = {name: _evicting_cell(source) for name, source in _base.SOLUTIONS.items()}
EXTRA = [_EVICT]
