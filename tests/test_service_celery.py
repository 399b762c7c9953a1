"""The check service on Celery workers, with a real Redis server (the run's
header says which redis-server) and real worker processes: the answer is
grade --json's; a worker killed with kill -9 mid-check loses nothing (the
check is done again by the other, and answered once); autograde --broker
grades a class on the same workers, with the gradebook written by one
process, as a local autograde does; an unreachable broker is one line.
"""
import csv
import io
import json
import re
import shutil
import subprocess
import sys
import threading

import pytest

import serviceparts
from samples import build, corpus
from samples import course as sample_course

# A check left by a vanished worker goes to another after this long (the workers restore unacknowledged
# checks every 10 s): short here, so the test waits seconds rather than the default's minutes.
VISIBILITY_SECONDS = 8
TIME_LIMIT = 120
SLOW_TRAIN = build.solutions()["train"].replace('"""\n', '"""\n    import time\n    time.sleep(0.5)\n', 1)
WRONG = (json.dumps(corpus.by_name("compute_gradients_no_n").notebook(), indent=1) + "\n").encode()
SLOW = (json.dumps(build.notebook({"train": SLOW_TRAIN}), indent=1) + "\n").encode()
RECEIVED = re.compile(r"Task autograder\.check\[([0-9a-f-]+)\] received")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, env):
    folder = tmp_path_factory.mktemp("celery")
    redis = serviceparts.Redis(folder)
    options = ("--visibility-timeout", str(VISIBILITY_SECONDS), "--time-limit", str(TIME_LIMIT))
    workers = {name: serviceparts.worker(redis.url, name, folder, env, 1, *options) for name in ("a", "b")}
    service = serviceparts.Service(folder, "--broker", redis.url, "--anonymous", "50/h", "--time-limit",
                                   str(TIME_LIMIT), "--db", f"sqlite:///{folder / 'attempts.db'}", env=env)
    yield {"folder": folder, "redis": redis, "workers": workers, "service": service}
    service.stop()
    for process in workers.values():
        serviceparts.stop(process)
    redis.stop()


def _attempts(cluster, env):
    result = subprocess.run([sys.executable, "-m", "autograder", "attempts", "--db",
                             f"sqlite:///{cluster['folder'] / 'attempts.db'}"], env=env, capture_output=True,
                            text=True)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_answer_on_celery_workers_is_what_grade_json_writes(cluster, env, tmp_path):
    """Is the answer of the service on Celery workers exactly grade --json's document for the notebook?"""
    path = tmp_path / "wrong.ipynb"
    path.write_bytes(WRONG)
    status, answer, _ = serviceparts.post(cluster["service"].url, WRONG, name=path.name)
    assert status == 200, answer
    answer["results"].pop("execution_time")
    assert answer["results"] == serviceparts.grade_json(path, env)
    assert answer["text"].startswith("wrong.ipynb: 23 of 30 points")


def test_a_worker_killed_mid_check_loses_nothing_and_the_verdict_comes_once(cluster, env):
    """With two workers, when the one running a check is killed with kill -9 (its whole process group), does
    the other do the check again and the verdict arrive, once: one answer, one attempt?"""
    logs = {name: process.log_path for name, process in cluster["workers"].items()}
    before = {task for log in logs.values() for task in RECEIVED.findall(log.read_text())}
    answers = []
    sender = threading.Thread(target=lambda: answers.append(serviceparts.post(cluster["service"].url, SLOW)))
    sender.start()
    taken = {}

    def received():
        for name, log in logs.items():
            taken.update((name, task) for task in RECEIVED.findall(log.read_text()) if task not in before)
        return bool(taken)

    serviceparts.wait_for(received, "a worker to take the check")
    [(victim, task)] = taken.items()
    serviceparts.kill_group(cluster["workers"][victim])
    sender.join(timeout=TIME_LIMIT * 3)
    [(status, answer, _)] = answers
    assert status == 200 and answer["score"] == 30, answer
    survivor = next(name for name in logs if name != victim)
    assert task in RECEIVED.findall(logs[survivor].read_text())  # done again elsewhere
    serviceparts.wait_for(lambda: f"Task autograder.check[{task}] succeeded" in logs[survivor].read_text(),
                          "the survivor's log to say so")
    rows = [row for row in _attempts(cluster, env) if row["sha256"] == serviceparts.sha256(SLOW)]
    assert [(row["outcome"], row["score"], row["workers"]) for row in rows] == [("graded", "30", "celery")]
    del cluster["workers"][victim]


def test_autograde_on_the_workers_grades_as_a_local_autograde_does(cluster, env, tmp_path):
    """Does `autograde --broker` write the same grades, flags and summary as a local autograde, for correct,
    wrong and unreadable submissions, with this process alone writing the gradebook?"""
    submissions = {"ada": build.notebook(written=build.WRITTEN), "ben": json.loads(WRONG), "cy": WRONG[:900]}
    remote = sample_course.make(tmp_path / "remote", submissions)
    local = tmp_path / "local"
    shutil.copytree(remote, local)
    results = {}
    for root, extra in ((remote, ["--broker", cluster["redis"].url]), (local, [])):
        result = subprocess.run([sys.executable, "-m", "autograder", "autograde", "simple_nn", *extra], cwd=root,
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 3, result.stderr  # cy's notebook is flagged
        results[root] = result.stdout
    def table(text):  # the summary but for its timing and the gradebook's path
        return [line for line in text.splitlines() if not line.startswith(("simple_nn:", "  gradebook"))]

    assert table(results[remote]) == table(results[local])
    assert re.search(r"^ada +30/30$", results[remote], re.M)
    assert re.search(r"^ben +23/30  compute_gradients, pipeline$", results[remote], re.M)
    records = {path.stem: json.loads(path.read_text()) for path in (remote / "trusted" / "simple_nn").glob("*.json")}
    assert sorted(records) == ["ada", "ben", "cy"] and all(record["recorded"] for record in records.values())


def test_an_unreachable_broker_is_one_line(env, tmp_path):
    """Do serve and autograde with a broker nobody answers at stop with one line saying so?"""
    dead = f"redis://127.0.0.1:{serviceparts.free_port()}/0"
    serve = subprocess.run([sys.executable, "-m", "autograder", "serve", "--port", "0", "--broker", dead], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=120)
    assert serve.returncode == 2 and serve.stderr.startswith(f"error: cannot reach the broker at {dead}")
    assert len(serve.stderr.strip().splitlines()) == 1
