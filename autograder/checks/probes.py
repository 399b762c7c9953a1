"""Quick calls on tiny data that name a mistake in how generate_data builds
its arrays: targets broadcast to (n, n), which on real sizes are too big to
send back at all (so they are looked for before a check's first call), and a
fixed number of input columns (looked for when a check's calls failed
without saying why)."""
import contextlib

import numpy as np

from . import expect
from autograder.sandbox import StudentFailure

N_OBSERVATIONS = 7


@contextlib.contextmanager
def explaining_generate_data(student):
    """Run a check's calls of generate_data, naming a mistake in how it builds its arrays if it has one."""
    broadcast_mistake(student)
    try:
        yield
    except (AssertionError, StudentFailure) as error:
        if _worth_probing(error):
            columns_mistake(student)
        raise


def broadcast_mistake(student):
    """Raise expect.Mistake if the targets come out (n, n) on tiny data."""
    try:
        value = student.generate_data(N_OBSERVATIONS, np.array([1.0, 2.0]), 0.5, np.random.default_rng(2))
    except StudentFailure:
        return  # the check's own call says what happened
    if isinstance(value, (tuple, list)) and len(value) == 2 and np.shape(value[1]) == (N_OBSERVATIONS,) * 2:
        raise expect.Mistake("(n, 1) and (n,) broadcast to (n, n)", (
            f"with {N_OBSERVATIONS} observations the targets have shape {np.shape(value[1])}: adding a flat (n,) "
            "array (the noise drawn with size=n_observations?) to an (n, 1) column broadcasts to (n, n). Make "
            "every term a column, e.g. noise of size (n_observations, 1)"))


def columns_mistake(student):
    """Raise expect.Mistake if generate_data makes the same number of input columns whatever true_weights is."""
    for k in (1, 3):
        try:
            value = student.generate_data(N_OBSERVATIONS, np.linspace(1.0, 2.0, k), 0.5, np.random.default_rng(k))
        except StudentFailure as failure:
            if getattr(failure, "type_name", None) and _works_with_two_inputs(student):
                raise expect.Mistake("fixed number of input columns", (
                    f"generate_data works with 2 true_weights but not with {k} ({str(failure).splitlines()[0]}): "
                    "make one column per entry of true_weights, k = len(true_weights)")) from None
            return
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            return
        inputs = np.shape(value[0])
        if len(inputs) == 2 and inputs[0] == N_OBSERVATIONS and inputs[1] != k:
            raise expect.Mistake("fixed number of input columns", (
                f"with {k} true_weights the inputs have {inputs[1]} columns: make one column per entry of "
                "true_weights, k = len(true_weights)"))


def _worth_probing(error):
    """Probing calls generate_data again: only after an answer that was wrong, or an exception in the
    student's code (a hang or a crash would only repeat)."""
    return isinstance(error, AssertionError) or bool(getattr(error, "type_name", None))


def _works_with_two_inputs(student):
    try:
        student.generate_data(N_OBSERVATIONS, np.array([1.0, 2.0]), 0.5, np.random.default_rng(2))
    except StudentFailure:
        return False
    return True
