"""Named sample submissions: correct answers in several styles, typical
mistakes, cheats and resource abuse. Each is a handful of answer cells (and
optionally cells of the student's own) on top of the release notebook; see
build.notebook.

The kit's tests grade every sample and hold the grader to each sample's
expectations; the demo grades a class made of some of them.
"""
from dataclasses import dataclass, field

from . import build

CORRECT, WRONG, CHEAT, ABUSE = "correct", "wrong", "cheat", "abuse"


@dataclass(frozen=True)
class Sample:
    name: str  # unique, snake_case
    kind: str  # CORRECT, WRONG, CHEAT or ABUSE
    description: str  # one sentence: what this student did
    functions: dict = field(default_factory=dict)  # answer cells replaced: {function name: full cell source}
    extra_cells: tuple = ()  # code cells the student added at the end of the notebook
    solved: bool = True  # the other answer cells hold the lesson's solutions (True) or the release's stubs (False)
    # WRONG and ABUSE: the student functions that must lose points (pipeline aside);
    # every other function must keep all its points.
    loses: frozenset = frozenset()
    # WRONG: words the failure message for the mistake must contain (case-insensitive), naming its likely cause.
    cause: str = ""
    # CHEAT: the name of the sample that is the same submission without the trick;
    # the cheat must not score more than it.
    honest: str = ""

    def notebook(self):
        return build.notebook(self.functions, extra_cells=self.extra_cells, solved=self.solved)


SAMPLES = [
    Sample("lesson_solution", CORRECT, "The lesson's own solution, unchanged."),
    Sample("release_stubs", WRONG, "Nothing implemented: the release as handed out.", solved=False,
           loses=frozenset({"generate_data", "init_params", "predict", "l2_loss", "compute_gradients",
                            "update_params", "train"}), cause="not implemented"),
]


def by_name(name):
    return next(sample for sample in SAMPLES if sample.name == name)
