"""The notebook's only heading is 2 MB long and sits above every code cell (the student turned the lesson's headings into plain text), plus 60 one-line cells: every cell's traceback name, hence every definition's code object and every entry of the sources sent to the sandbox, carries 2 MB, about 400 MB per check: the grader's memory and time, not the student's."""
KIND = "slow"
LIMIT = 300
HEADING_CHARS = 2_000_000
EXTRA = [f"x_{i} = {i}" for i in range(60)]


def hook(nb):
    for cell in nb["cells"]:
        if cell.get("cell_type") == "markdown":
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = "\n".join(line.lstrip("#").lstrip() if line.lstrip().startswith("#") else line
                                       for line in text.split("\n"))
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": "# " + "H" * HEADING_CHARS})
