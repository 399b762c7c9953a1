"""The files that make up the grader, relative to this package: what a grade
depends on (store.kit_fingerprint) and what the Gradescope bundle ships
(no solutions, no samples, no class-grading code)."""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
GRADER_FILES = ("__init__.py", "__main__.py", "cli.py", "contract.py", "grading.py", "notebook.py", "program.py",
                "render.py", "results.py", "checks/*.py", "checks/pytest.ini", "sandbox/*.py",
                "gradescope/__init__.py")


def grader_files():
    """Every grader file, sorted."""
    return [path for pattern in GRADER_FILES for path in sorted(PACKAGE.glob(pattern))]
