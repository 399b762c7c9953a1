"""Messages kept through JSON (trusted records, results.json), so that a stored
result can be said in another language later and compared by id.

In a stored document every Message stays the text it was (any reader of the
JSON reads the same strings as before), and each dict that held Messages gets
one more key, "said", naming for each of those fields the message's template
and values: {"message": "...", "said": {"message": {"template": ..., "values": ...}}}.
Restoring turns those fields back into Messages and drops the key; a document
without it (written before, or by hand) restores as the plain text it holds.
"""
import numbers

from . import Message

SAID = "said"


def record(message):
    """The template and values of a Message, as JSON can hold them (None for plain text)."""
    if not isinstance(message, Message):
        return None
    return {"template": message.template, "values": {name: _value(value) for name, value in message.values.items()},
            "language": message.language}


def message(recorded, text=None):
    """The Message a record describes (rendered as `text` when given: the text shown
    then, in whatever language it was shown)."""
    values = {name: _restored_value(value) for name, value in recorded["values"].items()}
    made = Message(recorded["template"], **values)
    if text is None or text == made:
        return made
    return Message._made(made.template, made.values, recorded.get("language") or "", text)


def kept(document):
    """A JSON-ready copy of `document` (dicts, lists, scalars, Messages) with every
    Message's template and values beside its text."""
    if isinstance(document, dict):
        copy, said = {}, {}
        for key, value in document.items():
            if isinstance(value, Message):
                said[key] = record(value)
            elif isinstance(value, (list, tuple)) and any(isinstance(item, Message) for item in value):
                said[key] = [record(item) for item in value]
            copy[key] = kept(value)
        if said:
            copy[SAID] = said
        return copy
    if isinstance(document, (list, tuple)):
        return [kept(item) for item in document]
    if isinstance(document, Message):
        return str(document)
    return document


def restored(document):
    """The inverse of kept: each field named under "said" becomes its Message again."""
    if isinstance(document, dict):
        said = document.get(SAID) if isinstance(document.get(SAID), dict) else {}
        copy = {key: restored(value) for key, value in document.items() if not (key == SAID and said)}
        for key, recorded in said.items():
            if key not in copy:
                continue
            if isinstance(recorded, dict):
                copy[key] = _restored(recorded, copy[key])
            elif isinstance(recorded, list) and isinstance(copy[key], list) and len(recorded) == len(copy[key]):
                copy[key] = [_restored(item, text) if isinstance(item, dict) else text
                             for item, text in zip(recorded, copy[key])]
        return copy
    if isinstance(document, list):
        return [restored(item) for item in document]
    return document


def _restored(recorded, text):
    try:
        return message(recorded, text if isinstance(text, str) else None)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return text  # a record that does not describe a message (edited by hand) keeps its text


# JSON has no tuples and no numpy scalars: a shape (3, 1) must come back as a
# tuple, or "{shape}" would read "[3, 1]".
def _value(value):
    if isinstance(value, Message):
        return {"message": record(value)}
    if isinstance(value, tuple):
        return {"tuple": [_value(item) for item in value]}
    if isinstance(value, list):
        return [_value(item) for item in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)  # anything else is kept as the text it was shown as


def _restored_value(value):
    if isinstance(value, dict) and "message" in value:
        return message(value["message"])
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_restored_value(item) for item in value["tuple"])
    if isinstance(value, list):
        return [_restored_value(item) for item in value]
    return value
