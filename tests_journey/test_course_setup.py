"""docs/course-setup.md followed to the letter: every command of the guide, in
its order, as the user its prompt names (root, or the real Unix students
alice and bob), with the outputs it shows checked against what the commands
print.

Run with `make journey-test` (as root, not part of `make test`): the test runs
in a mount namespace of its own (`unshare --mount`), where /srv, /home, the
students' environment and /etc (so the students' accounts) are private, so
the machine keeps nothing of it. The kit's working tree stands in for the
guide's `git clone`, and the packages `apt-get install` would add must be
there already. Between fetching and submitting, each student's notebook is
filled with the lesson's solutions (bob's saved as my_network.ipynb), as a
student would in Jupyter.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from samples import build

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "course-setup.md"
PROMPT = re.compile(r"^(root#|alice\$|bob\$) (.*)$")
BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
COURSE, STUDENT_ENV = Path("/srv/simple_nn"), Path("/opt/simple-nn-student")
# Where nbgrader would put an exchange the course config did not name.
DEFAULT_EXCHANGE = Path("/usr/local/share/nbgrader")
STEP_SECONDS = 900  # the slowest step installs the students' environment from the package registry


def guide_steps():
    """[(user, command, [output lines shown])] of every console block, in order."""
    steps = []
    for block in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        for line in block.splitlines():
            match = PROMPT.match(line)
            if match:
                steps.append((match.group(1)[:-1], match.group(2), []))
            elif steps:
                steps[-1][2].append(line)
    return steps


def shows(expected, printed):
    """Do the lines shown appear in what was printed, in order ('…' alone skips lines, '…' in a line
    stands for anything)?"""
    lines = [line.rstrip() for line in printed.splitlines()]
    at = 0
    for want in expected:
        if want.strip() == "…":
            continue
        pattern = re.compile("^" + ".*".join(map(re.escape, want.rstrip().split("…"))) + "$")
        while at < len(lines) and not pattern.match(lines[at]):
            at += 1
        if at == len(lines):
            return False
        at += 1
    return True


def in_a_private_mount_namespace():
    """(unshare runs this very process in the new namespace: its parent, make, is outside it.)"""
    return os.readlink("/proc/self/ns/mnt") != os.readlink(f"/proc/{os.getppid()}/ns/mnt")


def mount(*args):
    subprocess.run(["mount", *args], check=True)


def private(path):
    """An empty tmpfs over `path`, seen only in this namespace, keeping what is in it (bound back) but
    what the guide makes."""
    path.mkdir(parents=True, exist_ok=True)
    keep = Path(tempfile.mkdtemp(prefix="journey-keep-"))
    mount("--bind", str(path), str(keep))
    mount("-t", "tmpfs", "tmpfs", str(path))
    for entry in keep.iterdir():
        target = path / entry.name
        if entry.is_dir() and not entry.is_symlink():
            target.mkdir()
            mount("--bind", str(entry), str(target))
        else:
            shutil.copy2(entry, target, follow_symlinks=False)


@pytest.fixture(scope="module")
def world():
    """This namespace's /srv, /home, /opt and /etc made private (users added land in a copy of /etc)."""
    if os.geteuid() != 0 or not in_a_private_mount_namespace():
        pytest.fail("run this with `make journey-test`: as root, in a mount namespace of its own")
    mount("--make-rprivate", "/")
    for path in ("/srv", "/home"):
        mount("-t", "tmpfs", "tmpfs", path)
    private(Path("/opt"))
    etc = Path(tempfile.mkdtemp(prefix="journey-etc-"))
    subprocess.run(["cp", "-a", "/etc/.", str(etc)], check=True)
    mount("-t", "tmpfs", "tmpfs", "/etc")
    subprocess.run(["cp", "-a", f"{etc}/.", "/etc"], check=True)
    existed = DEFAULT_EXCHANGE.exists()
    yield
    assert existed or not DEFAULT_EXCHANGE.exists(), f"nbgrader made {DEFAULT_EXCHANGE}: the course named no exchange"


def clone():
    """The kit's working tree (what git would check out, with today's edits) at the course root."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (COURSE / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, COURSE / name)


def work(user):
    """What a student does in Jupyter between fetching and submitting: the lesson's functions and an answer written in
    (bob saves his notebook as my_network.ipynb)."""
    name = "my_network.ipynb" if user == "bob" else "simple_nn.ipynb"
    handed = Path(tempfile.mkdtemp(prefix="journey-work-")) / name
    build.write(build.notebook(written=build.WRITTEN), handed)
    handed.parent.chmod(0o755)
    run(user, f"cp {handed} simple_nn/{name}" + (" && rm simple_nn/simple_nn.ipynb" if name != "simple_nn.ipynb"
                                                 else ""))


def environment():
    """root's commands: the machine's PATH, without the environment this test itself runs in."""
    env = {name: value for name, value in os.environ.items() if name not in ("VIRTUAL_ENV", "PYTHONPATH")}
    ours = Path(sys.executable).parent.resolve()
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(p).resolve() != ours)
    return env


def run(user, command):
    if user == "root":
        argv = ["bash", "-c", "set -e\ncd ~\n" + command]
    else:  # a login shell of the student's own, as SSH or a terminal gives it
        argv = ["runuser", "--login", user, "--command", command]
    result = subprocess.run(argv, env=environment(), capture_output=True, text=True, timeout=STEP_SECONDS,
                            stdin=subprocess.DEVNULL)
    return result


def test_the_course_set_up_guide_works_as_written(world):
    """From a fresh server to exported grades: does every command of docs/course-setup.md work as its user, printing what the guide shows?"""
    steps = guide_steps()
    assert [user for user, _, _ in steps].count("alice") >= 4 and any(user == "bob" for user, _, _ in steps)
    for user, command, expected in steps:
        print(f"{user}: {command}", flush=True)
        if command.startswith("apt-get install"):
            packages = [word for word in command.split()[2:] if not word.startswith("-")]
            missing = subprocess.run(["dpkg", "-s", *packages], capture_output=True).returncode
            assert missing == 0, f"this machine lacks some of {packages}: install them first"
            continue
        if command.startswith("git clone"):
            clone()
            continue
        result = run(user, command)
        printed = result.stdout + result.stderr
        # autograde exits 3 when it flagged a submission, as the guide says it does here.
        allowed = (0, 3) if "autograder autograde" in command else (0,)
        assert result.returncode in allowed, f"{user}$ {command}\n{printed[-4000:]}"
        assert shows(expected, printed), f"{user}$ {command}\nthe guide shows:\n" + "\n".join(
            expected) + f"\nit printed:\n{printed[-4000:]}"
        if re.match(r"nbgrader fetch_assignment", command):
            work(user)
    assert (STUDENT_ENV / "bin" / "python").resolve().is_relative_to("/usr"), "the students' Python is the system's"
    for student in ("alice", "bob"):
        assert Path(f"/home/{student}/simple_nn").stat().st_uid != 0
