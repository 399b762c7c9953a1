#!/usr/bin/env python3
"""Grade every attack in attacks/ against a kit, and its honest twin, and record what happened.

usage: python3 run.py KIT_DIR OUT.json [ATTACK ...]

Each attacks/NAME.py holds the code of the answer cells it replaces (CELLS), the
honest twin's cells (TWIN, for a points attack), cells it appends (EXTRA) and
optionally a hook that edits the notebook (hook(nb)). Cells left alone hold the
lesson's answers (the kit's source notebook, through samples.build). The notebook is built from
KIT_DIR/release/simple_nn/simple_nn.ipynb: answer cells are the code cells whose
metadata.nbgrader.grade_id is a function's name.

For every run: points, exit status, whether stdout is one JSON document, seconds,
peak memory of the whole grading (a v1 memory cgroup around the grader, whose
sandbox groups nest beneath it), processes of the kit left running, files left in
the temporary folder and in the kit, cgroups left. For neighbour attacks, the seconds an honest
notebook takes graded beside the attack, against alone. At most 2 jobs at once.
"""
import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ATTACKS = HERE / "attacks"
DEFAULT_LIMIT = 240  # seconds before run.py kills a grade (recorded as "killed")
MEMORY_ROOT = None
KEEP_OUTPUT = 4000  # characters of stdout/stderr kept in the record


def _memory_root():
    """A v1 memory cgroup of ours (beneath our own), or None."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                root = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
                if root.is_dir():
                    return root
    except OSError:
        pass
    return None


def load(name):
    spec = importlib.util.spec_from_file_location(f"attack_{name}", ATTACKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base():
    spec = importlib.util.spec_from_file_location("attack_base", HERE / "attacks" / "_base.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(kit, cells, extra=(), hook=None):
    """The kit's release with the lesson's answers, the attack's cells in their place (None: a stub)."""
    b = base()
    functions = {name: b.STUB.format(name=name) if source is None else source for name, source in (cells or {}).items()}
    release = Path(kit) / "release" / "simple_nn" / "simple_nn.ipynb"
    nb = b.notebook(functions, extra_cells=extra or (), release=release)
    if hook is not None:
        hook(nb)
    return nb


def _kit_files(kit):
    found = set()
    for folder, dirs, files in os.walk(kit):
        dirs[:] = [d for d in dirs if d not in (".venv", ".git", "__pycache__", "node_modules")]
        for f in files:
            found.add(os.path.join(folder, f))
    return found


def _tmp_entries():
    try:
        return set(os.listdir(tempfile.gettempdir()))
    except OSError:
        return set()


def _kit_processes(kit):
    """pid -> command line of every process running the kit's sandbox worker or grader."""
    found = {}
    marker = str(Path(kit).resolve())
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmd and ("worker.py" in cmd or "autograder" in cmd):
            found[int(pid)] = cmd.strip()
    return found


def _cgroups_of(pid):
    left = []
    for root in Path("/sys/fs/cgroup").iterdir():
        try:
            for path in root.rglob(f"simple-nn-{pid}-*"):
                left.append(str(path))
        except OSError:
            pass
    return left


class Job:
    """One `grade --json` of a notebook, started now."""

    def __init__(self, kit, nb, label, limit=DEFAULT_LIMIT):
        self.kit, self.label, self.limit = kit, label, limit
        self.folder = Path(tempfile.mkdtemp(prefix="redteam-job-"))
        self.path = self.folder / "simple_nn.ipynb"
        self.path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout = open(self.folder / "stdout", "wb")
        self.stderr = open(self.folder / "stderr", "wb")
        self.group = None
        if MEMORY_ROOT is not None:
            group = MEMORY_ROOT / f"redteam-{os.getpid()}-{label}-{time.monotonic_ns()}"
            try:
                group.mkdir()
                self.group = group
            except OSError:
                pass
        procs = str(self.group / "cgroup.procs") if self.group else None

        def enter():
            if procs:
                try:
                    with open(procs, "w") as f:
                        f.write(str(os.getpid()))
                except OSError:
                    pass

        python = str(Path(kit) / ".venv" / "bin" / "python")
        self.started = time.monotonic()
        self.process = subprocess.Popen([python, "-m", "autograder", "grade", "--json", str(self.path)],
                                        cwd=kit, stdin=subprocess.DEVNULL, stdout=self.stdout, stderr=self.stderr,
                                        preexec_fn=enter, start_new_session=True)
        self.pid = self.process.pid

    def wait(self):
        killed = False
        rusage = None
        while True:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - self.started > self.limit:
                killed = True
                try:
                    os.killpg(self.pid, signal.SIGKILL)  # the grade we started (its own session)
                except ProcessLookupError:
                    pass
                _, status, rusage = os.wait4(self.pid, 0)
                break
            time.sleep(0.05)
        self.seconds = time.monotonic() - self.started
        self.returncode = os.waitstatus_to_exitcode(status)
        self.killed = killed
        self.grader_maxrss_mb = round(rusage.ru_maxrss / 1024, 1) if rusage else None
        self.stdout.close()
        self.stderr.close()
        return self

    def result(self):
        out_path, err_path = self.folder / "stdout", self.folder / "stderr"
        size = out_path.stat().st_size
        document, points, max_points, one_json = None, None, None, False
        if size < 300 * 2**20:
            text = out_path.read_bytes()
            try:
                document = json.loads(text)
                one_json = isinstance(document, dict) and "tests" in document
            except (ValueError, RecursionError):
                document = None
        if one_json:
            points = sum(t.get("score", 0) for t in document["tests"])
            max_points = sum(t.get("max_score", 0) for t in document["tests"])
        peak = None
        if self.group is not None:
            try:
                peak = round(int((self.group / "memory.max_usage_in_bytes").read_text()) / 2**20, 1)
            except (OSError, ValueError):
                pass
        head = out_path.read_bytes()[:KEEP_OUTPUT].decode("utf-8", "replace")
        err = err_path.read_bytes()[-KEEP_OUTPUT:].decode("utf-8", "replace")
        failed = []
        if one_json:
            failed = [f"{t['name']}: {t['output'][:160]}" for t in document["tests"] if t["score"] < t["max_score"]]
        return {
            "label": self.label, "points": points, "max_points": max_points, "exit": self.returncode,
            "killed_after_limit": self.killed, "one_json": one_json, "seconds": round(self.seconds, 2),
            "stdout_bytes": size, "peak_memory_mb": peak, "grader_maxrss_mb": self.grader_maxrss_mb,
            "failed_checks": failed[:40], "stdout_head": head if not one_json else "", "stderr_tail": err,
        }

    def cleanup(self):
        if self.group is not None:
            for _ in range(50):
                try:
                    self.group.rmdir()
                    break
                except OSError:
                    try:
                        for pid in (self.group / "cgroup.procs").read_text().split():
                            os.kill(int(pid), signal.SIGKILL)  # only what our own grade started
                    except (OSError, ValueError):
                        pass
                    time.sleep(0.1)
        for f in self.folder.iterdir():
            f.unlink()
        self.folder.rmdir()


def grade(kit, nb, label, limit=DEFAULT_LIMIT):
    job = Job(kit, nb, label, limit).wait()
    try:
        return job.result()
    finally:
        job.cleanup()


def leftovers(kit, before_tmp, before_kit, before_procs, pids):
    time.sleep(1.0)
    procs = {pid: cmd for pid, cmd in _kit_processes(kit).items() if pid not in before_procs}
    new_tmp = sorted(_tmp_entries() - before_tmp)
    return {
        "processes_left": [f"{pid} {cmd[:120]}" for pid, cmd in sorted(procs.items())],
        "tmp_left": [e for e in new_tmp if e.startswith("simple-nn")],
        "tmp_other_new": [e for e in new_tmp if not e.startswith(("simple-nn", "redteam-job-"))][:20],
        "kit_files_left": sorted(_kit_files(kit) - before_kit)[:20],
        "cgroups_left": [g for pid in pids for g in _cgroups_of(pid)],
    }


def sweep(pids, new_tmp):
    """Remove what our own (killed) grades left, once recorded: their cgroups (deepest first) and sandbox folders."""
    import shutil
    for pid in pids:
        for group in sorted(_cgroups_of(pid), key=len, reverse=True):
            for _ in range(20):
                try:
                    os.rmdir(group)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    try:
                        for member in Path(group, "cgroup.procs").read_text().split():
                            os.kill(int(member), signal.SIGKILL)
                    except (OSError, ValueError):
                        pass
                    time.sleep(0.1)
    for entry in new_tmp:
        shutil.rmtree(os.path.join(tempfile.gettempdir(), entry), ignore_errors=True)


def honest_alone(kit, runs=3):
    nb = build(kit, {})
    times = []
    for i in range(runs):
        times.append(grade(kit, nb, f"honest-alone-{i}")["seconds"])
    return statistics.median(times), times


def beside(kit, attack_nb, name, limit, delay):
    """Grade the attack, and after `delay` s an honest notebook beside it: (attack record, honest seconds)."""
    attack = Job(kit, attack_nb, name, limit)
    time.sleep(delay)
    honest = Job(kit, build(kit, {}), f"{name}-neighbour", DEFAULT_LIMIT).wait()
    honest_record = honest.result()
    honest.cleanup()
    attack.wait()
    return attack.result(), honest_record, [attack.pid, honest.pid], attack


def main():
    global MEMORY_ROOT
    kit, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    wanted = sys.argv[3:]
    MEMORY_ROOT = _memory_root()
    names = wanted or sorted(p.stem for p in ATTACKS.glob("*.py") if not p.stem.startswith("_"))
    alone, alone_runs = honest_alone(kit)
    honest = grade(kit, build(kit, {}), "honest")
    records = []
    print(f"honest: {honest['points']}/{honest['max_points']} in {alone:.2f} s (median of {alone_runs})", flush=True)
    for name in names:
        module = load(name)
        limit = getattr(module, "LIMIT", DEFAULT_LIMIT)
        kind = getattr(module, "KIND", "points")
        hook = getattr(module, "hook", None)
        nb = build(kit, getattr(module, "CELLS", {}), getattr(module, "EXTRA", ()), hook)
        before = (_tmp_entries(), _kit_files(kit), _kit_processes(kit))
        record = {"name": name, "kind": kind, "idea": (module.__doc__ or "").strip().splitlines()[0]}
        if getattr(module, "NEIGHBOUR", False) or kind == "neighbour":
            attack, neighbour, pids, job = beside(kit, nb, name, limit, getattr(module, "DELAY", 2.0))
            record.update(attack)
            record["neighbour_seconds"] = neighbour["seconds"]
            record["neighbour_points"] = neighbour["points"]
            record["neighbour_alone_seconds"] = alone
            record["neighbour_ratio"] = round(neighbour["seconds"] / alone, 2)
        else:
            job = Job(kit, nb, name, limit).wait()
            pids = [job.pid]
            record.update(job.result())
        record.update(leftovers(kit, *before, pids))
        sweep(pids, record["tmp_left"])
        job.cleanup()
        twin = getattr(module, "TWIN", None)
        if twin is not None:
            twin_record = grade(kit, build(kit, twin, getattr(module, "TWIN_EXTRA", ()),
                                           getattr(module, "twin_hook", None)), f"{name}-twin")
            record["twin_points"] = twin_record["points"]
            record["twin_exit"] = twin_record["exit"]
        got = []
        if twin is not None and record["points"] is not None and record["twin_points"] is not None \
                and record["points"] > record["twin_points"]:
            got.append(f"points {record['points']:g} > twin {record['twin_points']:g}")
        if record["exit"] != 0:
            got.append(f"exit {record['exit']}")
        if not record["one_json"]:
            got.append("not one JSON document")
        if record["seconds"] > 60:
            got.append(f"{record['seconds']:.0f} s")
        if record["stdout_bytes"] > 2**20:
            got.append(f"{record['stdout_bytes'] / 2**20:.0f} MB of results")
        if record.get("peak_memory_mb") and record["peak_memory_mb"] > 2048:
            got.append(f"peak memory {record['peak_memory_mb']:.0f} MB")
        if record["processes_left"] or record["tmp_left"] or record["kit_files_left"] or record["cgroups_left"]:
            got.append("left-overs")
        if record.get("neighbour_ratio", 0) > 2:
            got.append(f"neighbour {record['neighbour_ratio']}x")
        record["got_through"] = got
        records.append(record)
        print(f"{name}: {'; '.join(got) or 'contained'} (points {record['points']}, twin {record.get('twin_points')},"
              f" exit {record['exit']}, {record['seconds']} s)", flush=True)
        out.write_text(json.dumps({"kit": str(kit), "honest": honest, "honest_alone_seconds": alone,
                                   "honest_alone_runs": alone_runs, "attacks": records}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
