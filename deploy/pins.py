"""Every pinned version installs on each supported Python: uv resolves the
whole pinned set (pyproject.toml with constraints.txt) against the registry's
metadata, Requires-Python included, for the lowest release of each."""
import subprocess
import sys
import tempfile

from . import roots

# The lowest of each supported minor version (pyproject.toml's requires-python),
# and the newest 3.13 to catch an upper bound.
PYTHONS = ("3.11.2", "3.12.0", "3.13.0", "3.13.9")


def check():
    """One line of the report; raises DeployError when a version does not resolve."""
    for version in PYTHONS:
        with tempfile.NamedTemporaryFile(suffix=".txt") as output:
            resolved = subprocess.run([sys.executable, "-m", "uv", "pip", "compile", "--quiet", "pyproject.toml",
                                       "-c", "constraints.txt", "--python-version", version, "-o", output.name],
                                      cwd=roots.KIT, capture_output=True, text=True)
        if resolved.returncode != 0:
            raise roots.DeployError(f"the pinned versions do not all install on Python {version}:\n"
                                    f"{resolved.stderr.strip()}")
    return f"pins: the whole pinned set resolves for Python {', '.join(PYTHONS)}"
