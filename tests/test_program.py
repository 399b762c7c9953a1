"""From cells to definitions: what the sandbox runs, and what it leaves out."""
import marshal
import time

from autograder.grade import program
from autograder.grade.notebook import CodeCell


def build(*sources):
    return program.build([CodeCell(number, source, None) for number, source in enumerate(sources, 1)])


def names(prog):
    return [name for definition in prog.definitions for name in definition.names]


def test_keeps_definitions_and_drops_top_level_statements():
    """Are imports, defs, classes and call-free assignments kept, and prints, loops and calls dropped?"""
    prog = build("import numpy as np\nfrom math import pi as PI\nRATE = 0.01\n"
                 "double = lambda x: 2 * x\nclass Net:\n    pass\n"
                 "def predict(inputs, weights, bias):\n    return inputs @ weights + bias\n"
                 "print('hi')\nwhile True:\n    pass\nweights = np.zeros(3)\nresult = predict(1, 2, 3)\n"
                 "items = [i for i in range(10)]\n")
    assert names(prog) == ["np", "PI", "RATE", "double", "Net", "predict"]


def test_a_syntax_error_costs_only_its_cell():
    """Does a syntax error in one cell leave the other cells' functions defined, and say why?"""
    prog = build("def predict(inputs, weights, bias):\n    return inputs @ weights + bias\n",
                 "def l2_loss(outputs, targets):\n    return (outputs - targets\n")
    assert names(prog) == ["predict"]
    assert ("the cell that starts with `def l2_loss(outputs, targets):` has a syntax error on line 2"
            in prog.why_missing("l2_loss"))
    assert prog.why_missing("predict") is None


def test_magics_do_not_stop_grading():
    """Are IPython magics and shell commands translated, and the cell's functions kept?"""
    prog = build("%matplotlib inline\n!pip list\ndef f():\n    return 1\n%timeit f()\n",
                 "%%time\ndef g():\n    return 2\n",
                 "%%bash\necho not python\n")
    assert names(prog) == ["f", "g"]


def test_decorators_are_part_of_the_definition():
    """Is a decorated function compiled with its decorators (which run when it is defined)?"""
    prog = build("import functools\n@functools.lru_cache\ndef f(x):\n    return x\n")
    definition = prog.definitions[-1]
    assert definition.names == ("f",) and definition.line == 2
    code = marshal.loads(definition.code)
    assert code.co_filename == "<the cell that starts with `import functools`>"


def test_compile_errors_of_one_statement_cost_only_it():
    """Is a def that parses but cannot compile reported, while the rest of the cell is kept?"""
    prog = build("def bad():\n    nonlocal x\n\ndef good():\n    return 1\n")
    assert names(prog) == ["good"]
    assert "line 1" in prog.why_missing("bad")


def test_input_that_would_overwhelm_the_grader_costs_only_its_cell():
    """Do a 200,000-term expression, a huge cell and deep nesting each cost their cell, not the grader?"""
    cells = [CodeCell(1, "total = " + "1 + " * 200_000 + "1\ndef a():\n    pass\n", None),
             CodeCell(2, "x = " + "-" * 100_000 + "1\ndef b():\n    pass\n", None),
             CodeCell(3, "def c(x=" + "1 + " * 40_000 + "1):\n    pass\n", None),
             CodeCell(4, "def predict(inputs, weights, bias):\n    return inputs @ weights + bias\n", None)]
    built = program.build(cells)
    assert [d.names for d in built.definitions] == [("predict",)]
    assert "larger than 200 kB" in built.why_missing("a")
    assert "nested too deeply" in built.why_missing("b")
    assert "the cell that starts with `def c(x=1 + 1 + 1" in built.why_missing("c")
    assert "too deeply" in built.why_missing("c")


def test_ipython_syntax_costs_bounded_time():
    """Does a cell of thousands of magics, which IPython's transformer takes minutes over, cost the grader little?"""
    started = time.monotonic()
    built = program.build([CodeCell(1, "%time x = 1\n" * 12_000 + "def predict(inputs, weights, bias):\n"
                                       "    return inputs @ weights + bias\n", None),
                           CodeCell(2, "files = !ls\n" + "?np.sum\n" * 3000 + "def l2_loss(o, t):\n    return 0.0\n",
                                    None)])
    assert time.monotonic() - started < 10
    assert [d.names for d in built.definitions] == [("predict",)]
    assert "syntax error" in built.why_missing("l2_loss")
