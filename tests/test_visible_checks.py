"""The release's visible test cells teach like the hidden checks: run in a
real kernel on the corpus's samples, each names its function's likely mistake
in the same words as `check`, says when a function it builds on fails first,
and a stub gets one sentence, not a traceback."""
import ast
import contextlib
import io

import nbformat
import numpy as np
import pytest

from autograder import contract
from conftest import RELEASE
from samples import corpus
from visible import run

# One mistake in one function, with the words its message must contain.
MISTAKES = [s for s in corpus.by_kind(corpus.WRONG) if s.cause and len(s.loses) == 1]
# The mistakes the issue that asked for these cells names: all of them must be named in the visible cells.
COMMON = ["compute_gradients_no_n", "compute_gradients_sign_flipped", "compute_gradients_twice", "l2_loss_no_half",
          "generate_data_flat_targets", "init_params_flat_weights", "predict_flat_outputs", "update_params_in_place",
          "generate_data_global_random", "init_params_global_random", "init_params_own_generator",
          "train_discards_updates", "update_params_bias_unchanged", "generate_data_noise_broadcast"]


def function(sample):
    return next(iter(sample.loses))


@pytest.fixture(scope="module")
def outcomes():
    """Every planned test cell's outcome, from one kernel and one request."""
    plan = {sample.name: [function(sample)] + (["train"] if function(sample) in contract.TRAIN_HELPERS else [])
            for sample in MISTAKES}
    plan["lesson_solution"] = list(contract.TAGS)
    plan["release_stubs"] = list(contract.FUNCTIONS)
    plan["generate_data_no_noise"] = ["generate_data", "pipeline"]
    return run(plan)


def test_every_common_mistake_is_in_the_corpus():
    """Is each common mistake the cells must name a sample of the corpus (so the next tests cover it)?"""
    assert set(COMMON) <= {sample.name for sample in MISTAKES}


def test_the_solution_passes_every_visible_cell(outcomes):
    """Does the lesson's own solution pass every visible test cell, the pipeline's included?"""
    results, _ = outcomes
    assert results["lesson_solution"] == {tag: None for tag in contract.TAGS}


@pytest.mark.parametrize("sample", MISTAKES, ids=lambda sample: sample.name)
def test_the_visible_cell_names_the_likely_cause(outcomes, sample):
    """Does the mistake's own test cell fail with a message that names its cause, as `check` does?"""
    results, _ = outcomes
    message = results[sample.name][function(sample)]
    assert message and message.startswith("CheckFailed: ")
    assert sample.cause.lower() in message.lower()


@pytest.mark.parametrize("sample", [s for s in MISTAKES if function(s) in contract.TRAIN_HELPERS],
                         ids=lambda sample: sample.name)
def test_train_says_which_function_to_fix_first(outcomes, sample):
    """When a function train calls is wrong, does train's cell say to fix that function first, with its cause?"""
    results, _ = outcomes
    message = results[sample.name]["train"]
    assert f"train uses {function(sample)}, which fails its own visible checks" in message
    assert f"fix {function(sample)} first" in message and sample.cause.lower() in message.lower()


def test_the_pipeline_says_which_function_to_fix_first(outcomes):
    """Does the pipeline's cell name the function it builds on that fails its own checks?"""
    results, _ = outcomes
    assert "the pipeline uses generate_data" in results["generate_data_no_noise"]["pipeline"]


def test_a_stub_gets_one_sentence_not_a_traceback(outcomes):
    """Does a function not written yet fail its cell with one sentence (no traceback into the checks' file)?"""
    results, errors = outcomes
    for name in contract.FUNCTIONS:
        assert "not implemented yet" in results["release_stubs"][name]
    [error] = errors
    assert error["content"]["traceback"] == [f"CheckFailed: {error['content']['evalue']}"]
    assert "generate_data is not implemented yet" in error["content"]["evalue"]


def test_the_lesson_says_when_training_diverged():
    """Does the lesson's progress printout say 'diverged' in one sentence, instead of 200-digit losses and nan?"""
    release = nbformat.read(RELEASE, as_version=4)
    source = next(cell.source for cell in release.cells if "def show_progress" in cell.source)
    definition = next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef))
    namespace = {"np": np}
    exec(compile(ast.Module([definition], []), "show_progress", "exec"), namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), np.errstate(over="ignore"):
        namespace["show_progress"](np.array([60.0, 1e120, 1e240, np.inf, np.nan]), np.full((2, 1), np.nan), np.nan)
    assert "Training diverged" in printed.getvalue()
    assert max(len(line) for line in printed.getvalue().splitlines()) < 120
