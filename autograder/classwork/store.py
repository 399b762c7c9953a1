"""The kit's record of each student's trusted grade, one JSON file per
student, replaced atomically so that a run killed at any moment leaves either
the old record or the new one, never half of one."""
import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..manifest import PACKAGE, grader_files


def kit_fingerprint():
    """A digest of the grader's code: change any of it and cached grades are redone."""
    digest = hashlib.sha256()
    for path in grader_files():
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load(path):
    """The record at `path`, or None if there is none (or it is not a record)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def save(path, document):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(document, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
