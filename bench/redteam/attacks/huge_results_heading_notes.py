"""A 1 MB heading in a markdown cell, then 120 tiny cells with a syntax error: every note names its cell by that heading, so a 1 MB notebook with the lesson's answers gives a results document of over 120 MB."""
KIND = "huge"
HEADING_CHARS = 1_000_000
BROKEN_CELLS = 120


def hook(nb):
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "# " + "H" * HEADING_CHARS})
    for i in range(BROKEN_CELLS):
        nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                            "id": f"broken-{i}", "source": f"def broken_{i}(:\n    pass"})
