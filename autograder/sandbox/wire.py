"""The wire between the grader and the sandbox worker.

Frames are a 4-byte big-endian length and a payload. The grader sends its
requests as pickles (the worker may trust the grader). The worker answers in
a format the grader decodes strictly, because the worker runs student code:
JSON for the structure plus raw bytes for numeric arrays, never pickle, so a
reply can only ever be data (numbers, strings, arrays), never code or objects
with behaviour.

This module is imported by the worker before it confines itself: stdlib and
numpy only.
"""
import json
import struct

import numpy as np

HEADER = struct.Struct(">I")
# Deeply nested or huge replies are not plausible answers, only attacks on the grader.
MAX_DEPTH = 16
MAX_ITEMS = 100_000
MAX_DIMENSIONS = 32  # numpy's own limit
# The JSON part of a reply (arrays travel as raw bytes beside it): an answer's
# structure takes a few hundred bytes, and decoding JSON costs many times its size.
MAX_DOCUMENT_BYTES = 2**20
# Array dtypes a reply may carry: booleans, integers, floats, complex numbers.
ARRAY_KINDS = "biufc"
# Integers beyond any float (10 ** 400) come back as an infinite float of their
# sign: no answer is right that large, and the checks read every number as a float.
LARGEST_INTEGER = 2**1023


class WireError(Exception):
    """A reply the grader cannot accept as data."""


class Unsupported:
    """Stands for a returned object that is not plain data (a Generator, a class instance...)."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name} object>"

    def __eq__(self, other):
        return isinstance(other, Unsupported) and other.type_name == self.type_name


def frame(payload):
    return HEADER.pack(len(payload)) + payload


# ---------------------------------------------------------------- encoding (worker side)

def encode(value):
    """Encode plain data as bytes: a JSON document followed by the arrays' raw bytes."""
    buffers = []
    tree = _to_tree(value, buffers, depth=0)
    document = json.dumps(tree, allow_nan=True).encode("utf-8")
    return HEADER.pack(len(document)) + document + b"".join(buffers)


def _to_tree(value, buffers, depth):
    if depth > MAX_DEPTH:
        return {"unsupported": "deeply nested data"}
    if value is None or isinstance(value, (bool, str)):
        return {"v": value}
    if type(value) is int or type(value) is float:
        return {"v": value}
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
        data = np.ascontiguousarray(value).tobytes()
        buffers.append(data)
        return {"array": [value.dtype.str, list(value.shape), len(data)]}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        return {"scalar": [value.dtype.str, _plain(value.item())]}
    if type(value) in (list, tuple):
        if len(value) > MAX_ITEMS:
            return {"unsupported": f"{type(value).__name__} of {len(value)} items"}
        items = [_to_tree(item, buffers, depth + 1) for item in value]
        return {type(value).__name__: items}
    if type(value) is dict and all(type(key) is str for key in value) and len(value) <= MAX_ITEMS:
        return {"dict": [[key, _to_tree(item, buffers, depth + 1)] for key, item in value.items()]}
    if isinstance(value, (bool, int, float, np.bool_)):  # subclasses: keep the value, not the behaviour
        return {"v": _plain(value)}
    return {"unsupported": type(value).__name__}


def _plain(item):
    if isinstance(item, complex):
        return [item.real, item.imag]
    if isinstance(item, bool):
        return bool(item)
    if isinstance(item, int):
        return int(item)
    return float(item)


# ---------------------------------------------------------------- decoding (grader side)

def decode(payload):
    """Decode a reply; raise WireError for anything that is not well-formed plain data.

    Every reply is suspect (student code can write any bytes to the pipe), so
    no input makes this raise anything else or take more than linear time."""
    try:
        (length,) = HEADER.unpack_from(payload)
        if length > MAX_DOCUMENT_BYTES:
            raise WireError(f"a reply whose structure takes {length} bytes (numbers belong in arrays)")
        document = json.loads(payload[HEADER.size:HEADER.size + length].decode("utf-8"))
    except (struct.error, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise WireError(f"unreadable reply ({str(error)[:100]})") from None
    rest = memoryview(payload)[HEADER.size + length:]
    offset = [0]
    try:
        value = _from_tree(document, rest, offset, depth=0)
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        raise WireError("malformed reply") from None
    if offset[0] != len(rest):
        raise WireError("reply has trailing bytes")
    return value


def _from_tree(node, rest, offset, depth):
    if depth > MAX_DEPTH + 1 or not isinstance(node, dict) or len(node) != 1:
        raise WireError("malformed reply")
    (tag, body), = node.items()
    if tag == "v":
        if type(body) is int and abs(body) > LARGEST_INTEGER:
            return float("inf") if body > 0 else float("-inf")
        if body is None or isinstance(body, (bool, int, float, str)):
            return body
    elif tag in ("list", "tuple"):
        if isinstance(body, list) and len(body) <= MAX_ITEMS:
            items = [_from_tree(item, rest, offset, depth + 1) for item in body]
            return items if tag == "list" else tuple(items)
    elif tag == "dict":
        if isinstance(body, list) and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in body):
            return {key: _from_tree(item, rest, offset, depth + 1) for key, item in body}
    elif tag == "array":
        return _array(body, rest, offset)
    elif tag == "scalar":
        return _scalar(body)
    elif tag == "unsupported":
        if isinstance(body, str):
            return Unsupported(body[:80])
    raise WireError("malformed reply")


def _dtype(name):
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise WireError("malformed reply") from None
    if not isinstance(name, str) or dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype:
        raise WireError("malformed reply")
    return dtype


def _array(body, rest, offset):
    if not (isinstance(body, list) and len(body) == 3 and isinstance(body[1], list)
            and all(type(n) is int and n >= 0 for n in body[1]) and type(body[2]) is int):
        raise WireError("malformed reply")
    dtype, shape, nbytes = _dtype(body[0]), tuple(body[1]), body[2]
    if len(shape) > MAX_DIMENSIONS:
        raise WireError("malformed reply")
    size = 1
    for n in shape:  # Python integers: a forged shape cannot overflow the check
        size *= n
    if size * dtype.itemsize != nbytes or offset[0] + nbytes > len(rest):
        raise WireError("malformed reply")
    data = bytes(rest[offset[0]:offset[0] + nbytes])
    offset[0] += nbytes
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _scalar(body):
    if not (isinstance(body, list) and len(body) == 2):
        raise WireError("malformed reply")
    dtype, item = _dtype(body[0]), body[1]
    if isinstance(item, list) and len(item) == 2 and dtype.kind == "c":
        item = complex(*item)
    if not isinstance(item, (bool, int, float, complex)):
        raise WireError("malformed reply")
    return dtype.type(item)
