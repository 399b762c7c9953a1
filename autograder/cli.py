"""`python -m autograder VERB ...`: a thin command line over the kit's verbs.

Exit status: 0 the work was done (whatever the scores); 2 the input is not a
readable notebook (or course); 1 the kit itself failed.
"""
import argparse
import contextlib
import json
import os
import sys
import threading
import traceback

from .language import say

GRADED, GRADER_FAILED, BAD_INPUT, FLAGGED = 0, 1, 2, 3
# How often the progress line's clock moves while one check runs.
PROGRESS_TICK_SECONDS = 0.5


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    grade = verbs.add_parser("grade", help="grade one notebook with the hidden checks")
    grade.add_argument("notebook")
    grade.add_argument("--json", action="store_true", help="print Gradescope's results.json document")
    _limits_options(grade)
    _language_option(grade, "the language to answer in (default: the notebook's edition)")

    check = verbs.add_parser("check", help="self-check: what passes, what fails and why")
    check.add_argument("notebook")
    _limits_options(check)
    _language_option(check, "the language to answer in (default: the notebook's edition)")

    autograde = verbs.add_parser("autograde", help="grade every submission into nbgrader's gradebook",
                                 description="Run from the course root. Exit status 3: some submissions "
                                             "were flagged for manual grading.")
    autograde.add_argument("assignment")
    autograde.add_argument("--student", help="grade only this student")
    autograde.add_argument("--db", metavar="URL", help="the gradebook's database URL (default: nbgrader's)")
    autograde.add_argument("--jobs", type=int, metavar="N", help="grading processes (default: every core)")
    autograde.add_argument("--force", action="store_true",
                           help="regrade even submissions whose trusted grade is current (with --student: only theirs)")
    _limits_options(autograde)
    _language_option(autograde, "the language of the summary (default: your locale's, else English)")

    for verb, text in (("feedback", "write each student's feedback page (HTML) under feedback/"),
                       ("report", "write the class report under reports/: check-scores.csv, misconceptions.csv "
                                  "and misconceptions.png")):
        pages = verbs.add_parser(verb, help=text)
        pages.add_argument("assignment")
        pages.add_argument("--db", metavar="URL", help="the gradebook's database URL (default: nbgrader's)")

    students = verbs.add_parser("student-config", help="print the nbgrader settings students' Jupyter needs "
                                                       "(the course id and the exchange, from the course's config)")
    students.add_argument("assignment", nargs="?", default="simple_nn")

    bundle = verbs.add_parser("gradescope", help="build the Gradescope autograder zip")
    bundle.add_argument("--out", default="dist/gradescope", help="where to write autograder.zip")
    on_gradescope = verbs.add_parser("gradescope-run", help="what run_autograder does on Gradescope")
    on_gradescope.add_argument("--root", default="/autograder")

    verbs.add_parser("protections", help="which protections for student code hold on this machine")
    return parser


def _limits_options(parser):
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="wall-clock limit per call of a student function (default 10)")


def _language_option(parser, text):
    from .language.catalogue import LANGUAGES
    parser.add_argument("--language", metavar="|".join(LANGUAGES), type=_language_name, help=text)


def _language_name(option):
    """The kit's name for a language option ("zh-CN" -> "zh_CN"); argparse's one-line error otherwise."""
    from .language import readers
    try:
        return readers.chosen(option)
    except readers.UnknownLanguage as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _language(args, notebook=None):
    """The language to answer in: the option, else the notebook's edition (a student),
    else the locale's (an instructor)."""
    from .language import readers
    if notebook is not None:
        return readers.for_student(notebook, args.language)
    return readers.for_instructor(args.language)


def _limits(args):
    from .sandbox import Limits
    if args.timeout is None:
        return Limits()
    if not args.timeout > 0:
        raise SystemExit("error: --timeout must be a positive number of seconds")
    return Limits(call_seconds=args.timeout)


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.verb in ("grade", "check"):
        return _grade(args)
    if args.verb == "autograde":
        return _autograde(args)
    if args.verb in ("feedback", "report"):
        return _write_pages(args)
    if args.verb == "student-config":
        from .classwork.course import CourseError
        from .classwork.students import student_config
        try:
            print(student_config(_course(args)), end="")
        except CourseError as error:
            print(f"error: {error}", file=sys.stderr)
            return BAD_INPUT
        return GRADED
    if args.verb == "gradescope":
        from . import gradescope
        from .manifest import ManifestError
        try:
            print(gradescope.build(args.out))
        except ManifestError as error:
            print(f"error: {error}", file=sys.stderr)
            return GRADER_FAILED
        return GRADED
    if args.verb == "gradescope-run":
        from . import gradescope
        return gradescope.run(args.root)
    if args.verb == "protections":
        from .sandbox import layers, protections_in_force
        print("\n".join(layers.report(protections_in_force())))
        return GRADED
    return GRADER_FAILED


def _grade(args):
    from .sandbox import warm_up
    warm_up()  # the sandbox's own Python starts while pytest is imported here
    from .grade import grading, render, results
    from .grade.notebook import UnreadableNotebook
    from .language import translated
    language = _language(args, args.notebook)
    try:
        with _progress(args.verb == "check") as progress:
            report = grading.grade(args.notebook, _limits(args), progress)
    except UnreadableNotebook as error:
        error = translated(error.args[0], language) if error.args else error
        print(f"error: {error}", file=sys.stderr)
        if args.verb == "grade" and args.json:
            print(json.dumps(results.unreadable(f"Your submission could not be graded: {error}")))
        return BAD_INPUT
    except Exception:  # noqa: BLE001 (the grader's own failure: say so, with the details)
        print("error: the grader failed (not the notebook's fault); details:", file=sys.stderr)
        traceback.print_exc()
        return GRADER_FAILED
    report = translated(report, language)  # every Message in it, said in the student's language
    if args.verb == "check":
        print(render.table(report))
    elif args.json:
        print(json.dumps(report.gradescope(), indent=1))
    else:
        print(render.check_lines(report))
    for error in report.grader_errors:
        print(f"grader error: {error}", file=sys.stderr)
    return GRADER_FAILED if report.grader_errors else GRADED


@contextlib.contextmanager
def _progress(wanted):
    """A progress line on a terminal's stderr while the checks run, naming the function being
    checked; its clock moves on while a call runs (a student function may take up to the time
    limit). Yields the callback for grading.grade (None when not shown)."""
    if not (wanted and sys.stderr.isatty()):
        yield None
        return
    from tqdm import tqdm
    columns, rows = _terminal_size()
    # The checks run under pytest, which captures file descriptor 2 while each one runs: the
    # line is written through a descriptor of its own to the same terminal.
    terminal = os.fdopen(os.dup(sys.stderr.fileno()), "w", encoding=sys.stderr.encoding, errors="replace")
    bar = tqdm(total=0, desc=say("checking"), unit="check", file=terminal, leave=False, ncols=columns, nrows=rows)
    stopped = threading.Event()

    def tick():
        while not stopped.wait(PROGRESS_TICK_SECONDS):
            bar.refresh()

    def progress(done, total, tag):
        bar.total, bar.n = total, done
        bar.set_description(say("checking {function}", function=tag))  # refreshes the line

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield progress
    finally:
        stopped.set()
        ticker.join()
        bar.close()
        terminal.close()


def _terminal_size():
    """(columns, rows) of stderr's terminal; one that reports no size (0 x 0, as a bare pty does)
    gets 80 x 24, where tqdm would see room for nothing and print nothing."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        return 80, 24
    return size.columns or 80, size.lines or 24


def _course(args):
    from .classwork.course import Course
    return Course(".", args.assignment, db_url=getattr(args, "db", None))


def _autograde(args):
    from .classwork import classgrade
    from .classwork.course import CourseError
    from .language import translated
    language = _language(args)
    if args.jobs is not None and args.jobs < 1:
        raise SystemExit("error: --jobs must be at least 1")
    try:
        course = _course(args)
        summary = classgrade.autograde(course, args.student, args.jobs, _limits(args), force=args.force)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    heading, *totals = translated(summary.lines(course), language)
    table = summary.table()
    print("\n".join([heading, ""] + (table + [""] if table else []) + totals))
    return FLAGGED if summary.flagged else GRADED


def _write_pages(args):
    from .classwork.course import CourseError
    try:
        course = _course(args)
        if args.verb == "feedback":
            from .classwork import feedback
            paths = feedback.write_all(course)
            print(f"{len(paths)} feedback pages under {course.root / course.feedback_directory}")
        else:
            from .classwork import classreport
            for path in classreport.write(course):
                print(path)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    return GRADED


if __name__ == "__main__":
    sys.exit(main())
