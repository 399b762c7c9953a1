"""Run the release's visible test cells on sample submissions, in one real
Jupyter kernel: one request runs every sample, each in a namespace of its
own, so the whole corpus costs one kernel start and one round trip."""
import json

import nbformat
from jupyter_client.manager import start_new_kernel

from autograder import contract
from conftest import RELEASE
from samples import corpus

# The kernel's own stderr (it warns that it talks over local TCP) is noise here.
QUIET = ["--IPKernelApp.log_level=ERROR"]

DRIVER = r'''
import contextlib as _contextlib
import io as _io
import json as _json
_outcomes = {}
for _name, (_code, _tests) in _json.loads(_SAMPLES).items():
    _namespace = {"__name__": "__main__"}
    exec(_SETUP, _namespace)
    for _source in _code:
        try:
            exec(_source, _namespace)
        except Exception:
            pass  # a definition that fails shows in the test cells that use it
    _outcomes[_name] = {}
    for _test in _tests:
        try:
            with _contextlib.redirect_stdout(_io.StringIO()):  # what passing cells print
                exec(_TESTS[_test], _namespace)
            _outcomes[_name][_test] = None
        except BaseException as _error:
            _outcomes[_name][_test] = f"{type(_error).__name__}: {_error}"
print(_json.dumps(_outcomes))
'''


def release_cells():
    """{grade_id: source} of the release's cells that have one."""
    release = nbformat.read(RELEASE, as_version=4)
    return {cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source for cell in release.cells}


def answer_cells(sample):
    """The sources of the sample's answer cells and added cells, in notebook order."""
    cells = sample.notebook()["cells"]
    answers = set(contract.FUNCTIONS)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells
            if c["cell_type"] == "code" and (c.get("metadata", {}).get("nbgrader", {}).get("grade_id") in answers
                                             or str(c.get("id", "")).startswith("student-added"))]


def run(plan, timeout=120):
    """plan: {sample name: [tags whose test cells to run]}. Returns {sample name: {tag: error text or None}}
    and the kernel's output for one test cell run as a real cell (the release's first, on its stubs)."""
    cells = release_cells()
    tests = {tag: cells[contract.grade_cell_id(tag)] for tag in contract.TAGS}
    # matplotlib is for the lesson's plots: no test cell uses it, and importing it costs seconds.
    setup = "\n".join(line for line in cells["setup"].splitlines() if "matplotlib" not in line)
    samples = {name: (answer_cells(corpus.by_name(name)), tags) for name, tags in plan.items()}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(RELEASE.parent), extra_arguments=QUIET)
    try:
        client.execute_interactive(f"_SETUP = {setup!r}\n_TESTS = {tests!r}\n_SAMPLES = {json.dumps(samples)!r}",
                                   timeout=timeout)
        printed = []
        client.execute_interactive(DRIVER, timeout=timeout, output_hook=lambda message: printed.append(message))
        text = "".join(m["content"].get("text", "") for m in printed if m["msg_type"] == "stream")
        errors = [m["content"] for m in printed if m["msg_type"] == "error"]
        assert not errors, errors
        as_cell = []
        first = contract.FUNCTIONS[0]
        client.execute_interactive("\n".join([setup, cells[first], tests[first]]), timeout=timeout,
                                   output_hook=lambda message: as_cell.append(message))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return json.loads(text), [m for m in as_cell if m["msg_type"] == "error"]
