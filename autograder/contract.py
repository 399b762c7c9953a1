"""The student contract: the names every part of the kit agrees on.

A student function's name is the grade_id of its answer cell; its test cell's
grade_id and its check file are `test_<name>`. `pipeline` grades the student's
own functions working together.
"""

ASSIGNMENT = "simple_nn"
NOTEBOOK_ID = ASSIGNMENT  # nbgrader's name for the assignment's one notebook
NOTEBOOK = f"{NOTEBOOK_ID}.ipynb"

# In the order the lesson introduces them (and the order reports list them).
FUNCTIONS = (
    "generate_data",
    "init_params",
    "predict",
    "l2_loss",
    "compute_gradients",
    "update_params",
    "train",
)
PIPELINE = "pipeline"
TAGS = FUNCTIONS + (PIPELINE,)

# The helpers `train` calls by name; its checks swap in reference versions so
# that a bug in one of them is not charged to `train` as well.
TRAIN_HELPERS = ("predict", "l2_loss", "compute_gradients", "update_params")

# The manually graded written answer (graded in formgrader, not by the kit).
WRITTEN_ANSWER = "written_bias_and_learning_rate"


def grade_cell_id(tag):
    """The grade_id of the notebook's test cell for a tag (and its check file's stem)."""
    return f"test_{tag}"
