"""The instructor notebook: a complete lesson whose solutions pass every test."""
import ast
import re

import nbformat
import pytest
from nbgrader.validator import Validator

from autograder import contract
from lesson import run_to_convergence
from conftest import SOURCE

# Where the lesson says training has converged, and how close it must be there.
WEIGHT_TOLERANCE = 0.05
BIAS_TOLERANCE = 0.1


@pytest.fixture(scope="module")
def source():
    return nbformat.read(SOURCE, as_version=4)


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def grade_ids(nb):
    return [nbgrader_meta(cell).get("grade_id") for cell in nb.cells]


def test_every_function_has_an_answer_cell_followed_by_its_test_cell(source):
    """Does each answer cell sit directly before its test cell (add_missing_cells relies on it)?"""
    ids = grade_ids(source)
    for name in contract.FUNCTIONS:
        assert name in ids, f"no answer cell with grade_id {name!r}"
        at = ids.index(name)
        answer, tests = source.cells[at], source.cells[at + 1]
        assert nbgrader_meta(answer)["solution"] and not nbgrader_meta(answer)["grade"]
        assert ids[at + 1] == contract.grade_cell_id(name), f"{name}'s answer cell is not followed by its test cell"
        assert nbgrader_meta(tests)["grade"] and nbgrader_meta(tests)["locked"] and nbgrader_meta(tests)["points"] > 0
        assert f"def {name}(" in answer.source


def test_the_pipeline_test_cell_follows_a_graded_cell(source):
    """Can nbgrader put the pipeline test cell back after the cell before it?"""
    ids = grade_ids(source)
    at = ids.index(contract.grade_cell_id(contract.PIPELINE))
    assert nbgrader_meta(source.cells[at])["grade"]
    assert ids[at - 1] == contract.grade_cell_id("train")


def test_signatures_match_the_contract(source):
    """Do the answer cells define exactly the documented signatures, with shapes in every docstring?"""
    expected = {
        "generate_data": "n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0",
        "init_params": "n_inputs, rng, init_range=0.1",
        "predict": "inputs, weights, bias",
        "l2_loss": "outputs, targets",
        "compute_gradients": "inputs, outputs, targets",
        "update_params": "weights, bias, grad_weights, grad_bias, learning_rate",
        "train": "inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100",
    }
    ids = grade_ids(source)
    for name, signature in expected.items():
        function = ast.parse(source.cells[ids.index(name)].source).body[0]
        assert isinstance(function, ast.FunctionDef) and function.name == name
        assert ast.unparse(function.args) == signature
        assert "shape" in ast.get_docstring(function)


def test_the_written_answer_is_graded_by_hand(source):
    """Is the written question a manually graded markdown answer cell with points?"""
    cell = source.cells[grade_ids(source).index(contract.WRITTEN_ANSWER)]
    meta = nbgrader_meta(cell)
    assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"] and meta["points"] > 0


def test_all_randomness_is_seeded(source):
    """Does every random number come from np.random.default_rng(seed)?"""
    code = "\n".join(cell.source for cell in source.cells if cell.cell_type == "code")
    uses = set(re.findall(r"np\.random\.(\w+)", code))
    assert uses == {"default_rng"}
    assert "default_rng()" not in code, "a generator without a seed gives different numbers on every run"


def test_the_setup_cell_silences_warnings(source):
    """Is the setup cell locked and does it silence warnings (nbgrader scores stderr as failure)?"""
    cell = source.cells[grade_ids(source).index("setup")]
    assert nbgrader_meta(cell)["locked"]
    assert 'warnings.filterwarnings("ignore")' in cell.source


def test_source_passes_all_its_own_tests_hidden_ones_included():
    """Does nbgrader's Validator find no failing test cell in the source notebook?"""
    assert Validator().validate(str(SOURCE)) == {}


@pytest.fixture(scope="module")
def executed():
    """The source notebook run end to end, and what it learned where it says it converged."""
    return run_to_convergence(SOURCE)


def test_training_converges_where_the_lesson_says_so(executed):
    """Are the weights within 0.05 of (2, -3) and the bias within 0.1 of 5 at the 'converged' cell?"""
    _, learned = executed
    assert learned["weights"] == pytest.approx([2.0, -3.0], abs=WEIGHT_TOLERANCE)
    assert learned["bias"] == pytest.approx([5.0], abs=BIAS_TOLERANCE)


def test_no_cell_writes_to_stderr(executed):
    """Does the solution run without a single stderr line (which nbgrader scores as a failure)?"""
    nb, _ = executed
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            assert not (output.output_type == "stream" and output.name == "stderr"), cell.source


def test_the_lesson_draws_both_plots(executed):
    """Does the lesson show outputs against targets and the loss curve?"""
    nb, _ = executed
    images = [o for cell in nb.cells for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "no plot was drawn"
