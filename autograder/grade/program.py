"""From a notebook's code cells to the definitions the sandbox runs.

Only imports, function and class definitions and call-free assignments
(constants, lambdas) are kept: experiments, prints, plots and a stray
`while True:` at the top level of a cell cannot cost a function its points.
Cells are parsed here, in the grader, where no student code runs; the sandbox
receives compiled code objects, one per kept statement, so a statement that
fails costs only what it defines.
"""
import ast
import marshal
import re
from dataclasses import dataclass, field

from ..language import say

# Cell magics whose body is Python: grade the body. Other cell magics
# (%%bash, %%writefile, ...) make the cell not Python.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
MAGIC_LINE = re.compile(r"^([ \t]*)(?:[A-Za-z_][\w.]*[ \t]*=[ \t]*)?[%!].*$", re.M)
# IPython's transformer reruns over the whole cell for every magic in it: beyond
# this size a cell it would have to translate is reported as a syntax error.
MAX_TRANSFORMED_CHARS = 4000
# A cell of an answer is a few kB; the parser's recursion and the grader's time
# are bounded by refusing larger ones.
MAX_CELL_CHARS = 200_000
DEFINES = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)|^(\w+)[ \t]*=[ \t]*lambda\b", re.M)


@dataclass(frozen=True)
class Definition:
    cell: int
    line: int
    names: tuple
    code: bytes  # a marshalled code object, compiled from this one statement
    # A plain assignment (not a function, class or import): if it fails, it was
    # an experiment (`first_rows = inputs[:3]`), not worth a note.
    quiet: bool = False
    place: str = ""  # the cell as the student finds it (notebook.CodeCell.place)


@dataclass
class Program:
    definitions: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # traceback filename -> source, for readable tracebacks
    problems: dict = field(default_factory=dict)  # name -> why its definition could not run

    def why_missing(self, name):
        return self.problems.get(name)


def filename(cell):
    """The name tracebacks give the cell: how the student finds it (Jupyter numbers no cells)."""
    return f"<{cell.place}>"


def build(cells):
    """The Program for a list of notebook.CodeCell."""
    program = Program()
    for cell in cells:
        if len(cell.source) > MAX_CELL_CHARS:
            _blame(program, cell.source, say("{cell} is larger than {size} kB, so nothing in it was run: split it, "
                                             "or remove what it does not need", cell=cell.place,
                                             size=MAX_CELL_CHARS // 1000))
            continue
        source = python_source(cell.source)
        if source is None:
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            _blame(program, cell.source, say("{cell} has a syntax error on line {line} ({error}), so nothing in "
                                             "it could be run", cell=cell.place, line=error.lineno, error=error.msg))
            continue
        except (ValueError, RecursionError, MemoryError):
            _blame(program, cell.source, say("{cell} is nested too deeply for Python to read, so nothing in it "
                                             "could be run", cell=cell.place))
            continue
        name = filename(cell)
        if name in program.sources:  # two cells alike (a copied cell): tracebacks still tell them apart
            name = f"{name[:-1]} #{sum(1 for other in program.sources if other.startswith(name[:-1]))}>"
        program.sources[name] = source
        for node in tree.body:
            if not is_definition(node):
                continue
            line = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            try:
                code = marshal.dumps(compile(ast.Module(body=[node], type_ignores=[]), name, "exec", dont_inherit=True))
            except (SyntaxError, ValueError) as error:
                _blame(program, ast.get_source_segment(source, node) or "",
                       say("{cell}, line {line}: {error}", cell=cell.place, line=line, error=str(error)))
                continue
            except (RecursionError, MemoryError):
                _blame(program, ast.get_source_segment(source, node) or "",
                       say("{cell}, line {line}: nested too deeply for Python to compile", cell=cell.place, line=line))
                continue
            quiet = isinstance(node, (ast.Assign, ast.AnnAssign)) and not isinstance(node.value, ast.Lambda)
            program.definitions.append(Definition(cell.number, line, defined_names(node), code, quiet, cell.place))
    return program


def _blame(program, text, reason):
    for match in DEFINES.finditer(text):
        program.problems[match.group(1) or match.group(2)] = reason


def python_source(source):
    """The cell as Python source (magics translated, line numbers kept), or None."""
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[first] = ""
        source = "\n".join(lines)
    if _parses(source):
        return source
    # Line magics and shell commands (`%time f()`, `x = !ls`) only ever make
    # calls, which the sandbox does not run: `pass` keeps the lines' numbers.
    quieted = MAGIC_LINE.sub(r"\1pass", source)
    if _parses(quieted):
        return quieted
    if len(source) > MAX_TRANSFORMED_CHARS:
        return source  # IPython's transformer takes seconds per magic on large cells
    # Only cells that are neither plain Python nor fixed above pay for IPython's import.
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 (IPython's transformers raise assorted errors on broken input)
        return source


def _parses(source):
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


_ALWAYS_KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def is_definition(node):
    if isinstance(node, _ALWAYS_KEPT):
        return True
    if isinstance(node, ast.Assign):
        return all(_is_name_target(t) for t in node.targets) and _call_free(node.value)
    if isinstance(node, ast.AnnAssign):
        return node.value is not None and _is_name_target(node.target) and _call_free(node.value)
    return False


def _is_name_target(target):
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, (ast.Tuple, ast.List)) and all(_is_name_target(t) for t in target.elts)


def _call_free(expression):
    """Does evaluating this expression run no code (no calls, no comprehensions)?
    A lambda's body runs only when called, so it does not count."""
    pending = [expression]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            pending.extend(node.args.defaults + [d for d in node.args.kw_defaults if d is not None])
            continue
        if isinstance(node, (ast.Call, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                             ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return False
        pending.extend(ast.iter_child_nodes(node))
    return True


def defined_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (node.name,)
    if isinstance(node, ast.Import):
        return tuple(alias.asname or alias.name.partition(".")[0] for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return tuple(alias.asname or alias.name for alias in node.names)
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return tuple(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
