"""Points only for what is right, and failures explained by what they build on.

A check of shape, of reproducibility or of leaving the arguments alone says
nothing on its own: zeros of the right shape pass it. Such a check carries the
marker `counts_when("test_...")`, naming the checks of the same function that
judge the values it describes; while one of those fails, its points are
withheld, so a notebook that does no work earns (almost) nothing, and a right
answer with one shape mistake loses only the shape point.

The pipeline check runs every student function together: when it fails and
some of them fail their own checks, its message names them, to fix first.
"""
from .. import contract
from .results import FAILED, PASSED

# Causes that follow from another failure, not misconceptions of their own
# (the class report leaves them out of its counts).
WITHHELD = "points withheld until the values are right"
BUILDS_ON = "a function it uses fails its own checks"
CONSEQUENCES = frozenset({WITHHELD, BUILDS_ON})


def settle(checks, requires):
    """Apply both rules to the list of CheckResult, in place.
    requires: {(tag, check name): names of the checks its points depend on}."""
    by_name = {(check.tag, check.name): check for check in checks}
    for check in checks:
        needed = (by_name.get((check.tag, name)) for name in requires.get((check.tag, check.name), ()))
        wrong = [other for other in needed if other is not None and other.status != PASSED]
        if check.status == PASSED and wrong:
            check.score, check.status, check.cause = 0, FAILED, WITHHELD
            check.message = ("Passes on its own, but its points count only once the values are right too: "
                             f"fix the other failed {'check' if len(wrong) == 1 else 'checks'} of {check.tag} first")
    failing = [tag for tag in contract.FUNCTIONS
               if any(c.tag == tag and c.status != PASSED and c.cause != WITHHELD for c in checks)]
    for check in checks:
        if check.tag == contract.PIPELINE and check.status != PASSED and failing:
            names = ", ".join(failing)
            verb, pronoun = ("fails", "it") if len(failing) == 1 else ("fail", "them")
            check.message += (f"\nThis check runs all your functions together, and {names} {verb} its own "
                              f"checks above: fix {pronoun} first.")
            check.cause = BUILDS_ON
