"""Secret, reproducible randomness for the checks' inputs.

Each check draws from its own generator, seeded from the check's name and a
key that students never see, so grades are the same on every run while the
numbers are not the lesson's.
"""
import hashlib

import numpy as np

KEY = b"simple-nn hidden checks, 2026"


def generator(name):
    digest = hashlib.sha256(KEY + name.encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def coefficients(gen, n_inputs, low=0.5, high=4.0):
    """Weights and a bias well away from 0 and from the lesson's (2, -3, 5), with random signs."""
    magnitudes = gen.uniform(low, high, size=n_inputs + 1)
    signs = gen.choice([-1.0, 1.0], size=n_inputs + 1)
    values = np.round(magnitudes * signs, 3)
    values[np.isin(values, [2.0, -3.0, 5.0])] += 0.25
    return values[:-1], float(values[-1])
