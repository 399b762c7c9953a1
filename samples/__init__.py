"""Sample submissions, built in code from the release notebook.

`build` fills the release's answer cells (with the lesson's solutions, or with
any other code) and `corpus` lists named submissions: correct answers in
several styles, typical mistakes, and cheats. The demo grades a class made of
them; the kit's tests check the grader against them.
"""
