#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
# It installs Python 3.11 (if the image lacks it) and the kit's pinned
# dependencies into /autograder/venv.
#   AUTOGRADER_ROOT    the autograder folder (default /autograder)
#   AUTOGRADER_PYTHON  an interpreter that already has what the kit needs:
#                      install into it instead (no apt, no venv)
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"

if [ -n "${AUTOGRADER_PYTHON:-}" ]; then
    PYTHON="$AUTOGRADER_PYTHON"
else
    if ! command -v python3.11 >/dev/null; then
        apt-get update
        apt-get install -y python3.11 python3.11-venv
    fi
    python3.11 -m venv "$ROOT/venv"
    PYTHON="$ROOT/venv/bin/python"
fi

# The Python part: the pinned versions the kit was tested with.
"$PYTHON" -m pip install --quiet --disable-pip-version-check \
    -r "$SOURCE/requirements.txt" -c "$SOURCE/constraints.txt"
"$PYTHON" -m autograder --help >/dev/null  # fail the build now, not at the first submission
# The hidden checks stay readable by root only (the sandbox runs student code
# as another user where it can).
chmod -R go-rwx "$SOURCE/autograder/checks"
