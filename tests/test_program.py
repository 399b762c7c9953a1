"""From cells to definitions: what the sandbox runs, and what it leaves out."""
import marshal

from autograder import program
from autograder.notebook import CodeCell


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
    assert "cell 2 has a syntax error on line 2" in prog.why_missing("l2_loss")
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
    assert code.co_filename == "<cell 1>"


def test_compile_errors_of_one_statement_cost_only_it():
    """Is a def that parses but cannot compile reported, while the rest of the cell is kept?"""
    prog = build("def bad():\n    nonlocal x\n\ndef good():\n    return 1\n")
    assert names(prog) == ["good"]
    assert "line 1" in prog.why_missing("bad")
