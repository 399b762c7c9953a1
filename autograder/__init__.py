"""Hidden checks and a tamper-proof grader for the simple_nn assignment.

Run `python -m autograder --help` from the course root.
"""
