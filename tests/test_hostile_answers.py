"""Any reply is the student's answer, never the grader's failure: whatever value a
student's function returns (generated here with Hypothesis, and sent through the
real reply codec), grading ends with a report and no grader error."""
import numpy as np
from hypothesis import HealthCheck, example, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from autograder import contract
from autograder.grade import grading
from autograder.sandbox import failures, reference, wire
from samples import build

ARRAYS = hnp.arrays(st.sampled_from([np.float64, np.int64, np.bool_, np.complex128, np.float32, np.uint8]),
                    hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
LEAVES = (st.none() | st.booleans() | st.integers(min_value=-10**600, max_value=10**600) | st.floats()
          | st.text(max_size=5) | st.complex_numbers() | ARRAYS | st.just(wire.Unsupported("Generator")))
HOSTILE = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner, inner)
                       | st.dictionaries(st.text(max_size=3), inner, max_size=2), max_leaves=8)


def _honest(name, args, kwargs):
    if name in reference.HELPERS:
        return reference.HELPERS[name](*args, **kwargs)
    return None


class HostileSandbox:
    """Stands in for the sandbox: the functions in `hostile` return the generated value
    (encoded and decoded by the real codec), the others the reference helpers' answer."""
    hostile = {}

    def __init__(self, program, limits):
        self.confinement = ()

    def new_check(self):
        pass

    def close(self):
        pass

    def suspend(self):
        pass

    def notes(self):
        return []

    def incidents(self):
        return []

    def call(self, function, args=(), kwargs=None, *, return_arguments=False, **options):
        value = self.hostile.get(function, _honest(function, args, kwargs or {}))
        try:
            value = wire.decode(wire.encode(value))
        except wire.WireError as error:
            raise failures.BadAnswer(function, str(error)) from None
        return (value, list(args)) if return_arguments else value


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(contract.FUNCTIONS), HOSTILE, min_size=1))
@example({"l2_loss": 10 ** 400})  # once made grade exit 1
@example({"l2_loss": "0.5", "predict": [[1, "x"]], "train": (None, 2 ** 70, np.zeros((2, 0)))})
def test_no_returned_value_makes_the_grader_fail(tmp_path_factory, hostile):
    """Does any value any function returns end in failed checks, never in a grader error?"""
    path = build.write(build.notebook(), tmp_path_factory.mktemp("hostile") / contract.NOTEBOOK)
    HostileSandbox.hostile = hostile
    original, grading.Sandbox = grading.Sandbox, HostileSandbox
    try:
        report = grading.grade(path)
    finally:
        grading.Sandbox = original
    assert not report.grader_errors, report.grader_errors[:1]
    report.to_dict()  # the record of it can be written too
