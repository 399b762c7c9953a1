"""The files that make up the grader: what a grade depends on
(store.kit_fingerprint, grader_files) and what the Gradescope bundle ships
(verb_files).

They are found by following imports, never listed by hand: grader_files from
the places where grading starts, read from the code; verb_files from what
each verb meant to run on Gradescope really imports when it runs (traced in
a fresh Python), followed the same way. So a module that grading, or any such
verb, imports cannot be left out of the bundle. Solutions (source/) and
samples lie outside the package and are never reached; the class workflow
(nbgrader, the gradebook, feedback pages) is reached only through CLI verbs
that Gradescope never runs, so it stays out too.
"""
import ast
import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KIT = PACKAGE.parent
# Where grading starts: `python -m autograder gradescope-run` (run_autograder)
# and the `grade --json` it runs for each submission.
ENTRY_MODULES = ("__main__.py", "gradescope/__init__.py")
# cli.py imports each verb's modules inside the function that runs the verb:
# of those functions, only the grading verbs' are followed (and what they call).
CLI = "cli.py"
CLI_GRADING_FUNCTIONS = ("_grade",)
# Run by path (`python -I -S worker.py`), not imported: its plain imports are
# its sibling modules, found through the script's own folder, and so are theirs.
SCRIPTS = ("sandbox/worker.py",)
# Collected by pytest as a folder: every file in it counts (pytest.ini too).
CHECKS = "checks"
# Read at run time, not imported: the message catalogues a report is said in.
DATA = ("language/catalogues",)


# Units of the package that a traced verb may find installed but that the bundle leaves out:
# the check service (cli.py offers its verbs only where `autograder.service` imports, and
# Gradescope has neither its server nor a use for it).
LEFT_OUT = ("service",)
# Run in a fresh Python for each traced verb: the command line with those arguments, then the
# names and files of every module imported by the time it exits, whatever its exit status.
TRACER = """
import atexit, json, runpy, sys
record = sys.argv[1]
def save():
    with open(record, "w") as file:
        json.dump({name: getattr(module, "__file__", None) for name, module in list(sys.modules.items())}, file)
atexit.register(save)
sys.argv = ["autograder"] + sys.argv[2:]
runpy.run_module("autograder", run_name="__main__", alter_sys=True)
"""


class ManifestError(Exception):
    """Grading imports something that must not ship with the grader."""


@functools.cache
def _grader_files():
    return _closure([PACKAGE / name for name in ENTRY_MODULES])


def _closure(seeds):
    """Every grader file that importing the modules `seeds` can import (inside functions too),
    with the sandbox's worker script, the checks folder and the catalogues."""
    files = set()
    scripts = {PACKAGE / name for name in SCRIPTS}  # and the siblings they import, which import theirs
    todo = list(seeds) + [PACKAGE / name for name in SCRIPTS]
    todo += [path for path in (PACKAGE / CHECKS).iterdir() if path.is_file()]
    while todo:
        path = todo.pop()
        if path in files:
            continue
        files.add(path)
        todo += _parents(path)
        if path.suffix == ".py":
            imported, siblings = _imported_files(path, path in scripts)
            scripts |= siblings
            todo += imported
    files |= {path for folder in DATA for path in (PACKAGE / folder).rglob("*.po")}  # data: no package above
    return tuple(sorted(files))


def grader_files():
    """Every grader file, sorted."""
    return list(_grader_files())


def verb_files(commands, cwd=None):
    """Every file the CLI verbs `commands` (argument lists, such as ["protections"]) need:
    each is run to its end in a fresh Python from `cwd` (default: the kit), the package's modules
    it imported are followed like grading's (so what they import only on some path comes too),
    and grader_files() are added. Sorted."""
    static = _grader_files()  # first: an import of the samples is refused before anything runs
    with tempfile.TemporaryDirectory(prefix="manifest-") as folder:
        runs = []
        for number, command in enumerate(commands):
            record = Path(folder) / f"{number}.json"
            runs.append((command, record, subprocess.Popen(
                [sys.executable, "-c", TRACER, str(record), *command], cwd=cwd or KIT, env=_trace_env(),
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
        seeds = []
        for command, record, process in runs:  # side by side: each takes a second or two
            _, errors = process.communicate()
            if process.returncode != 0 or not record.is_file():
                raise ManifestError(f"`python -m autograder {' '.join(command)}` failed here (exit status "
                                    f"{process.returncode}), so what it needs is unknown:\n{errors[-2000:]}")
            seeds += _package_files(command, json.loads(record.read_text()))
    return sorted(set(_closure(seeds)) | set(static))


def _trace_env():
    """This environment, with the kit's folder first on the path (as `python -m autograder` run
    from it has it), whichever way the package is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(KIT), env.get("PYTHONPATH")]))
    return env


def _package_files(command, modules):
    """The package's files among a traced verb's modules ({name: file}); ManifestError for a
    module of the kit outside the package (samples hold solutions)."""
    found = []
    for name, file in modules.items():
        path = Path(file).resolve() if file else None
        if path is None or not path.is_relative_to(KIT) or path.is_relative_to(Path(sys.prefix).resolve()):
            continue  # built in, the standard library or an installed package
        parts = name.split(".")
        if not path.is_relative_to(PACKAGE):
            raise ManifestError(f"`python -m autograder {' '.join(command)}` imports {name}, which is not "
                                f"part of the grader: the Gradescope bundle ships no solutions and no samples")
        if len(parts) < 2 or parts[1] not in LEFT_OUT:
            found.append(path)
    return found


def _parents(path):
    """The __init__.py of every package that importing `path` imports first."""
    folder = path.parent
    found = []
    while folder != KIT:
        found.append(folder / "__init__.py")
        folder = folder.parent
    return found


def _imported_files(path, as_script):
    """The kit's files that `path` imports, and those of them imported as a
    script's siblings (`import wire` from the worker's folder)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    relative = path.relative_to(PACKAGE).as_posix()
    found, siblings = [], set()
    for node in _import_nodes(tree, relative):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            module = _module_file(base, node.module.split(".") if node.module else [])
            names = [alias.name for alias in node.names]
            found += [module] + [_module_file(base, (node.module.split(".") if node.module else []) + [name])
                                 for name in names]
            continue
        if isinstance(node, ast.ImportFrom):
            dotted = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            dotted = [alias.name for alias in node.names]
        for name in dotted:
            parts = name.split(".")
            if as_script and _module_file(path.parent, parts[:1]):
                found.append(_module_file(path.parent, parts))
                siblings.add(found[-1])
            elif parts[0] == PACKAGE.name:
                found.append(_module_file(KIT, parts))
            elif _module_file(KIT, parts[:1]):
                raise ManifestError(f"autograder/{relative} imports {parts[0]}, which is not part of the grader: "
                                    f"the Gradescope bundle ships no solutions and no samples")
    return [file for file in found if file is not None], siblings


def _module_file(base, parts):
    """The file that defines module `parts` under folder `base`, or None (an
    attribute, not a module, or a module from outside the kit)."""
    if not parts:
        return base / "__init__.py" if (base / "__init__.py").is_file() else None
    target = base.joinpath(*parts)
    for candidate in (target / "__init__.py", target.with_name(target.name + ".py")):
        if candidate.is_file():
            return candidate
    return None


def _import_nodes(tree, relative):
    """The import statements of a module that grading can run."""
    if relative != CLI:
        return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    reached, todo = set(), list(CLI_GRADING_FUNCTIONS)
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo += [node.func.id for node in ast.walk(functions[name])
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions]
    statements = [node for node in tree.body if not isinstance(node, ast.FunctionDef)]
    statements += [functions[name] for name in reached]
    return [node for statement in statements for node in ast.walk(statement)
            if isinstance(node, (ast.Import, ast.ImportFrom))]
