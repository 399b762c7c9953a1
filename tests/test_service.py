"""The check service with its embedded workers, as a real uvicorn process on a
free port: its answer is grade --json's and check --server prints what check
prints; tokens from nbgrader's student list; rate limits per student and per
address; every attempt recorded and exported; bad input and bad actors each
refused with a clear 4xx (or 429) while the other students' checks go on;
and the notebook's own check cell against the live server.

One server for the module (one warm grading process); each test checks as
students of its own, so that the rate limit of one does not touch another.
"""
import csv
import datetime
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request

import itertools

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from nbclient import NotebookClient

import serviceparts
from conftest import RELEASE
from samples import build, corpus

STUDENTS = ("ada", "ben", "cara", "dan", "eve", "finn", "gus", "hana", "ivo", "jo", "kim", "lea", "mo")
RATE = 2  # checks per student per hour
ANONYMOUS = 1  # checks per address per hour
MAX_UPLOAD_MB = 1
READ_SECONDS = 2
# A train that takes a while per call: a check of this notebook runs for a few seconds.
SLOW_TRAIN = build.solutions()["train"].replace('"""\n', '"""\n    import time\n    time.sleep(0.4)\n', 1)


def notebook_bytes(nb):
    return (json.dumps(nb, indent=1) + "\n").encode()


CORRECT = notebook_bytes(build.notebook(written=build.WRITTEN))
WRONG = notebook_bytes(corpus.by_name("compute_gradients_no_n").notebook())
STUBS = notebook_bytes(corpus.by_name("release_stubs").notebook())
SLOW = notebook_bytes(build.notebook({"train": SLOW_TRAIN}))


@pytest.fixture(scope="module")
def course(tmp_path_factory, env):
    folder = tmp_path_factory.mktemp("service")
    gradebook = serviceparts.gradebook(folder / "gradebook.db", STUDENTS, env)
    db = f"sqlite:///{folder / 'check-service.db'}"
    issued = subprocess.run([sys.executable, "-m", "autograder", "tokens", "issue", "--gradebook", gradebook,
                             "--db", db, "--out", str(folder / "tokens.csv")], cwd=folder, env=env,
                            capture_output=True, text=True)
    assert issued.returncode == 0, issued.stderr
    with open(folder / "tokens.csv", newline="") as file:
        tokens = {row["student"]: row["token"] for row in csv.DictReader(file)}
    service = serviceparts.Service(folder, "--db", db, "--workers", "1", "--rate", f"{RATE}/h",
                                   "--anonymous", f"{ANONYMOUS}/h", "--proxy", "127.0.0.1",
                                   "--max-upload", str(MAX_UPLOAD_MB), "--read-timeout", str(READ_SECONDS), env=env)
    yield {"folder": folder, "gradebook": gradebook, "db": db, "tokens": tokens, "url": service.url,
           "service": service, "issued": issued.stdout}
    service.stop()


def check(course, data, student=None, address=None, **options):
    headers = {"X-Forwarded-For": address} if address else {}
    token = course["tokens"][student] if student else None
    return serviceparts.post(course["url"], data, token, headers=headers, **options)


def cli(*args, env, cwd):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def exported(course, env):
    result = cli("attempts", "--db", course["db"], env=env, cwd=course["folder"])
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_answer_is_what_grade_json_writes(course, env, tmp_path):
    """Is the service's answer for a notebook exactly grade --json's document, and its text check's?"""
    path = tmp_path / "wrong.ipynb"
    path.write_bytes(WRONG)
    status, answer, _ = check(course, WRONG, "ada", name=path.name)
    assert status == 200, answer
    answer["results"].pop("execution_time")
    assert answer["results"] == serviceparts.grade_json(path, env)
    assert answer["student"] == "ada" and answer["sha256"] == serviceparts.sha256(WRONG)
    assert answer["score"] == 23 and answer["text"].startswith("wrong.ipynb: 23 of 30 points")
    status, answer, _ = check(course, CORRECT, "ada")
    assert status == 200 and answer["score"] == answer["max_score"] == 30


def test_check_with_a_server_prints_what_check_prints(course, env, tmp_path):
    """Does `check --server URL --token T` print what a local `check` prints, with its exit status, for a
    wrong notebook and for a file that is not a notebook?"""
    (tmp_path / "simple_nn.ipynb").write_bytes(WRONG)
    (tmp_path / "cut.ipynb").write_bytes(WRONG[:500])
    for notebook in ("simple_nn.ipynb", "cut.ipynb"):
        local = cli("check", notebook, env=env, cwd=tmp_path)
        remote = cli("check", "--server", course["url"], "--token", course["tokens"]["ben"], notebook, env=env,
                     cwd=tmp_path)
        assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    assert local.returncode == 2 and "not a notebook" in local.stderr
    refused = cli("check", "--server", course["url"], "--token", "not-a-token", "simple_nn.ipynb", env=env,
                  cwd=tmp_path)
    assert refused.returncode == 4 and "not one your course issued" in refused.stderr


def test_tokens_come_from_the_student_list_and_only_their_digests_are_kept(course, env):
    """Does `tokens issue` give every student of nbgrader's list one token, in a file only the instructor
    can read, keep only digests in the database, replace a token with --renew, and does a revoked token
    stop working?"""
    folder, tokens = course["folder"], course["tokens"]
    assert sorted(tokens) == sorted(STUDENTS) and len(set(tokens.values())) == len(STUDENTS)
    assert (folder / "tokens.csv").stat().st_mode & 0o077 == 0
    database = b"".join(path.read_bytes() for path in folder.glob("check-service.db*"))
    assert not any(token.encode() in database for token in tokens.values())
    renewed = cli("tokens", "issue", "--gradebook", course["gradebook"], "--db", course["db"], "--renew",
                  "--student", "cara", "--out", "cara.csv", env=env, cwd=folder)
    assert renewed.returncode == 0 and "1 tokens issued" in renewed.stdout, renewed.stderr
    with open(folder / "cara.csv", newline="") as file:
        [row] = list(csv.DictReader(file))
    assert row["student"] == "cara" and row["email"] == "cara@example.org"
    assert serviceparts.post(course["url"], STUBS, tokens["cara"])[0] == 401  # the old token
    assert serviceparts.post(course["url"], STUBS, row["token"])[0] == 200
    assert cli("tokens", "revoke", "cara", "--db", course["db"], env=env, cwd=folder).returncode == 0
    status, answer, _ = serviceparts.post(course["url"], STUBS, row["token"])
    assert status == 401 and "not one your course issued" in answer["error"]
    listing = cli("tokens", "list", "--db", course["db"], env=env, cwd=folder).stdout
    assert "ada  issued" in listing and "cara" not in listing


def test_a_students_rate_is_kept_and_the_refusal_says_when_to_come_back(course, env):
    """After RATE checks in the hour, is the next refused with 429, a Retry-After, and the moment the next
    check is allowed (the first check's time plus an hour), without being recorded as an attempt?"""
    answers = [check(course, STUBS, "dan") for _ in range(RATE)]
    assert [status for status, _, _ in answers] == [200] * RATE
    assert [answer["checks_left"] for _, answer, _ in answers] == list(range(RATE - 1, -1, -1))
    status, answer, headers = check(course, STUBS, "dan")
    assert status == 429 and int(headers["Retry-After"]) > 3500
    assert "used the 2 checks allowed in 1 h" in answer["error"]
    first = min(datetime.datetime.fromisoformat(row["at"].rstrip("Z"))
                for row in exported(course, env) if row["student"] == "dan")
    allowed = (first + datetime.timedelta(hours=1)).strftime("%H:%M:%S")
    assert f"your next check is allowed at {allowed} UTC" in answer["error"], answer["error"]
    assert sum(row["student"] == "dan" for row in exported(course, env)) == RATE


def test_anonymous_checks_are_limited_per_address(course):
    """Without a token, does each address get ANONYMOUS checks an hour, and another address its own?"""
    statuses = [check(course, STUBS, address="192.0.2.10")[0] for _ in range(ANONYMOUS + 1)]
    assert statuses == [200] * ANONYMOUS + [429]
    status, answer, _ = check(course, STUBS, address="192.0.2.11")
    assert status == 200 and answer["student"] is None


def test_one_check_at_a_time_per_student(course):
    """While a student's check runs, is a second one refused (429) instead of holding another worker?"""
    first = {}
    thread = threading.Thread(target=lambda: first.update(zip(("status", "answer"), check(course, SLOW, "eve"))))
    thread.start()
    serviceparts.wait_for(lambda: _running(course, "eve"), "eve's first check to be accepted")
    status, answer, _ = check(course, STUBS, "eve")
    thread.join()
    assert status == 429 and "still running" in answer["error"]
    assert first["status"] == 200 and first["answer"]["score"] == 30


def _running(course, student):
    database = course["folder"] / "check-service.db"
    with sqlite3.connect(database) as connection:
        return connection.execute("select count(*) from attempts where student = ? and outcome = 'running'",
                                  (student,)).fetchone()[0] > 0


def test_bad_input_gets_a_clear_refusal(course, env):
    """Are an oversized notebook (declared, far too large, or sent in chunks without a length), an empty
    body, a picture instead of a notebook and an unknown language each refused with their own 4xx and one
    sentence?"""
    status, answer, _ = check(course, b"x" * (MAX_UPLOAD_MB * 2**20 + 1), "finn")
    assert status == 413 and "larger than the 1 MB" in answer["error"]
    huge = _raw(course, _request_head(course, "finn", 100 * 2**20))  # refused before any of it is sent
    assert huge.recv(65536).decode().startswith("HTTP/1.1 413")
    huge.close()
    assert _chunked(course, "finn", b"{" * (MAX_UPLOAD_MB * 2**20 + 10))[0] == 413
    status, answer, _ = check(course, b"", "finn")
    assert status == 400 and "No notebook arrived" in answer["error"]
    status, answer, _ = check(course, b"\x89PNG\r\n\x1a\n" + bytes(100), "finn", name="plot.png")
    assert status == 422 and answer["error"] == "plot.png: not a notebook (not UTF-8 text)"
    assert answer["results"]["tests"] == [] and answer["results"]["score"] == 0
    url = course["url"] + "check?lang=xx"
    request = urllib.request.Request(url, data=STUBS, method="POST",
                                     headers={"Authorization": f"Bearer {course['tokens']['finn']}"})
    try:
        urllib.request.urlopen(request)
    except urllib.error.HTTPError as error:
        assert error.code == 400 and "not 'xx'" in json.loads(error.read())["error"]
    outcomes = [row["outcome"] for row in exported(course, env) if row["student"] == "finn"]
    assert outcomes == ["unreadable"]  # only the picture reached a worker


ADDRESSES = (f"192.0.2.{number}" for number in itertools.count(100))
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
                        ["cells", "cell_type", "source", "metadata", "nbformat", "x"]), inner, max_size=4),
                    max_leaves=12)


@hypothesis_settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000) | JSON.map(lambda value: json.dumps(value).encode()))
def test_whatever_is_sent_the_answer_is_a_verdict_or_one_clear_refusal(course, body):
    """For any body at all (bytes, JSON that is not a notebook), is the answer a verdict or a 4xx with one
    sentence, and never the service's own failure?"""
    status, answer, _ = check(course, body, address=next(ADDRESSES))
    if status == 200:
        assert answer["text"].startswith("simple_nn.ipynb: ")
    else:
        assert status in (400, 422) and answer["error"] and "\n" not in answer["error"], (status, answer)


def _chunked(course, student, data):
    parts = urllib.parse.urlsplit(course["url"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("POST", parts.path + "check", body=iter([data[i:i + 65536]
                                                                      for i in range(0, len(data), 65536)]),
                           headers={"Authorization": f"Bearer {course['tokens'][student]}"}, encode_chunked=True)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _raw(course, head_and_body):
    parts = urllib.parse.urlsplit(course["url"])
    connection = socket.create_connection((parts.hostname, parts.port), timeout=60)
    connection.sendall(head_and_body)
    return connection


def _request_head(course, student, length):
    path = urllib.parse.urlsplit(course["url"]).path + "check"
    return (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {course['tokens'][student]}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def test_slow_and_vanishing_clients_cost_the_others_nothing(course, env):
    """Is a client that stalls while sending refused with 408 once the read timeout passes, is a client that
    leaves mid-check still recorded (and free to check again), and do others' checks go on meanwhile?"""
    slow = _raw(course, _request_head(course, "gus", len(CORRECT)) + CORRECT[:100])
    gone = _raw(course, _request_head(course, "hana", len(SLOW)) + SLOW)
    serviceparts.wait_for(lambda: _running(course, "hana"), "hana's check to be accepted")
    gone.close()
    status, answer, _ = check(course, WRONG, "ivo")
    assert status == 200 and answer["score"] == 23
    reply = slow.recv(65536).decode()
    slow.close()
    assert reply.startswith("HTTP/1.1 408") and "took longer than 2 s to arrive" in reply
    serviceparts.wait_for(lambda: not _running(course, "hana"), "hana's abandoned check to finish")
    assert [row["outcome"] for row in exported(course, env) if row["student"] == "hana"] in (["graded"],
                                                                                             ["cancelled"])
    assert check(course, STUBS, "hana")[0] == 200
    assert not [row for row in exported(course, env) if row["student"] == "gus"]


def test_a_flood_is_refused_before_anything_is_read(course):
    """Does an address sending wrong tokens get 401 until WRONG_TOKENS are spent and 429 after, then 429 for
    everything past the requests per minute, while a student elsewhere still gets a verdict?"""
    from autograder.service import settings
    statuses = []
    for _ in range(settings.REQUESTS_PER_MINUTE + 5):
        status, answer, _ = serviceparts.post(course["url"], b"{}", "0" * 48, headers={"X-Forwarded-For": "192.0.2.66"})
        statuses.append(status)
    wrong = settings.WRONG_TOKENS_PER_10_MINUTES
    assert statuses[:wrong] == [401] * wrong and set(statuses[wrong:]) == {429}
    status, answer, _ = serviceparts.post(course["url"], STUBS, headers={"X-Forwarded-For": "192.0.2.66"})
    assert status == 429 and "Too many requests from your address" in answer["error"]
    assert check(course, STUBS, "ivo")[0] == 200


def test_every_attempt_is_recorded_and_exported(course, env):
    """Does the CSV export hold every accepted check: who, when, the notebook's hash, points and causes?"""
    assert [check(course, data, "lea")[0] for data in (WRONG, CORRECT)] == [200, 200]
    rows = [row for row in exported(course, env) if row["student"] == "lea"]
    assert [(row["sha256"], row["score"], row["max_score"]) for row in rows] == [
        (serviceparts.sha256(WRONG), "23", "30"), (serviceparts.sha256(CORRECT), "30", "30")]
    assert "compute_gradients: gradient n times too large" in rows[0]["causes"] and rows[1]["causes"] == ""
    assert all(row["at"].endswith("Z") and row["workers"] == "embedded" for row in rows)
    out = course["folder"] / "attempts.csv"
    assert "attempts written" in cli("attempts", "--db", course["db"], "--out", str(out), env=env,
                                     cwd=course["folder"]).stdout
    assert out.read_text().splitlines()[0].startswith("id,student,address,at,notebook,sha256")


def test_the_class_report_shows_the_attempts_and_the_mistakes_fixed(course, env, tmp_path):
    """Does `report --attempts` add the picture of checks over time and the table of mistakes, with a mistake
    counted as fixed for a student whose later check no longer makes it?"""
    assert [check(course, data, "mo")[0] for data in (WRONG, CORRECT)] == [200, 200]
    shutil.copytree(RELEASE.parent.parent.parent / "source", tmp_path / "source")
    shutil.copy(RELEASE.parent.parent.parent / "nbgrader_config.py", tmp_path)
    result = cli("report", "simple_nn", "--attempts", course["db"], env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "reports" / "simple_nn"
    assert (folder / "attempts-over-time.png").read_bytes().startswith(b"\x89PNG")
    rows = {(row["function"], row["mistake"]): row for row in csv.DictReader((folder / "fixed-mistakes.csv").open())}
    assert "mo" in rows[("compute_gradients", "gradient n times too large")]["who_fixed_it"].split()


def _check_cell():
    cells = nbformat.read(RELEASE, as_version=4).cells
    [cell] = [cell for cell in cells if "check_with_service" in cell.source]
    return cell


def _run_cell(folder, env):
    notebook = nbformat.v4.new_notebook(cells=[_check_cell()])
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}})
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return "".join(output.get("text", "") for output in notebook.cells[0].outputs)


def test_the_notebooks_check_cell_asks_the_live_service(course, env, tmp_path):
    """Does the release's check cell, run in a Jupyter kernel beside a saved notebook, print the service's
    verdict, with the URL and token from the environment or from check_service.json?"""
    (tmp_path / "simple_nn.ipynb").write_bytes(WRONG)
    for extra in RELEASE.parent.iterdir():
        if extra.suffix == ".py":
            (tmp_path / extra.name).write_bytes(extra.read_bytes())
    output = _run_cell(tmp_path, dict(env, SIMPLE_NN_CHECK_URL=course["url"],
                                      SIMPLE_NN_CHECK_TOKEN=course["tokens"]["jo"]))
    assert "simple_nn.ipynb: 23 of 30 points" in output and "grad_weights is n times too large" in output
    assert "Checking simple_nn.ipynb as saved at" in output
    plain = {name: value for name, value in env.items() if not name.startswith("SIMPLE_NN_CHECK")}
    (tmp_path / "check_service.json").write_text(json.dumps({"url": course["url"],
                                                              "token": course["tokens"]["kim"]}))
    assert "simple_nn.ipynb: 23 of 30 points" in _run_cell(tmp_path, plain)


def test_the_upload_page_runs_only_its_own_script(course):
    """Is the page served with a policy that forbids every script but its own, and its script beside it?"""
    with urllib.request.urlopen(course["url"]) as response:
        page, policy = response.read().decode(), response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert '<script src="page.js" defer></script>' in page and "<script>" not in page
    with urllib.request.urlopen(course["url"] + "page.js") as response:
        assert "fetch(\"check?name=" in response.read().decode()


def test_the_service_listens_on_this_machine_only_by_default(course):
    """Does the service, told no address, listen on 127.0.0.1 only?"""
    assert course["url"].startswith("http://127.0.0.1:")  # the fixture's server was given no --host
