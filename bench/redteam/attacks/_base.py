"""The lesson's correct answers (the kit's source notebook, as a student writes them), used for every answer cell an attack leaves alone."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from samples.build import notebook, solutions  # noqa: E402  (the kit's root is on the path only from here)

SOLUTIONS = solutions()

STUB = "def {name}(*args, **kwargs):\n    raise NotImplementedError()"
