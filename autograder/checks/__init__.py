"""The hidden checks: one file per student function (`test_<name>.py`) plus
`test_pipeline.py`, run by the grader (grade/grading.py), never by the kit's own
test suite.

Every check gets the `student` fixture, whose methods call the student's
functions in the sandbox and return plain data. Inputs are chosen here, from
secret seeds, with sizes and coefficients the lesson never shows; verdicts
come from the independent oracles in oracles.py. A failed assert's message is
what the student reads: it says what was wrong and, for known mistakes, why.
Entry point: pytest, run on this folder by `grade.grading.grade`.
"""
