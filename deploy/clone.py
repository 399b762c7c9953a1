"""The README's set-up with this machine's system Python: a fresh clone of
the committed kit, then `make demo` and `make test` with PYTHON set to it."""
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from . import roots

MAKE_SECONDS = 1800


def check(python):
    """Lines of the report; raises DeployError when a command fails."""
    version = subprocess.run([python, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=roots.KIT, capture_output=True,
                            text=True).stdout.strip()
    lines = [f"fresh clone of {commit} with PYTHON={python} ({version})"]
    # The kit's tools come from the clone's own .venv: nothing of this run's environment.
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV"))}
    with tempfile.TemporaryDirectory(prefix="deploy-clone-") as folder:
        clone = Path(folder) / "kit"
        cloned = subprocess.run(["git", "clone", "--quiet", str(roots.KIT), str(clone)], capture_output=True,
                                text=True)
        if cloned.returncode != 0:
            raise roots.DeployError(f"git clone failed: {cloned.stderr.strip()}")
        subprocess.run(["git", "checkout", "--quiet", commit], cwd=clone, check=True)
        for target in ("demo", "test"):
            started = time.monotonic()
            made = subprocess.run(["make", target, f"PYTHON={python}"], cwd=clone, env=env, capture_output=True,
                                  text=True, timeout=MAKE_SECONDS)
            seconds = time.monotonic() - started
            if made.returncode != 0:
                raise roots.DeployError(f"make {target} PYTHON={python} failed in a fresh clone:\n"
                                        f"{made.stdout[-4000:]}\n{made.stderr[-3000:]}")
            lines.append(f"  make {target:<5} ok in {seconds:.0f} s: {_summary(target, made.stdout)}")
    return lines


def _summary(target, output):
    if target == "test":
        found = re.findall(r"=+ (.*(?:passed|failed).*) =+", output)
        return found[-1] if found else "(no pytest summary)"
    found = [line for line in output.splitlines() if line.startswith(("  automatic points", "done in"))]
    return "; ".join(line.strip() for line in found)
