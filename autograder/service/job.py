"""One check as a worker does it, on either kind of worker: the notebook's
bytes in, the outcome out as plain JSON data (a Report's dict, or why there
is none), so that it crosses a process pool or a Celery result store alike.

A worker grades with the kit it runs; a job carries the fingerprint of the
kit that asked, and a worker running another version refuses it rather than
answer with other checks than the server's.
"""
import dataclasses
import functools
import tempfile
from pathlib import Path

from ..classwork import batch, store
from ..grade.results import Report
from ..language import say
from ..sandbox import Limits, warm_up

REPORT, UNREADABLE, GRADER_FAILURE = "report", "unreadable", "grader_failure"
# The file a worker writes the notebook to: the name the client gave is only ever text in messages.
ON_DISK = "notebook.ipynb"


@functools.cache
def kit():
    """The fingerprint of this process's grading code, read once (the code it runs is the code it loaded)."""
    return store.kit_fingerprint()


def warm():
    """Make this process ready to grade: the grader's imports and the sandbox's nursery, once."""
    from ..grade import grading  # noqa: F401 (pytest, NumPy and the checks' helpers, imported once)
    warm_up()
    kit()


def limits_document(limits):
    return dataclasses.asdict(limits)


def limits_from(document):
    known = {field.name for field in dataclasses.fields(Limits)}
    return Limits(**{name: value for name, value in (document or {}).items() if name in known})


def run(name, data, limits_doc, expected_kit):
    """Grade the notebook `data` (bytes) that its sender calls `name`: the outcome document."""
    if expected_kit != kit():
        return {"kind": GRADER_FAILURE, "message": say(
            "this worker runs another version of the kit ({mine}) than the one that sent the check ({theirs}): "
            "update and restart the workers", mine=kit()[:12], theirs=str(expected_kit)[:12])}
    with tempfile.TemporaryDirectory(prefix="simple-nn-check-") as folder:
        path = Path(folder) / ON_DISK
        path.write_bytes(data)
        outcome = batch.grade_one(path, limits_from(limits_doc))
        return encode(outcome, name, str(path))


def encode(outcome, name, path):
    """A batch outcome as JSON data, with the worker's file named as its sender named it."""
    if isinstance(outcome, batch.Unreadable):
        message = outcome.message
        if message.startswith(path):
            message = name + message[len(path):]
        return {"kind": UNREADABLE, "message": message}
    if isinstance(outcome, batch.GraderFailure):
        return {"kind": GRADER_FAILURE, "message": outcome.message}
    outcome.notebook = name
    return {"kind": REPORT, "report": outcome.to_dict()}


def decode(document):
    """The batch outcome (Report, batch.Unreadable or batch.GraderFailure) of an outcome document."""
    kind = document.get("kind") if isinstance(document, dict) else None
    if kind == REPORT:
        return Report.from_dict(document["report"])
    if kind == UNREADABLE:
        return batch.Unreadable(document["message"])
    if kind == GRADER_FAILURE:
        return batch.GraderFailure(document["message"])
    return batch.GraderFailure(say("a worker answered with something that is not an outcome: {what}",
                                   what=repr(document)[:200]))
