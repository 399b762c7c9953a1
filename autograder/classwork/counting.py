"""Counted nouns in the kit's sentences to instructors: '1 submission', '2 submissions'.

Each count has a template of its own for one and for many, so that a catalogue
can translate both (languages count differently)."""
from ..language import say


def submissions(count):
    return say("{count} submission", count=count) if count == 1 else say("{count} submissions", count=count)


def students(count):
    return say("{count} student", count=count) if count == 1 else say("{count} students", count=count)
