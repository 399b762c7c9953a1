#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It makes /autograder/venv from a Python 3.11.2 to 3.13 that the image has
# (installing one from the distribution's packages if it has none), installs
# the kit's pinned dependencies into it, grades an empty notebook to prove
# that the bundle and the image can grade, and ends its log with the
# protections for student code that hold on this image (`protections`).
#   AUTOGRADER_ROOT    the autograder folder (default /autograder)
#   AUTOGRADER_PYTHON  an interpreter that already has what the kit needs:
#                      install into it instead (no apt, no venv)
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"

fail() {
    echo "setup.sh: $*" >&2
    exit 1
}

# The first of these that is a supported Python and can make a venv. Debian's
# python3 cannot until python3-venv is installed (ensurepip is missing).
CANDIDATES="python3 python3.13 python3.12 python3.11"
SUPPORTED='import sys, ensurepip, venv; sys.exit(not (3, 11, 2) <= sys.version_info[:3] < (3, 14))'
find_python() {
    for candidate in $CANDIDATES; do
        if command -v "$candidate" >/dev/null && "$candidate" -c "$SUPPORTED" 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

install_python() {
    command -v apt-get >/dev/null || return 1
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    # The distribution's own python3 where it is recent enough (Debian 12 and
    # later, Ubuntu 24.04 and later); else its python3.11 (Ubuntu 22.04).
    apt-get install -y -qq python3 python3-venv >/dev/null || true
    find_python >/dev/null && return 0
    apt-get install -y -qq python3.11 python3.11-venv >/dev/null
}

if [ -n "${AUTOGRADER_PYTHON:-}" ]; then
    PYTHON="$AUTOGRADER_PYTHON"
else
    BASE="$(find_python)" || { install_python || true; BASE="$(find_python)"; } ||
        fail "no Python 3.11.2 to 3.13 with venv on this image, and the distribution's packages (apt-get) provide none: choose a newer base image (Ubuntu 22.04 or later)"
    echo "setup.sh: using $BASE ($("$BASE" --version))"
    "$BASE" -m venv "$ROOT/venv"
    PYTHON="$ROOT/venv/bin/python"
fi

# The Python part: the pinned versions the kit was tested with.
"$PYTHON" -m pip install --quiet --disable-pip-version-check \
    -r "$SOURCE/requirements.txt" -c "$SOURCE/constraints.txt" ||
    fail "pip could not install the pinned requirements into $PYTHON (see above)"
# Fail the build now, not at the first submission: grade an empty notebook
# exactly as run_autograder grades a submission. That imports every module
# grading needs and starts the sandbox's worker.
TRIAL="$(mktemp -d)"
mkdir "$TRIAL/submission"
echo '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}' >"$TRIAL/submission/simple_nn.ipynb"
(cd "$SOURCE" && "$PYTHON" -m autograder gradescope-run --root "$TRIAL") >"$TRIAL/output" 2>&1 &&
    "$PYTHON" -c 'import json, sys; sys.exit(not json.load(open(sys.argv[1]))["tests"])' "$TRIAL/results/results.json" 2>/dev/null ||
    { tail -n 20 "$TRIAL/output" >&2; fail "the grader does not run on this image (the end of its output is above)"; }
rm -rf "$TRIAL"
# The hidden checks stay readable by root only (the sandbox runs student code
# as another user where it can).
chmod -R go-rwx "$SOURCE/autograder/checks"
echo "setup.sh: ready"
# Last in the build log, which Gradescope shows the instructor: what holds on this image
# (a container's default system-call filter refuses namespaces, for one), and what that means.
echo
(cd "$SOURCE" && "$PYTHON" -m autograder protections) ||
    fail "the grader cannot say which protections hold on this image (see above)"
