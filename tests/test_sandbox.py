"""The sandbox: student code runs confined, and every way it can misbehave
costs only the function that misbehaved."""
import os
import time

import numpy as np
import pytest

from autograder.grade import program
from autograder.grade.notebook import CodeCell
from autograder.sandbox import Limits, Sandbox, failures, wire
from conftest import ROOT, sandbox_group, sandbox_processes

FAST = Limits(call_seconds=2, define_seconds=2)


def sandbox(*sources, limits=FAST):
    cells = [CodeCell(number, source, None) for number, source in enumerate(sources, 1)]
    return Sandbox(program.build(cells), limits)


GOOD = "import numpy as np\ndef predict(inputs, weights, bias):\n    return inputs @ weights + bias\n"


def test_returns_the_functions_answer_as_data():
    """Does a call return what the student's function returned, as plain data?"""
    with sandbox(GOOD) as box:
        outputs = box.call("predict", (np.ones((3, 2)), np.ones((2, 1)), np.array([0.5])))
    assert isinstance(outputs, np.ndarray) and np.array_equal(outputs, np.full((3, 1), 2.5))


def test_exceptions_name_the_function_and_show_the_students_lines_only():
    """Does an exception come back with the student's own traceback lines, and none of the grader's?"""
    with sandbox("def predict(inputs, weights, bias):\n    return inputs @ weights + missing\n") as box:
        with pytest.raises(failures.Raised) as error:
            box.call("predict", (np.ones((3, 2)), np.ones((2, 1)), 0.0))
    message = str(error.value)
    assert message.startswith("predict raised NameError: name 'missing' is not defined")
    assert '"<the cell that starts with `def predict(inputs, weights, bias):`>", line 2, in predict' in message
    assert "worker.py" not in message


def test_missing_and_unimplemented_functions():
    """Are a missing function and a NotImplementedError stub reported as such?"""
    with sandbox("def predict(inputs, weights, bias):\n    raise NotImplementedError()\n") as box:
        with pytest.raises(failures.NotImplementedYet, match="not implemented yet"):
            box.call("predict", (1, 2, 3))
        with pytest.raises(failures.NotDefined, match="l2_loss is not defined"):
            box.call("l2_loss", (1, 2))


def test_a_hang_that_ignores_signals_costs_only_its_function():
    """Does an endless loop that ignores SIGINT, SIGTERM and SIGALRM time out, while other functions still work?"""
    hang = ("import signal\ndef train(*args, **kwargs):\n"
            "    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):\n        signal.signal(s, signal.SIG_IGN)\n"
            "    while True:\n        pass\n")
    with sandbox(GOOD, hang) as box:
        with pytest.raises(failures.TimedOut, match="timed out after 2 s"):
            box.call("train", ())
        started = time.monotonic()
        with pytest.raises(failures.TimedOut):
            box.call("train", ())
        assert time.monotonic() - started < 1, "a function that hung once should fail at once the next time"
        assert box.call("predict", (np.ones((1, 1)), np.ones((1, 1)), 1.0)).shape == (1, 1)


@pytest.mark.parametrize("body, failure, words", [
    ("    chunks = []\n    while True:\n        chunks.append(bytes(10**8))\n", failures.OutOfMemory, "memory limit"),
    ("    return np.ones(10**11)\n", failures.OutOfMemory, "memory limit"),
    ("    while True:\n        print('x' * 10000)\n", failures.TooMuchOutput, "output limit"),
    ("    import sys\n    sys.exit(0)\n", failures.Exited, "exit status 0"),
    ("    import os\n    os._exit(3)\n", failures.Exited, "exit status 3"),
    ("    import ctypes\n    ctypes.string_at(0)\n", failures.Crashed, "SIGSEGV"),
])
def test_resource_abuse_costs_only_its_function(body, failure, words):
    """Do a memory hog, an output flood, an exit and a crash each fail only the function that did it?"""
    with sandbox(GOOD, "import numpy as np\ndef l2_loss(outputs, targets):\n" + body) as box:
        with pytest.raises(failure, match=words):
            box.call("l2_loss", (1, 2))
        assert box.call("predict", (np.ones((1, 1)), np.ones((1, 1)), 1.0)).shape == (1, 1)


def test_a_definition_that_hangs_costs_only_what_it_defines():
    """Does a decorator that never returns cost only its function, with a note saying so?"""
    with sandbox(GOOD, "def forever(f):\n    while True:\n        pass\n@forever\ndef l2_loss(outputs, targets):\n"
                       "    return 0.0\n") as box:
        with pytest.raises(failures.NotDefined, match="did not finish within 1 s"):
            box.call("l2_loss", (1, 2))
        assert box.call("predict", (np.ones((1, 1)), np.ones((1, 1)), 1.0)).shape == (1, 1)
        assert any("the cell that starts with `def forever(f):`, line 4" in note for note in box.notes())


def test_top_level_statements_do_not_run():
    """Does a top-level endless loop in a cell leave its functions gradable?"""
    with sandbox(GOOD + "while True:\n    pass\n") as box:
        assert box.call("predict", (np.ones((1, 1)), np.ones((1, 1)), 1.0)).shape == (1, 1)


def test_detached_processes_are_killed():
    """Is a child the student detaches (fork, new session) killed when the sandbox closes?"""
    source = ("import os, time\ndef predict(inputs, weights, bias):\n    pid = os.fork()\n    if pid == 0:\n"
              "        os.setsid()\n        if os.fork():\n            os._exit(0)\n        time.sleep(600)\n"
              "        os._exit(0)\n    os.waitpid(pid, 0)\n    return 0\n")
    with sandbox(source) as box:
        box.call("predict", (1, 2, 3))
        group = sandbox_group(box)
        assert sandbox_processes(group)
    time.sleep(0.2)
    assert not sandbox_processes(group), "a detached child of the student's code outlived the sandbox"


def _cmdline(pid):
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return b""


def test_student_code_cannot_read_or_write_the_kit():
    """Is the kit (hidden checks, solutions) unreadable and unwritable from student code, where Landlock exists?"""
    source = ("def l2_loss(outputs, targets):\n    return open(outputs).read()\n"
              "def predict(path, text, bias):\n    open(path, 'w').write(text)\n    return 0\n")
    with sandbox(source) as box:
        box.call("l2_loss", (os.devnull, None))  # start the worker to learn its confinement
        if "landlock" not in box.confinement:
            pytest.skip("this kernel has no Landlock")
        for secret in (ROOT / "autograder" / "checks" / "test_train.py", ROOT / "source" / "simple_nn" / "simple_nn.ipynb"):
            with pytest.raises(failures.Raised, match="PermissionError"):
                box.call("l2_loss", (str(secret), None))
        with pytest.raises(failures.Raised, match="PermissionError"):
            box.call("predict", (str(ROOT / "autograder" / "planted.py"), "x", 0))
    assert not (ROOT / "autograder" / "planted.py").exists()


def test_the_grader_package_is_not_importable_inside():
    """Can student code not import the grader's own modules (its oracles) from the sandbox?"""
    with sandbox("def l2_loss(outputs, targets):\n    import autograder.checks.oracles\n    return 0.0\n") as box:
        with pytest.raises(failures.Raised, match="ModuleNotFoundError"):
            box.call("l2_loss", (1, 2))


def test_objects_with_behaviour_come_back_as_names():
    """Does a returned object whose __eq__ always says yes arrive as a harmless name?"""
    with sandbox("class Yes:\n    def __eq__(self, other):\n        return True\n"
                 "def l2_loss(outputs, targets):\n    return Yes()\n") as box:
        assert box.call("l2_loss", (1, 2)) == wire.Unsupported("Yes")


def test_reference_helpers_are_swapped_in_and_back():
    """During a reference_helpers call, do the student's helpers give way to the reference ones, and come back after?"""
    source = ("import numpy as np\ndef predict(inputs, weights, bias):\n    return 'student'\n"
              "def train(*args, **kwargs):\n    return predict(np.ones((1, 2)), np.ones((2, 1)), np.ones(1))\n")
    with sandbox(source) as box:
        assert box.call("train", ()) == "student"
        reference = box.call("train", (), reference_helpers=True)
        assert isinstance(reference, np.ndarray) and reference.item() == 3
        assert box.call("train", ()) == "student"


def test_global_seed_and_arguments_after_the_call():
    """Can a check set np.random's global state, and see arguments a function changed in place?"""
    source = ("import numpy as np\ndef init_params(n_inputs, rng):\n    return np.random.uniform(size=n_inputs)\n"
              "def update_params(weights, bias, gw, gb, rate):\n    weights -= rate * gw\n    return weights, bias\n")
    with sandbox(source) as box:
        first = box.call("init_params", (3, None), global_seed=1)
        assert np.array_equal(first, box.call("init_params", (3, None), global_seed=1))
        assert not np.array_equal(first, box.call("init_params", (3, None), global_seed=2))
        _, after = box.call("update_params", (np.ones(2), 0, np.ones(2), 0, 0.5), return_arguments=True)
        assert np.array_equal(after[0], [0.5, 0.5])


def test_third_party_imports_wait_until_used():
    """Is matplotlib, imported at the top of a cell, loaded only when a function uses it?"""
    source = ("import sys\nimport matplotlib.pyplot as plt\n"
              "def l2_loss(outputs, targets):\n    return 'matplotlib.pyplot' in sys.modules\n"
              "def predict(inputs, weights, bias):\n    plt.figure()\n    return 'matplotlib.pyplot' in sys.modules\n")
    with sandbox(source, limits=Limits(call_seconds=30)) as box:
        assert box.call("l2_loss", (1, 2)) is False
        assert box.call("predict", (1, 2, 3)) is True


def test_a_helper_that_kills_the_worker_does_not_cost_train_its_own_checks():
    """When train dies through the student's predict, does train with the reference helpers still run?"""
    source = ("import os\ndef predict(inputs, weights, bias):\n    os._exit(1)\n"
              "def train(inputs, targets, weights, bias):\n    return predict(inputs, weights, bias)\n")
    arguments = (np.ones((2, 1)), np.ones((2, 1)), np.ones((1, 1)), np.zeros(1))
    with sandbox(source) as box:
        with pytest.raises(failures.Exited):
            box.call("train", arguments)
        assert box.call("train", arguments, reference_helpers=True).shape == (2, 1)
        assert box.incidents() == ["train exited the Python process (exit status 1): never call sys.exit, "
                                   "exit() or os._exit in a function"]


def test_one_sandbox_of_a_notebook_alive_at_a_time(tmp_path, monkeypatch):
    """While any sandbox of a notebook runs a call (the pipeline's learner too), is no other one of it alive?"""
    from autograder.grade import grading
    from autograder.sandbox.box import Box
    from samples import build
    alive_during_calls = []
    real_call = Sandbox.call

    def call(self, *args, **kwargs):
        value = real_call(self, *args, **kwargs)
        alive_during_calls.append(len(Box.live))
        return value
    monkeypatch.setattr(Sandbox, "call", call)
    report = grading.grade(build.write(build.notebook(), tmp_path / "simple_nn.ipynb"))
    assert report.score == report.max_score and not report.grader_errors
    assert max(alive_during_calls) == 1 and len(alive_during_calls) > 20
