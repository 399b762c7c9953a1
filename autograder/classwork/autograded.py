"""How the autograded notebook reads for a grader in formgrader.

The last step of the autograde pipeline, after nbgrader has read the scores
from the test cells' outputs: each test cell keeps the kit's verdict (which
checks passed, and why the others failed) but loses the number nbgrader read
as its score, the hidden tests' code is taken out of the cell, and the
pipeline's test cell shows plots of the student's own training, which is
what the written answer is about.
"""
import re

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from .. import contract

# nbgrader's markers, as the source notebook writes them in its test cells.
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*(\n|$)", re.M | re.S)
NOT_SHOWN = "# (hidden tests not shown: the kit's checks graded this cell outside the student's kernel)\n"


def without_hidden_tests(source):
    return HIDDEN_TESTS.sub(NOT_SHOWN, source)


class ForGraders(NbGraderPreprocessor):
    """Makes the autograded notebook read well in formgrader (see the module's docstring)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        cell.source = without_hidden_tests(cell.source)
        cell.outputs = [output for output in cell.outputs if output.output_type != "execute_result"]
        grade = resources.get("trusted_grade")
        if grade is not None and cell.metadata.nbgrader.grade_id == contract.grade_cell_id(contract.PIPELINE):
            from .feedback import training_html  # matplotlib: only when there is a plot to draw
            cell.outputs.append(nbformat.v4.new_output("display_data",
                                                       data={"text/html": training_html(grade.report)}))
        return cell, resources
