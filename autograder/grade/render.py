"""Reports as text: the self-check table for students, one line per check for graders."""
import textwrap

from ..language import say
from .results import PASSED

WIDTH = 100


def table(report):
    """Per function: points, and for each failed check the question and why it failed."""
    lines = [f"{report.notebook}: {report.score:g} of {report.max_score:g} points", ""]
    for tag, (score, points, failed) in report.by_tag().items():
        status = "ok" if not failed else "FAILED"
        lines.append(f"  {tag:<18} {score:>3g} / {points:<3g} {status}")
        every = sum(1 for check in report.checks if check.tag == tag)
        for message, checks in same_reason(failed):
            if len(checks) == every > 1:
                # One reason fails every check of the function (not written yet, a syntax error):
                # said once, without the questions it leaves unanswered.
                lines.extend(_indented(say("All {count} checks: {reason}", count=every, reason=message), "      "))
                continue
            lines.extend(f"      - {check.question}" for check in checks)
            lines.extend(_indented(message, "        "))
    if report.notes:
        lines += ["", "Problems running your notebook's definitions:"]
        for note in report.notes:
            lines.extend(_indented(note, "  - ", "    "))
    if report.grader_errors:
        lines += ["", "The grader itself failed on some checks (not your fault): please report it."]
    return "\n".join(lines)


def same_reason(failed):
    """[(message, [failed checks with that message])], in the order the messages first come."""
    groups = {}
    for check in failed:
        groups.setdefault(check.message, []).append(check)
    return list(groups.items())


def check_lines(report):
    """One line per check: score, points, tag and question; then the total."""
    lines = [f"{c.score:>3g}/{c.points:<3g} {'pass' if c.status == PASSED else c.status:<6} {c.title}"
             for c in report.checks]
    lines.append(f"total {report.score:g} / {report.max_score:g} ({report.seconds:.2f} s)")
    return "\n".join(lines)


def _indented(text, first, rest=None):
    rest = first if rest is None else rest
    out = []
    for number, paragraph in enumerate(text.splitlines() or [""]):
        wrapped = textwrap.wrap(paragraph, WIDTH - len(first), drop_whitespace=False,
                                replace_whitespace=False) or [""]
        for index, line in enumerate(wrapped):
            # A paragraph keeps its own indentation (a traceback's); the lines it wraps onto do not.
            line = line.rstrip() if index == 0 else line.strip()
            out.append((first if number == 0 and index == 0 else rest) + line)
    return out
