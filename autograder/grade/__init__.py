"""Grade one notebook, from its file to a Report.

notebook reads the code cells, program keeps the definitions, the hidden
checks (../checks) run here with pytest against the student's functions in
the sandbox, scoring settles the points and render prints them. Entry point:
`grading.grade(path, limits) -> results.Report`.
"""
