"""The reply codec: only plain data crosses from the sandbox to the grader."""
import json
import struct

import numpy as np
import pytest

from autograder.sandbox import wire


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_plain_data_survives_the_trip():
    """Do arrays, numbers, strings, lists, tuples and dicts come back equal, with their types?"""
    value = {"a": (np.arange(6.0).reshape(2, 3), [1, 2.5, None, "x", True]), "b": np.float32(1.5),
             "c": np.zeros((0, 3), dtype=np.int16), "d": np.array(2.0), "e": 3 + 0j}
    back = roundtrip(value)
    assert np.array_equal(back["a"][0], value["a"][0]) and back["a"][0].dtype == np.float64
    assert isinstance(back["a"], tuple) and back["a"][1] == [1, 2.5, None, "x", True]
    assert back["b"] == np.float32(1.5) and isinstance(back["b"], np.float32)
    assert back["c"].shape == (0, 3) and back["c"].dtype == np.int16
    assert back["d"].shape == ()


def test_objects_come_back_as_names_not_objects():
    """Does anything that is not plain data (a Generator, a class instance) arrive only as its type name?"""
    class Sneaky:
        def __eq__(self, other):
            return True
    back = roundtrip([np.random.default_rng(0), Sneaky(), np.array([object()], dtype=object)])
    assert back == [wire.Unsupported("Generator"), wire.Unsupported("Sneaky"), wire.Unsupported("ndarray")]


def test_subclasses_of_numbers_lose_their_behaviour():
    """Does a float subclass with a lying __eq__ arrive as a plain float?"""
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True
    back = roundtrip(AlwaysEqual(2.0))
    assert type(back) is float and back != 3.0


def document(tree, tail=b""):
    body = json.dumps(tree).encode()
    return struct.pack(">I", len(body)) + body + tail


@pytest.mark.parametrize("payload", [
    b"", b"\x00\x00\x00\x05{}", document({"nope": 1}), document({"v": [1]}),
    document({"array": ["|O", [1], 8]}, b"\x00" * 8),  # object dtype (would need pickle)
    document({"array": ["<f8", [2], 16]}, b"\x00" * 8),  # claims more bytes than sent
    document({"array": ["<f8", [1], 8]}, b"\x00" * 9),  # trailing bytes
    document({"array": ["V8", [1], 8]}, b"\x00" * 8),  # raw void bytes
    document({"dict": [[1, {"v": 2}]]}),
    # Forged by student code that writes to the pipe itself: each once raised in the grader.
    document({"array": ["<f8", [2**62, 2**62], 0]}),  # a shape whose size overflows int64
    document({"array": ["<f8", [10**30], 8]}, b"\x00" * 8),  # a dimension beyond any integer type
    document({"array": ["<f8", [1] * 40, 8]}, b"\x00" * 8),  # more dimensions than numpy has
    document({"array": [["<f8", 1], [1], 8]}, b"\x00" * 8),  # a structured dtype
    document({"scalar": ["<i8", 10**30]}),  # a scalar that overflows its dtype
    document({"scalar": ["<M8", 1]}),  # a date, not a number
    struct.pack(">I", 200_002) + b"[" * 100_001 + b"]" * 100_001,  # nesting beyond the JSON parser's recursion
    document({"list": [{"v": 1.0}] * 90_000}),  # a structure of over 1 MB
])
def test_malformed_replies_are_rejected(payload):
    """Is every reply that is not well-formed plain data refused?"""
    with pytest.raises(wire.WireError):
        wire.decode(payload)


def test_deep_nesting_is_cut_off():
    """Does an absurdly nested reply arrive truncated rather than exhaust the grader?"""
    value = []
    for _ in range(100):
        value = [value]
    back = roundtrip(value)
    depth = 0
    while isinstance(back, list) and back:
        back, depth = back[0], depth + 1
    assert depth <= wire.MAX_DEPTH + 1 and isinstance(back, wire.Unsupported)


# ---------------------------------------------------------------- generated replies (Hypothesis)

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

JSON_LEAVES = st.none() | st.booleans() | st.integers(min_value=-10**500, max_value=10**500) | st.floats() | st.text(
    max_size=20)
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["v", "list", "tuple", "dict", "array", "scalar", "unsupported", "x"]), inner, max_size=2),
    max_leaves=20)
# Trees built from the codec's own tags, with bodies of any shape: closer to what a forger writes.
TAGGED = st.recursive(
    st.builds(lambda tag, body: {tag: body}, st.sampled_from(["v", "array", "scalar", "unsupported"]), JSON),
    lambda inner: st.builds(lambda tag, body: {tag: body}, st.sampled_from(["list", "tuple", "dict"]),
                            st.lists(inner | st.lists(JSON | inner, max_size=3), max_size=4)), max_leaves=12)


def _decoded_or_refused(payload):
    try:
        wire.decode(payload)
    except wire.WireError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_any_bytes_are_data_or_refused(payload):
    """Do any bytes at all decode to data or raise WireError, and nothing else?"""
    _decoded_or_refused(payload)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON, TAGGED), st.binary(max_size=64))
def test_any_forged_document_is_data_or_refused(tree, tail):
    """Does any JSON document (in the codec's own tags or not), with any bytes after it, decode or raise WireError?"""
    try:
        body = json.dumps(tree).encode()
    except ValueError:  # an integer too long for json to write
        return
    _decoded_or_refused(struct.pack(">I", len(body)) + body + tail)


def _numbers(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    else:
        yield value


HOSTILE = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**1000, max_value=10**1000) | st.floats() | st.text(
        max_size=10) | st.complex_numbers(),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=3), inner,
                                                                                          max_size=2),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(HOSTILE)
def test_every_number_that_comes_back_is_one_a_float_can_hold(value):
    """Does every integer a student returns come back as one that converts to a float (10 ** 400 as infinity)?"""
    try:
        back = wire.decode(wire.encode(value))
    except wire.WireError:
        return
    for number in _numbers(back):
        if type(number) is int:
            float(number)  # raises OverflowError beyond any float
