"""The Gradescope bundle in a pristine root, as Gradescope runs it: the zip
unpacked into /autograder/source, setup.sh run for real (its own venv, pip
from the registry), then run_autograder for each submission. Each
results.json must equal `grade --json` on the same notebook here."""
import json
import subprocess
import sys
import time
import zipfile

from autograder import contract
from samples import corpus

from . import roots

SETUP_SECONDS = 900  # apt-get and pip from the registries
RUN_SECONDS = 300
SUBMITTED = "/autograder/submission/" + contract.NOTEBOOK  # where run_autograder finds it


def submissions():
    """{kind: (what it is, notebook bytes)}, built from the sample corpus."""
    correct = corpus.by_name("lesson_solution")
    wrong = corpus.by_name("compute_gradients_no_n")
    cheat = corpus.by_name("cheat_input_transformer")
    return {
        "correct": (correct.description, json.dumps(correct.notebook()).encode()),
        "wrong": (wrong.description, json.dumps(wrong.notebook()).encode()),
        "unreadable": ("cut off halfway (invalid JSON)", json.dumps(correct.notebook()).encode()[:3000]),
        "cheating": (cheat.description, json.dumps(cheat.notebook()).encode()),
    }


def expected(notebook, folder):
    """What `python -m autograder grade --json` prints for the notebook, on this machine
    (a message that names the notebook names it where Gradescope keeps it)."""
    path = folder / contract.NOTEBOOK
    path.write_bytes(notebook)
    graded = subprocess.run([sys.executable, "-m", "autograder", "grade", "--json", str(path)], cwd=roots.KIT,
                            capture_output=True, text=True)
    if graded.returncode not in (0, 2):
        raise roots.DeployError(f"grade --json failed here on {path}:\n{graded.stderr[-3000:]}")
    return json.loads(graded.stdout.replace(json.dumps(str(path))[1:-1], SUBMITTED))


def comparable(document):
    """A results document without what differs from run to run."""
    return {key: value for key, value in document.items() if key != "execution_time"}


def score(document):
    tests = document.get("tests", [])
    if not tests:
        return f"{document.get('score', 0):g}"
    return f"{sum(t['score'] for t in tests):g}/{sum(t['max_score'] for t in tests):g}"


def check(base, bundle, cases, answers):
    """Lines of the report for one root; raises DeployError on a mismatch."""
    lines = []
    with roots.throwaway(base) as root:
        python = roots.run(root, ["sh", "-c", "command -v python3 && python3 --version || echo none"], 60)
        lines.append(f"{base.name}: {base.description} (python3 before setup.sh: "
                     f"{python.stdout.split()[-1] if 'Python' in python.stdout else 'none'})")
        source = _unpack(root, bundle)
        started = time.monotonic()
        setup = roots.run(root, ["bash", "./setup.sh"], SETUP_SECONDS, cwd="/autograder/source")
        if setup.returncode != 0:
            raise roots.DeployError(f"{base.name}: setup.sh exited {setup.returncode}:\n"
                                    f"{setup.stdout[-3000:]}\n{setup.stderr[-3000:]}")
        used = [line for line in setup.stdout.splitlines() if line.startswith("setup.sh: using")]
        lines.append(f"  setup.sh        ok in {time.monotonic() - started:.0f} s"
                     f"{', with ' + used[0].removeprefix('setup.sh: using ') if used else ''}")
        (root / "autograder" / "run_autograder").write_bytes((source / "run_autograder").read_bytes())
        (root / "autograder" / "run_autograder").chmod(0o755)
        for kind, (description, notebook) in cases.items():
            submission, results = root / "autograder" / "submission", root / "autograder" / "results"
            _empty(submission)
            _empty(results)
            (submission / contract.NOTEBOOK).write_bytes(notebook)
            started = time.monotonic()
            ran = roots.run(root, ["/autograder/run_autograder"], RUN_SECONDS, cwd="/autograder")
            seconds = time.monotonic() - started
            try:
                document = json.loads((results / "results.json").read_text())
            except (OSError, ValueError) as error:
                raise roots.DeployError(f"{base.name}, {kind}: no results.json ({error}); run_autograder exited "
                                        f"{ran.returncode}:\n{ran.stdout[-2000:]}\n{ran.stderr[-3000:]}") from None
            same = comparable(document) == comparable(answers[kind])
            lines.append(f"  {kind:<15} {score(document):>6} in {seconds:4.1f} s, "
                         f"{'the same as' if same else 'DIFFERENT from'} grade --json")
            if not same:
                raise roots.DeployError("\n".join(lines) + f"\nresults.json: {json.dumps(document, indent=1)}\n"
                                        f"grade --json: {json.dumps(answers[kind], indent=1)}")
        lines.append(f"  sandbox         {_confinement(root, cases['correct'][1])}")
    return lines


def check_refusal(base, bundle):
    """The report's line for a root where no Python can be had (the
    distribution's package sources removed): setup.sh must stop with one line."""
    with roots.throwaway(base) as root:
        for sources in [root / "etc" / "apt" / "sources.list", *(root / "etc" / "apt").glob("sources.list.d/*")]:
            sources.unlink(missing_ok=True)
        _unpack(root, bundle)
        setup = roots.run(root, ["bash", "./setup.sh"], SETUP_SECONDS, cwd="/autograder/source")
    last = setup.stderr.strip().splitlines()[-1] if setup.stderr.strip() else ""
    if setup.returncode == 0 or not last.startswith("setup.sh: no Python"):
        raise roots.DeployError(f"{base.name} without package sources: setup.sh exited {setup.returncode}, "
                                f"its last line: {last!r}")
    return [f"{base.name}, its package sources removed: setup.sh exits {setup.returncode}, saying", f"  {last}"]


def _unpack(root, bundle):
    """Lay the zip out as Gradescope does, in /autograder/source."""
    source = root / "autograder" / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(source)
    for name in ("setup.sh", "run_autograder"):
        (source / name).chmod(0o755)
    return source


# What the sandbox could apply inside this root (a chroot keeps the kernel's Landlock).
CONFINEMENT = ("import sys; from autograder.grade import grading; "
               "print(', '.join(grading.grade(sys.argv[1]).confinement) or 'nothing')")


def _confinement(root, notebook):
    (root / "autograder" / "submission" / contract.NOTEBOOK).write_bytes(notebook)
    found = roots.run(root, ["/autograder/venv/bin/python", "-c", CONFINEMENT, SUBMITTED], RUN_SECONDS,
                      cwd="/autograder/source")
    if found.returncode != 0:
        raise roots.DeployError(f"grading in the root failed:\n{found.stderr[-3000:]}")
    return "confined by " + found.stdout.strip().splitlines()[-1]


def _empty(folder):
    """Make `folder` exist, empty (it holds files only)."""
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
