"""Points only for what is right (autograder/grade/scoring.py), on hand-made results."""
from autograder.grade import scoring
from autograder.grade.results import FAILED, PASSED, CheckResult

REQUIRES = {("predict", "test_output_is_a_column"): ("test_values",)}


def result(tag, name, passed, cause=""):
    return CheckResult(tag, name, f"{name}?", 1, 1 if passed else 0, PASSED if passed else FAILED,
                       "" if passed else "wrong", cause if not passed else "")


def test_a_shape_point_is_withheld_while_the_values_are_wrong():
    """Does a passing shape check score 0, and say why, when the values it describes are wrong?"""
    checks = [result("predict", "test_values", False, "all zero"), result("predict", "test_output_is_a_column", True)]
    scoring.settle(checks, REQUIRES)
    shape = checks[1]
    assert (shape.score, shape.status, shape.cause) == (0, FAILED, scoring.WITHHELD)
    assert "values are right" in shape.message and "other failed check of predict" in shape.message


def test_a_shape_mistake_costs_only_the_shape_point():
    """With right values and a wrong shape, is only the shape check lost (and the values' point kept)?"""
    checks = [result("predict", "test_values", True), result("predict", "test_output_is_a_column", False, "flat")]
    scoring.settle(checks, REQUIRES)
    assert [c.score for c in checks] == [1, 0] and checks[1].cause == "flat"


def test_other_functions_do_not_withhold_points():
    """Does a failed check of another function leave this function's shape point alone?"""
    checks = [result("l2_loss", "test_values", False, "x"), result("predict", "test_values", True),
              result("predict", "test_output_is_a_column", True)]
    scoring.settle(checks, REQUIRES)
    assert [c.score for c in checks] == [0, 1, 1]


def test_the_pipeline_names_the_functions_to_fix_first():
    """Does a failed pipeline check name the functions that fail their own checks, and only those?"""
    checks = [result("predict", "test_values", False, "timed out"), result("l2_loss", "test_value", True),
              result("pipeline", "test_learns_the_coefficients", False, "timed out")]
    checks[2].message = "train timed out after 10 s"
    scoring.settle(checks, REQUIRES)
    assert "predict fails its own checks" in checks[2].message and "l2_loss" not in checks[2].message
    assert checks[2].cause == scoring.BUILDS_ON
