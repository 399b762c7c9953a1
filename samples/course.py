"""A sample nbgrader course on disk: the kit's source notebook and settings,
and submitted notebooks in nbgrader's submitted/<student>/<assignment>/ layout."""
import shutil
from pathlib import Path

from autograder import contract

from . import build


def make(root, submissions, timestamp="2026-11-20 12:00:00.000000 UTC"):
    """Create a course at `root`. submissions: {student: notebook dict, raw bytes, or {file name: either}}."""
    root = Path(root)
    shutil.copytree(build.ROOT / "source", root / "source", dirs_exist_ok=True)
    shutil.copy(build.ROOT / "nbgrader_config.py", root)
    for student, submission in submissions.items():
        folder = root / "submitted" / student / contract.ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        files = submission if isinstance(submission, dict) and "cells" not in submission else {
            contract.NOTEBOOK: submission}
        # Students submit the assignment's folder: the visible checks' file comes with the notebook.
        for extra in build.RELEASE.parent.iterdir():
            if extra.suffix != ".ipynb" and extra.is_file():
                shutil.copy(extra, folder)
        for name, content in files.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                build.write(content, folder / name)
        # What nbgrader collect leaves beside a submission (release_feedback needs the secret).
        (folder / "timestamp.txt").write_text(timestamp)
        (folder / "submission_secret.txt").write_text(f"secret-of-{student}")
    return root
