"""Grade a class through nbgrader: every submission of a course, into its gradebook.

course finds the submissions, batch grades them on every core (with ../grade),
store and records keep each trusted result, gradebook writes the scores through
nbgrader's own pipeline, feedback and classreport write the pages. plugins and
autograded are the kit's steps inside nbgrader's own verbs. Entry point:
`classgrade.autograde(course, ...)`.
"""
