"""nbgrader settings for the simple_nn course. nbgrader reads this file only
from the current directory, so run nbgrader (and `python -m autograder`) from
the course root."""

from autograder.classwork.formgrader import template_basedirs

c = get_config()  # noqa: F821 (injected by nbgrader)

c.CourseDirectory.course_id = "simple-nn"

# Which edition of the lesson this course releases (`nbgrader generate_assignment`,
# formgrader) and grades against: "en", the English source (source/, release/), or
# "zh_CN", the Simplified Chinese edition made from it (editions/zh_CN/source/,
# editions/zh_CN/release/). Both have the same cells, grade_ids and points, so the
# same checks grade either, and each student is answered in their notebook's
# language (docs/chinese.md).
EDITION = "en"
if EDITION != "en":
    c.CourseDirectory.source_directory = f"editions/{EDITION}/source"
    c.CourseDirectory.release_directory = f"editions/{EDITION}/release"

# Where release_assignment puts the assignment and students submit (docs/course-setup.md).
# Without this nbgrader uses /usr/local/share/nbgrader/exchange, and release_assignment
# creates it, writable by everyone, without a word. Students' Jupyter must name the same
# folder: `python -m autograder student-config` writes their settings from these.
c.Exchange.root = "/srv/nbgrader/exchange"

# nbgrader forces the source notebook's kernelspec on every submission; pin
# the one that every Jupyter with ipykernel has.
c.Execute.kernel_name = "python3"
# Per cell, not per notebook. The slowest solution cell (training) needs < 1 s.
c.Execute.timeout = 60

# Put back test cells a student deleted (each test cell sits directly after
# its answer cell, which this option relies on).
c.OverwriteCells.add_missing_cells = True

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader's own verbs grade and give feedback with the kit (autograder/classwork/plugins.py),
# so `nbgrader autograde`, formgrader's Autograde button and `python -m autograder
# autograde` write the same trusted scores, and `nbgrader generate_feedback` (and
# its button) writes the kit's feedback page, which shows no hidden-test code.
# nbgrader's default pipeline is kept, but for Execute: no kernel runs a
# student's notebook, which tricks in the kernel could fool.
c.Autograde.autograde_preprocessors = [
    "autograder.classwork.plugins.TrustedVerdicts",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "autograder.classwork.gradebook.FlagAsTheKitSays",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.classwork.autograded.ForGraders",
]
# nbgrader's first pass over a submission, with OverwriteCells replaced: it warned "checksum
# has changed" for every untouched test cell (they are released without their hidden tests).
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.classwork.plugins.ReleasedCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.GenerateFeedback.exporter_class = "autograder.classwork.plugins.FeedbackPage"
c.GenerateFeedback.preprocessors = []

# formgrader renders math with the MathJax this Jupyter server serves (the jupyter-server-mathjax
# package), not from a CDN, which an offline course server cannot reach.
c.HTMLExporter.extra_template_basedirs = template_basedirs()
