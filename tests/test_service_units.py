"""The check service's parts that need no server: rates and when the next
check is allowed, what an answer may hold, the jobs workers run, tokens,
the attempts database and the report of mistakes fixed along the way, and
the released client when no service is set up."""
import contextlib
import csv
import datetime
import importlib.util
import io
import json

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from autograder.classwork import batch
from autograder.grade.results import CheckResult, Report
from autograder.service import answer, attempts, history, job, limits, settings, tokens
from conftest import RELEASE

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@given(st.integers(1, 10_000), st.one_of(st.just(""), st.integers(1, 999).map(str)), st.sampled_from(sorted(UNITS)))
def test_a_rate_reads_as_checks_per_period(checks, count, unit):
    """Does 'N/[K]u' mean N checks in K units (one unit when K is left out)?"""
    rate = settings.parse_rate(f"{checks}/{count}{unit}")
    assert rate == settings.Rate(checks, int(count or 1) * UNITS[unit])


@given(st.text(max_size=12).filter(lambda text: not settings._RATE.match(text)) | st.sampled_from(
    ["0/h", "3/0m", "-1/h", "3/h/2", "3 per hour", "3/w"]))
def test_a_rate_that_means_nothing_is_refused_in_one_sentence(text):
    """Is anything but checks per period refused with a sentence that shows what is expected?"""
    with pytest.raises(settings.SettingsError, match="such as 10/h"):
        settings.parse_rate(text)


@given(st.lists(st.integers(0, 7200), max_size=30), st.integers(1, 6), st.integers(1, 3600), st.integers(0, 7200))
def test_the_next_check_is_allowed_exactly_when_the_window_has_room(offsets, checks, seconds, later):
    """Is a check allowed now exactly when fewer than N were accepted in the window, and otherwise at the
    first moment the window holds N - 1 of them, never earlier, never later?"""
    base = datetime.datetime(2026, 1, 1)
    now = base + datetime.timedelta(seconds=max(offsets, default=0))
    window = datetime.timedelta(seconds=seconds)
    rate = settings.Rate(checks, seconds)
    recent = sorted(base + datetime.timedelta(seconds=o) for o in offsets if base + datetime.timedelta(seconds=o)
                    > now - window)

    def counted(moment):
        return sum(moment - window < at <= moment for at in recent)

    allowed = limits.next_allowed(recent, rate, now)
    if allowed is None:
        assert counted(now) < checks
        return
    assert counted(now) >= checks
    assert counted(allowed) < checks  # allowed then ...
    assert counted(allowed - datetime.timedelta(microseconds=1)) >= checks  # ... and not a moment before
    assert limits.seconds_until(allowed, now) >= 1


def test_a_window_refuses_past_its_count_until_the_oldest_event_leaves_it():
    """Does the in-memory window allow `count` events per key, refuse the next with the seconds to wait,
    and allow again once the oldest has left the window, for each key on its own?"""
    clock = [0.0]
    window = limits.Window(3, 60, clock=lambda: clock[0])
    assert [window.hit("a") for _ in range(3)] == [0, 0, 0]
    clock[0] = 10
    assert window.hit("a") == 50 and window.hit("b") == 0
    clock[0] = 60.5
    assert window.hit("a") == 0


def _report(secret):
    checks = [CheckResult("predict", "test_values", "Are the outputs right?", 2, 0, "failed", "Add the bias.",
                          "bias missing"),
              CheckResult("l2_loss", "test_float", "Is the loss a float?", 1, 0, "error",
                          "The grader failed on this check (not your fault); your instructor has been told.")]
    return Report("simple_nn.ipynb", checks, notes=[], incidents=[f"incident {secret}"],
                  artifacts={"losses": [1.0, 0.5]}, grader_errors=[f"Traceback ... {secret}"], seconds=1.0,
                  confinement=(f"layer {secret}",))


@given(st.text(alphabet=st.characters(codec="ascii", categories=("L", "N")), min_size=12, max_size=40))
def test_an_answer_carries_nothing_of_the_report_that_check_does_not_show(secret):
    """Does a graded answer hold only its known keys, and never the grader's own errors (tracebacks through
    the hidden checks), the incidents, the confinement or the student's training run?"""
    status, document, outcome, score, max_score, causes = answer.of(_report(secret), "en")
    assert status == 200 and outcome == attempts.GRADED and (score, max_score) == (0, 3)
    assert set(document) <= answer.GRADED_KEYS
    text = json.dumps(document)
    assert secret not in text and "losses" not in text
    assert causes == [["predict", "bias missing"], ["l2_loss", "failed"]]


def test_what_is_not_a_verdict_is_said_so():
    """Is an unreadable notebook a 422 with grade --json's document for it, and the grader's failure a 500
    that shows no traceback?"""
    status, document, outcome, *_ = answer.of(batch.Unreadable("x.ipynb: not a notebook (not UTF-8 text)"), "en")
    assert status == 422 and outcome == attempts.UNREADABLE
    assert document["results"]["output"] == "Your submission could not be graded: x.ipynb: not a notebook " \
                                            "(not UTF-8 text)"
    status, document, outcome, *_ = answer.of(batch.GraderFailure("Traceback (most recent call last): secret"), "en")
    assert status == 500 and "secret" not in json.dumps(document) and outcome == attempts.GRADER_FAILED


def test_a_worker_refuses_a_check_from_another_version_of_the_kit():
    """Does a worker whose kit differs from the sender's answer with a grader failure saying so, rather than
    grade with other checks than the server's?"""
    outcome = job.decode(job.run("simple_nn.ipynb", b"{}", {}, "0" * 64))
    assert isinstance(outcome, batch.GraderFailure) and "another version of the kit" in outcome.message


def test_a_workers_file_is_named_as_its_sender_named_it():
    """Does an unreadable notebook's message name the sender's file, not the worker's temporary one?"""
    outcome = job.decode(job.run("my work/simple_nn.ipynb", b"\xff\xfe", {}, job.kit()))
    assert outcome == batch.Unreadable("my work/simple_nn.ipynb: not a notebook (not UTF-8 text)")
    assert isinstance(job.decode({"kind": "nonsense"}), batch.GraderFailure)
    assert job.limits_from({"call_seconds": 3, "unknown": 1}).call_seconds == 3


@pytest.fixture
def database(tmp_path):
    database = attempts.Database(f"sqlite:///{tmp_path / 'service.db'}")
    yield database
    database.close()


def test_tokens_are_issued_once_and_renewed_on_demand(database, tmp_path):
    """Does issuing give each listed student one token, keep them on a second run, replace them with renew,
    refuse students not on the list, and keep only digests?"""
    students = [{"id": name, "first_name": "", "last_name": "", "email": ""} for name in ("ada", "ben")]
    issued, kept = tokens.issue(database, students, tmp_path / "one.csv")
    assert (issued, kept) == (["ada", "ben"], [])
    first = tokens.read_issued(tmp_path / "one.csv")
    assert {database.student_of(token) for token in first.values()} == {"ada", "ben"}
    assert tokens.issue(database, students, tmp_path / "two.csv") == ([], ["ada", "ben"])
    assert tokens.issue(database, students, tmp_path / "three.csv", renew=True, only=("ben",)) == (["ben"], [])
    assert database.student_of(first["ben"]) is None and database.student_of(first["ada"]) == "ada"
    with pytest.raises(tokens.TokenError, match="not in nbgrader's student list: zoe"):
        tokens.issue(database, students, tmp_path / "four.csv", only=("zoe",))
    assert all(len(token) == 48 and not token.startswith("-") for token in first.values())


def test_attempts_are_counted_and_exported(database):
    """Are checks dropped before they ran, or failed by the grader, left out of a student's count, and every
    attempt in the CSV export?"""
    start = attempts.now() - datetime.timedelta(seconds=1)
    graded = database.start("ada", "127.0.0.1", "simple_nn.ipynb", "ab" * 32, "embedded")
    database.finish(graded, attempts.GRADED, 23, 30, [["predict", "bias missing"]], 1.5)
    cancelled = database.start("ada", "127.0.0.1", "simple_nn.ipynb", "cd" * 32, "embedded")
    database.finish(cancelled, attempts.CANCELLED)
    failed = database.start("ada", "127.0.0.1", "simple_nn.ipynb", "cd" * 32, "embedded")
    database.finish(failed, attempts.GRADER_FAILED)
    database.start(None, "192.0.2.1", "x.ipynb", "ef" * 32, "celery")
    assert len(database.recent(start, "ada")) == 1 and len(database.recent(start, None, "192.0.2.1")) == 1
    out = io.StringIO()
    assert database.export(out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["causes"] == "predict: bias missing" and rows[0]["score"] == "23"
    assert [row["outcome"] for row in rows] == ["graded", "cancelled", "grader_failed", "running"]


def test_the_report_counts_mistakes_fixed_along_the_way(database, tmp_path):
    """Is a mistake counted as fixed for a student whose latest check no longer makes it, not for one who
    still does, never for anonymous checks, and are causes that only follow from another left out?"""
    for student, causes in (("ada", [["predict", "bias missing"], ["pipeline", "a function it uses fails its "
                                                                               "own checks"]]),
                            ("ada", []), ("ben", [["predict", "bias missing"]]), ("ben", [["predict", "bias missing"]]),
                            (None, [["l2_loss", "not divided by 2"]])):
        attempt = database.start(student, "127.0.0.1", "simple_nn.ipynb", "00" * 32, "embedded")
        database.finish(attempt, attempts.GRADED, 28, 30, causes, 1.0)
    assert history.fixed_mistakes(database.all_attempts()) == [("predict", "bias missing", ["ada", "ben"], ["ada"])]
    table, picture = history.write(tmp_path / "reports", database.url)
    assert list(csv.reader(table.open()))[1] == ["predict", "bias missing", "2", "1", "ada ben", "ada"]
    assert picture.read_bytes().startswith(b"\x89PNG")


def _released_client():
    spec = importlib.util.spec_from_file_location("check_service", RELEASE.parent / "check_service.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_released_client_says_what_to_do_when_no_service_is_set(tmp_path, monkeypatch):
    """Does the notebook's check cell, with no URL in the environment or beside the notebook, say so in one
    sentence (and the same for a settings file it cannot read), without touching the network?"""
    client = _released_client()
    monkeypatch.delenv(client.URL_VARIABLE, raising=False)
    monkeypatch.delenv(client.TOKEN_VARIABLE, raising=False)
    (tmp_path / "simple_nn.ipynb").write_text("{}")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        client.check_with_service(str(tmp_path / "simple_nn.ipynb"))
        (tmp_path / client.SETTINGS_FILE).write_text("[1, 2]")
        client.check_with_service(str(tmp_path / "simple_nn.ipynb"))
    first, second = printed.getvalue().splitlines()
    assert first.startswith("No check service is set up for you") and "SIMPLE_NN_CHECK_URL" in first
    assert second.endswith("is not a JSON object with a url (and a token): ask your instructor for a new one")


@hypothesis_settings(max_examples=30)
@given(st.text(max_size=300))
def test_a_clients_name_for_its_notebook_is_only_ever_bounded_text(name):
    """Is the name a client gives its notebook cut to a bounded, printable line before it is echoed or stored?"""
    from autograder.service import app
    cleaned = app.notebook_name(name)
    assert 0 < len(cleaned) <= app.MAX_NAME
    assert not any(ord(character) < 32 or ord(character) == 127 for character in cleaned)
