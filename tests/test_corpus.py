"""The grader against the corpus of sample submissions (samples/corpus.py):
correct answers in many styles get every point, each realistic mistake costs
points on its own function only and says why, cheats gain nothing, and
resource abuse costs only the function that did it."""
from collections import Counter

import pytest

from autograder import contract
from autograder.classwork import batch, classreport
from autograder.grade.results import Report
from autograder.sandbox import Limits
from samples import build, corpus, demo

# The default limit per call: the slowest correct style (plain Python loops)
# needs about 2 s per call here, more on a loaded machine. Definitions get a
# shorter limit than the default, to keep the suite fast.
LIMITS = Limits(define_seconds=3)


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    paths = {sample.name: str(build.write(sample.notebook(), folder / f"{sample.name}.ipynb"))
             for sample in corpus.SAMPLES}
    outcomes = dict(batch.grade_many(paths.values(), limits=LIMITS))
    reports = {name: outcomes[path] for name, path in paths.items()}
    failed = {name: outcome for name, outcome in reports.items() if not isinstance(outcome, Report)}
    assert not failed, f"the grader failed on samples: {failed}"
    return reports


def by(kind):
    return [pytest.param(sample, id=sample.name) for sample in corpus.by_kind(kind)]


def lost(report):
    return {tag for tag, (score, points, _) in report.by_tag().items() if score < points}


def test_the_corpus_is_big_enough():
    """Does the corpus hold at least 25 mistakes (3 per function), 6 correct styles, cheats and abuse?"""
    kinds = Counter(sample.kind for sample in corpus.SAMPLES)
    assert kinds[corpus.WRONG] >= 25 and kinds[corpus.CORRECT] >= 6 and kinds[corpus.CHEAT] >= 6
    assert kinds[corpus.ABUSE] >= 4
    per_function = Counter(next(iter(s.loses)) for s in corpus.by_kind(corpus.WRONG) if len(s.loses) == 1)
    assert all(per_function[name] >= 3 for name in contract.FUNCTIONS), per_function
    assert len({sample.name for sample in corpus.SAMPLES}) == len(corpus.SAMPLES)


@pytest.mark.parametrize("sample", by(corpus.CORRECT))
def test_correct_answers_get_every_point(graded, sample):
    """Does every correct style (loops, np.dot, einsum, helpers in added cells...) get every point?"""
    report = graded[sample.name]
    failures = [f"{c.title}: {c.message}" for c in report.checks if c.score < c.points]
    assert not failures and report.score == report.max_score
    assert not report.grader_errors and not report.incidents


@pytest.mark.parametrize("sample", by(corpus.WRONG) + by(corpus.ABUSE))
def test_a_mistake_costs_points_on_its_own_function_only(graded, sample):
    """Does each mistake (or abuse) lose points in its function and nowhere else (pipeline aside)?"""
    report = graded[sample.name]
    assert not report.grader_errors
    assert lost(report) - {contract.PIPELINE} == set(sample.loses)


@pytest.mark.parametrize("sample", [p for p in by(corpus.WRONG) if p.values[0].cause])
def test_the_message_names_the_likely_cause(graded, sample):
    """Does the failure message of the mistake's function name its likely cause?"""
    messages = " ".join(check.message for check in graded[sample.name].checks
                        if check.tag in sample.loses and check.score < check.points)
    assert sample.cause.lower() in messages.lower()
    assert "def test_" not in messages and "assert " not in messages


@pytest.mark.parametrize("sample", [p for p in by(corpus.WRONG) if p.values[0].max_score is not None])
def test_answers_that_do_no_work_earn_almost_nothing(graded, sample):
    """Do right shapes alone (zeros everywhere) earn at most a couple of points, with messages saying why?"""
    assert graded[sample.name].score <= sample.max_score


@pytest.mark.parametrize("sample", [p for p in by(corpus.WRONG) + by(corpus.ABUSE) if p.values[0].pipeline_cause])
def test_the_pipeline_message_names_the_function_to_fix(graded, sample):
    """When the pipeline fails because of one function, does its message name that function (or its mistake)?"""
    pipeline = [c for c in graded[sample.name].checks if c.tag == contract.PIPELINE]
    assert pipeline and pipeline[0].score == 0
    assert sample.pipeline_cause.lower() in pipeline[0].message.lower()


@pytest.mark.parametrize("sample", by(corpus.WRONG) + by(corpus.ABUSE))
def test_every_failed_check_carries_a_cause(graded, sample):
    """Does every failed check carry a short, stable cause that the class report can count?"""
    for check in graded[sample.name].checks:
        assert (check.score < check.points) == bool(check.cause), (check.title, check.cause)
        assert len(check.cause) <= 60 and "\n" not in check.cause


@pytest.mark.parametrize("sample", by(corpus.CHEAT))
def test_cheats_gain_nothing(graded, sample):
    """Does every cheat score no more than the same submission without the trick?"""
    assert graded[sample.name].score <= graded[sample.honest].score


@pytest.mark.parametrize("sample", by(corpus.ABUSE))
def test_abuse_is_reported_for_a_human(graded, sample):
    """Are hangs, crashes, floods and processes left behind reported as incidents (which flag the submission)?"""
    assert bool(graded[sample.name].incidents) == sample.incident


# The likely mistake behind each wrong submission of the demo's class, as the class report names it.
DEMO_MISCONCEPTIONS = {
    "emma": ("generate_data", "flat array instead of a column"),
    "farid": ("init_params", "only positive (or only negative) values"),
    "grace": ("l2_loss", "loss not halved"),
    "hugo": ("compute_gradients", "gradient n times too large"),
    "ines": ("update_params", "update in place"),
    "jonas": ("train", "loss recorded after the update"),
    "leo": ("train", "lesson's numbers written in"),
    "mia": (classreport.ANY_FUNCTION, ", ".join(contract.FUNCTIONS) + " not implemented"),
    "kim": (classreport.ANY_FUNCTION, ", ".join(contract.FUNCTIONS) + " not implemented"),
}


def test_the_class_report_names_the_demo_class_misconceptions(graded):
    """Does the class report put each demo student under the mistake they made, and the correct ones under none?"""
    reports = {student: graded[sample] for student, sample in demo.CLASS.items()}
    found = {(tag, cause): students for tag, cause, students in classreport.misconceptions(reports)}
    for student, mistake in DEMO_MISCONCEPTIONS.items():
        assert student in found.get(mistake, []), (student, mistake, found)
    correct = set(demo.CLASS) - set(DEMO_MISCONCEPTIONS)
    assert not correct & {student for students in found.values() for student in students}
