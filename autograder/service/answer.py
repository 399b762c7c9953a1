"""What the service answers for a graded notebook: what `check` prints (text)
and what `grade --json` writes (results), and nothing else of the Report.

The Report also holds the grader's own errors (tracebacks through the hidden
checks' code), the incidents and the student's training run: none of them
leaves the service, so the answer can never carry a hidden check's code or a
reference value that `check` does not show.
"""
from ..classwork import batch
from ..grade import render, results
from ..language import say
from . import attempts, settings

# The keys of a graded answer, and nothing more (tests hold the service to it).
GRADED_KEYS = frozenset({"status", "notebook", "sha256", "score", "max_score", "text", "results", "attempt",
                         "student", "checks_left", "window_seconds"})


def render_table(report, language):
    """The self-check table in the student's language (English only, for now)."""
    if language not in settings.LANGUAGES:
        raise ValueError(language)
    return render.table(report)


def of(outcome, language):
    """(HTTP status, answer document, attempt outcome, score, max_score, causes) for a batch outcome."""
    if isinstance(outcome, batch.Unreadable):
        message = say("Your submission could not be graded: {why}", why=outcome.message)
        return 422, {"status": attempts.UNREADABLE, "error": outcome.message,
                     "results": results.unreadable(message)}, attempts.UNREADABLE, None, None, None
    if isinstance(outcome, batch.GraderFailure):
        return 500, {"status": attempts.GRADER_FAILED, "error": str(say(
            "The grader failed on your notebook (not your fault); your instructor can find it in the service's log."
        ))}, attempts.GRADER_FAILED, None, None, None
    document = {"status": attempts.GRADED, "notebook": outcome.notebook, "score": outcome.score,
                "max_score": outcome.max_score, "text": render_table(outcome, language),
                "results": outcome.gradescope()}
    return 200, document, attempts.GRADED, outcome.score, outcome.max_score, attempts.causes(outcome)
