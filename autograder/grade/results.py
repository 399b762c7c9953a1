"""One result type for every front end: the self-check table, Gradescope's
results.json, the gradebook, the feedback pages and the class report."""
from dataclasses import asdict, dataclass, field

import numpy as np

from .. import contract
from ..language import records

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass
class CheckResult:
    tag: str  # the student function graded, or "pipeline"
    name: str  # the check's function name, e.g. test_matches_finite_differences
    question: str  # its docstring: what the check asks
    points: float
    score: float
    status: str  # passed, failed, or error (the grader's own failure)
    message: str = ""  # why it failed, for the student
    cause: str = ""  # a short name for the likely mistake, the same for every student who made it

    @property
    def title(self):
        return f"{self.tag}: {self.question}"


@dataclass
class Report:
    notebook: str
    checks: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # problems running the student's definitions
    incidents: list = field(default_factory=list)  # student functions that hung, crashed or exited
    artifacts: dict = field(default_factory=dict)  # the student's own training run, for plots
    grader_errors: list = field(default_factory=list)
    seconds: float = 0.0
    confinement: tuple = ()

    @property
    def score(self):
        return sum(check.score for check in self.checks)

    @property
    def max_score(self):
        return sum(check.points for check in self.checks)

    def by_tag(self):
        """{tag: (score, points, [failed checks])} in the lesson's order."""
        summary = {}
        for tag in contract.TAGS:
            checks = [c for c in self.checks if c.tag == tag]
            summary[tag] = (sum(c.score for c in checks), sum(c.points for c in checks),
                            [c for c in checks if c.status != PASSED])
        return summary

    def gradescope(self):
        """Gradescope's results.json document."""
        tests = [{
            "name": check.title,
            "score": check.score,
            "max_score": check.points,
            "status": check.status if check.status != ERROR else FAILED,
            "output": check.message or "Passed.",
            "visibility": "visible",
            "tags": [check.tag],
            # the message as said (template and values), to compare by id whatever the language
            "extra_data": {records.SAID: records.record(check.message)},
        } for check in self.checks]
        output = [f"{self.score:g} / {self.max_score:g} points from the automatic checks."]
        if self.notes:
            output.append("Problems running your notebook's definitions:")
            output.extend(f"- {note}" for note in self.notes)
        if self.grader_errors:
            output.append("The grader itself failed on some checks; your instructor has been told.")
        return {"execution_time": round(self.seconds, 3), "output": "\n".join(output), "tests": tests}

    def to_dict(self):
        document = asdict(self)
        document["artifacts"] = {key: np.asarray(value).tolist() for key, value in self.artifacts.items()}
        document["confinement"] = list(self.confinement)
        return records.kept(document)  # each Message keeps its template and values beside its text

    @classmethod
    def from_dict(cls, document):
        document = records.restored(document)
        document["checks"] = [CheckResult(**check) for check in document["checks"]]
        document["artifacts"] = {key: np.asarray(value) for key, value in document["artifacts"].items()}
        document["confinement"] = tuple(document["confinement"])
        return cls(**document)


def unreadable(message, seconds=0.0):
    """Gradescope's document for a submission that could not be graded at all."""
    return {"score": 0, "execution_time": round(seconds, 3), "output": message, "tests": []}
