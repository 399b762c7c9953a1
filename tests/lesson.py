"""Run the instructor notebook headlessly and read what the network learned.

The lesson tags the cell where it says training has converged; a probe cell
inserted right after it reports the weights and bias at that point.
"""
import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CONVERGED_TAG = "converged"
PROBE = (
    "import json as _json\n"
    "print(_json.dumps({'weights': weights.ravel().tolist(), 'bias': bias.ravel().tolist()}))"
)


def run_to_convergence(path, timeout=120):
    """Execute the notebook at `path`; return (executed notebook, learned parameters)."""
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, cell in enumerate(nb.cells) if CONVERGED_TAG in cell.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise ValueError(f"{path}: expected one cell tagged {CONVERGED_TAG!r}, found {len(tagged)}")
    probe_at = tagged[0] + 1
    nb.cells.insert(probe_at, nbformat.v4.new_code_cell(PROBE))
    # Run where Jupyter would, in the notebook's folder: its test cells import visible_checks.py from there.
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    learned = json.loads(nb.cells[probe_at].outputs[0]["text"])
    del nb.cells[probe_at]
    return nb, learned
