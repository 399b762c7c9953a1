"""The documentation's commands exist: every `python -m autograder`, `make` and
`nbgrader` command shown in README.md and docs/ names a verb (target,
subcommand) and options that the tool has today, and the sample outputs that
can be made here are the ones the code prints."""
import re
import shlex

import pytest

from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A command in a console block (after a prompt: $, root#, alice$ ...) or in `inline code`.
PROMPT = re.compile(r"^(?:\$|[a-z]+[$#]) (.+)$")
INLINE = re.compile(r"`((?:python -m autograder|nbgrader|make) [^`]*)`")
BLOCK = re.compile(r"^```(?:console|sh|bash)?\n(.*?)^```", re.M | re.S)


def documented_commands():
    """[(page, command)] for every command the pages show."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in BLOCK.findall(text):
            for line in block.splitlines():
                match = PROMPT.match(line)
                if match:
                    found.append((page.name, match.group(1)))
        found += [(page.name, command) for command in INLINE.findall(BLOCK.sub("", text))]
    return found


def pieces(command):
    """Each `tool args` in a shell line (after cd ... &&, an activated environment, pipes)."""
    for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", command):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:  # an inline fragment such as `make demo PYTHON=python3.12`, say
            words = part.split()
        words = [w for w in words if not re.match(r"^[A-Z_]+=", w)] if words and words[0] == "make" else words
        if words[:3] == ["python", "-m", "autograder"] or (words and words[0] in ("nbgrader", "make")):
            yield words


def commands_of(tool):
    return [(page, words) for page, command in documented_commands() for words in pieces(command)
            if (words[0] == tool if tool != "autograder" else words[:3] == ["python", "-m", "autograder"])]


def options(words):
    return [word.split("=")[0] for word in words if word.startswith("--")]


def test_the_pages_show_commands_of_all_three_tools():
    """Does the check below see the documented commands (so that it can fail)?"""
    assert len(commands_of("autograder")) >= 8 and len(commands_of("nbgrader")) >= 10 and len(commands_of("make")) >= 4


def test_every_documented_autograder_verb_and_option_exists():
    """Is every `python -m autograder VERB --option` of the docs a verb and option of today's command line?"""
    from autograder.cli import build_parser
    parser = build_parser()
    [verbs] = [action for action in parser._actions if action.dest == "verb"]
    for page, words in commands_of("autograder"):
        if len(words) < 4 or words[3].startswith("-") or words[3] in ("...", "VERB"):
            continue
        verb = words[3]
        assert verb in verbs.choices, f"{page}: python -m autograder {verb}: no such verb"
        known = {option for action in verbs.choices[verb]._actions for option in action.option_strings}
        for option in options(words):
            assert option in known, f"{page}: python -m autograder {verb} {option}: no such option"


def test_every_documented_make_target_exists():
    """Is every `make TARGET` of the docs a target of the Makefile?"""
    makefile = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(\S+)$", makefile, re.M))

    def expand(text):
        while "$(" in text:
            text = re.sub(r"\$\((\w+)\)", lambda match: variables.get(match.group(1), ""), text)
        return text
    targets = {expand(target) for target in re.findall(r"^([$()\w./-]+):(?!=)", makefile, re.M)}
    for page, words in commands_of("make"):
        for target in [word for word in words[1:] if not word.startswith("-")]:
            assert target in targets, f"{page}: make {target}: no such target"


def test_every_documented_nbgrader_subcommand_and_option_exists():
    """Is every `nbgrader SUBCOMMAND --option` of the docs one that nbgrader 0.9.6 has?"""
    from nbgrader.apps.nbgraderapp import NbGraderApp
    from traitlets.utils.importstring import import_item
    for page, words in commands_of("nbgrader"):
        if len(words) < 2 or words[1].startswith("-"):
            continue
        assert words[1] in NbGraderApp.subcommands, f"{page}: nbgrader {words[1]}: no such subcommand"
        app = NbGraderApp.subcommands[words[1]][0]
        app = import_item(app) if isinstance(app, str) else app
        known = {f"--{name}" for name in list(app.flags) + list(app.aliases)}
        for option in options(words):
            if "." in option:  # --Class.trait=value
                section, _, trait = option[2:].rpartition(".")
                assert any(cls.__name__ == section and trait in cls.class_traits(config=True)
                           for cls in app().classes), f"{page}: nbgrader {words[1]} {option}: no such setting"
            else:
                assert option in known, f"{page}: nbgrader {words[1]} {option}: no such option"


def test_the_student_pages_check_output_is_what_check_prints(env, tmp_path):
    """Is the `check` output shown in docs/student.md what `check` prints today for the notebook it describes?"""
    import subprocess
    import sys
    from samples import corpus
    text = (ROOT / "docs" / "student.md").read_text(encoding="utf-8")
    shown = re.search(r"```console\n\$ python -m autograder check simple_nn.ipynb\n(.*?)```", text, re.S).group(1)
    path = corpus.by_name("compute_gradients_no_n").notebook()
    from samples import build
    notebook = build.write(path, tmp_path / "simple_nn.ipynb")
    printed = subprocess.run([sys.executable, "-m", "autograder", "check", "simple_nn.ipynb"], cwd=notebook.parent,
                             env=env, capture_output=True, text=True, timeout=300).stdout
    assert printed == shown, printed


@pytest.mark.parametrize("page", [page.name for page in PAGES])
def test_every_page_links_to_pages_that_exist(page):
    """Does every relative link of the docs lead to a file of the kit?"""
    path = next(p for p in PAGES if p.name == page)
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
        assert (path.parent / target).exists(), f"{page}: link to {target}, which does not exist"
