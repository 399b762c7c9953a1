"""The kit's layout: one unit per subpackage, and imports that run one way
(a notebook's path, grade -> sandbox -> back, never reaches the class workflow)."""
import ast

import pytest

from conftest import ROOT

PACKAGE = ROOT / "autograder"
# Which of the kit's units each unit may import (besides contract and manifest at the top).
MAY_IMPORT = {
    "language": set(),
    "sandbox": {"language"},
    "checks": {"sandbox", "language"},
    "grade": {"sandbox", "checks", "language"},
    "gradescope": {"grade", "sandbox", "language"},
    "classwork": {"grade", "sandbox", "language"},
    "service": {"grade", "classwork", "sandbox", "language"},
}


def imported_units(path):
    """The kit's units (autograder subpackages, or other top-level packages such as samples) a module imports."""
    unit_folder = path.relative_to(PACKAGE).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(unit_folder)[:len(unit_folder) - (node.level - 1)] if node.level > 1 else list(unit_folder)
            names = base + (node.module.split(".") if node.module else [])
            targets = [names] if names else [[alias.name] for alias in node.names]
            found |= {target[0] for target in targets}
        elif isinstance(node, ast.ImportFrom):
            parts = node.module.split(".")
            found.add(parts[1] if parts[0] == "autograder" and len(parts) > 1 else "autograder" if
                      parts[0] == "autograder" else parts[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.add(parts[1] if parts[0] == "autograder" and len(parts) > 1 else parts[0])
    return found


def modules(unit):
    return sorted((PACKAGE / unit).rglob("*.py"))


@pytest.mark.parametrize("unit", sorted(MAY_IMPORT))
def test_each_unit_imports_only_the_units_below_it(unit):
    """Does each subpackage import only the units below it (grade never classwork, sandbox neither)?"""
    others = set(MAY_IMPORT) - MAY_IMPORT[unit] - {unit}
    wrong = {path.relative_to(ROOT).as_posix(): sorted(imported_units(path) & others) for path in modules(unit)}
    assert not {path: units for path, units in wrong.items() if units}


def test_nothing_in_the_product_imports_the_samples():
    """Does no module under autograder/ import samples/ (the solutions and the demo course live there)?"""
    importing = [path.relative_to(ROOT).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
                 if "samples" in imported_units(path)]
    assert importing == []


def test_the_top_level_holds_only_the_shared_names_and_the_command_line():
    """Does autograder/ keep at most 6 modules at its top level, each unit in a subpackage that says what it does?"""
    assert len(list(PACKAGE.glob("*.py"))) <= 6
    for unit in MAY_IMPORT:
        doc = ast.get_docstring(ast.parse((PACKAGE / unit / "__init__.py").read_text()))
        assert doc and len(doc.splitlines()) >= 2, f"autograder/{unit}/__init__.py should say what the unit does"
