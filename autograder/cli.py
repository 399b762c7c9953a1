"""`python -m autograder VERB ...`: a thin command line over the kit's verbs.

Exit status: 0 the work was done (whatever the scores); 2 the input is not a
readable notebook (or course); 1 the kit itself failed; 4 the check service
refused (token, rate limit).
"""
import argparse
import contextlib
import json
import os
import sys
import threading
import traceback

from .language import say

GRADED, GRADER_FAILED, BAD_INPUT, FLAGGED, REFUSED = 0, 1, 2, 3, 4
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
    check.add_argument("--server", metavar="URL", help="ask the course's check service instead of checking here")
    check.add_argument("--token", help="your token for the check service (default: $SIMPLE_NN_CHECK_TOKEN)")

    autograde = verbs.add_parser("autograde", help="grade every submission into nbgrader's gradebook",
                                 description="Run from the course root. Exit status 3: some submissions "
                                             "were flagged for manual grading.")
    autograde.add_argument("assignment")
    autograde.add_argument("--student", help="grade only this student")
    autograde.add_argument("--db", metavar="URL", help="the gradebook's database URL (default: nbgrader's)")
    autograde.add_argument("--jobs", type=int, metavar="N", help="grading processes (default: every core)")
    autograde.add_argument("--force", action="store_true",
                           help="regrade even submissions whose trusted grade is current (with --student: only theirs)")
    autograde.add_argument("--broker", metavar="URL",
                           help="grade on the check service's Celery workers (redis://HOST:6379/0) instead of here")
    _limits_options(autograde)
    _language_option(autograde, "the language of the summary (default: your locale's, else English)")

    for verb, text in (("feedback", "write each student's feedback page (HTML) under feedback/"),
                       ("report", "write the class report under reports/: check-scores.csv, misconceptions.csv "
                                  "and misconceptions.png")):
        pages = verbs.add_parser(verb, help=text)
        pages.add_argument("assignment")
        pages.add_argument("--db", metavar="URL", help="the gradebook's database URL (default: nbgrader's)")
    pages.add_argument("--attempts", metavar="URL", help="also the check service's attempts over time, and the "
                                                         "mistakes fixed along the way (its database URL)")

    students = verbs.add_parser("student-config", help="print the nbgrader settings students' Jupyter needs "
                                                       "(the course id and the exchange, from the course's config)")
    students.add_argument("assignment", nargs="?", default="simple_nn")

    bundle = verbs.add_parser("gradescope", help="build the Gradescope autograder zip")
    bundle.add_argument("--out", default="dist/gradescope", help="where to write autograder.zip")
    on_gradescope = verbs.add_parser("gradescope-run", help="what run_autograder does on Gradescope")
    on_gradescope.add_argument("--root", default="/autograder")

    verbs.add_parser("protections", help="which protections for student code hold on this machine")
    _service_verbs(verbs)
    return parser


def _service_verbs(verbs):
    try:
        from .service import settings
    except ImportError:  # a kit without the check service (the Gradescope bundle) has none of its verbs
        return
    serve = verbs.add_parser("serve", help="the check service: the hidden checks' verdict over HTTP",
                             description="See docs/service.md. Run from the course root.")
    serve.add_argument("--host", default=settings.DEFAULT_HOST, help="the address to listen on (default %(default)s)")
    serve.add_argument("--port", type=int, default=settings.DEFAULT_PORT, help="default %(default)s; 0: a free one")
    serve.add_argument("--db", default=settings.DEFAULT_DB, metavar="URL",
                       help="the attempts and tokens database, any SQLAlchemy URL (default %(default)s)")
    serve.add_argument("--rate", default=settings.DEFAULT_RATE,
                       help="checks allowed per student, such as 10/h, 3/10m (default %(default)s)")
    serve.add_argument("--anonymous", metavar="RATE",
                       help="also checks without a token, this many per address (such as 3/h); default: none")
    serve.add_argument("--workers", type=int, metavar="N", help="embedded grading processes (default: every core)")
    serve.add_argument("--broker", metavar="URL", help="grade on Celery workers through this Redis (redis://...)")
    serve.add_argument("--time-limit", type=float, default=settings.DEFAULT_TIME_LIMIT, metavar="SECONDS",
                       help="the longest one check may take on a worker (default %(default)g)")
    serve.add_argument("--max-upload", type=float, default=settings.DEFAULT_MAX_UPLOAD_BYTES / 2**20, metavar="MB",
                       help="the largest notebook accepted (default %(default)g MB)")
    serve.add_argument("--read-timeout", type=float, default=settings.DEFAULT_READ_SECONDS, metavar="SECONDS",
                       help="how long a client may take to send its notebook (default %(default)g)")
    serve.add_argument("--prefix", default="", help="serve under this path, e.g. /services/simple-nn-check")
    serve.add_argument("--proxy", action="append", default=[], metavar="ADDRESS",
                       help="a reverse proxy whose X-Forwarded-For is believed (repeatable)")
    _limits_options(serve)

    worker = verbs.add_parser("worker", help="a Celery worker for the check service and autograde --broker")
    worker.add_argument("--broker", required=True, metavar="URL", help="the Redis broker, redis://HOST:6379/0")
    worker.add_argument("--concurrency", type=int, metavar="N", help="grading processes (default: every core)")
    worker.add_argument("--name", help="the worker's name (default simple-nn@HOSTNAME)")
    worker.add_argument("--time-limit", type=float, default=settings.DEFAULT_TIME_LIMIT, metavar="SECONDS",
                        help="the longest one check may take (default %(default)g); the same on every worker")
    worker.add_argument("--visibility-timeout", type=float, metavar="SECONDS",
                        help="a check taken by a worker that vanished goes to another after this long "
                             "(default: the time limit plus 30)")

    tokens = verbs.add_parser("tokens", help="the students' tokens for the check service")
    actions = tokens.add_subparsers(dest="action", required=True, metavar="ACTION")
    issue = actions.add_parser("issue", help="a token for every student of nbgrader's list who has none")
    issue.add_argument("--gradebook", metavar="URL", help="nbgrader's gradebook (default: the course's)")
    issue.add_argument("--out", default="tokens.csv", help="the CSV file of tokens to hand out (default %(default)s)")
    issue.add_argument("--renew", action="store_true", help="new tokens for everyone (the old ones stop working)")
    issue.add_argument("--student", action="append", default=[], help="only this student (repeatable)")
    listing = actions.add_parser("list", help="who has a token, and since when")
    revoke = actions.add_parser("revoke", help="stop a student's token from working")
    revoke.add_argument("student")
    for action in (issue, listing, revoke):
        action.add_argument("--db", default=settings.DEFAULT_DB, metavar="URL",
                            help="the check service's database (default %(default)s)")

    export = verbs.add_parser("attempts", help="export the check service's attempts as CSV")
    export.add_argument("--db", default=settings.DEFAULT_DB, metavar="URL",
                        help="the check service's database (default %(default)s)")
    export.add_argument("--out", help="the CSV file to write (default: standard output)")


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
    if args.verb == "check" and args.server:
        from .service import client
        return client.check(args.server, args.notebook, args.token)
    if args.verb in ("serve", "worker", "tokens", "attempts"):
        from .service import verbs
        return verbs.run(args, _limits(args) if hasattr(args, "timeout") else None)
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
    grade_many = None
    if args.broker:
        import functools
        from .service import distributed
        grade_many = functools.partial(distributed.grade_many, args.broker)
    try:
        course = _course(args)
        summary = classgrade.autograde(course, args.student, args.jobs, _limits(args), force=args.force,
                                       grade_many=grade_many)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    except ConnectionError as error:  # --broker: the Redis of the workers cannot be reached
        print(f"error: {error}", file=sys.stderr)
        return GRADER_FAILED
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
            if args.attempts:
                from .service import history
                for path in history.write(course.reports(), args.attempts):
                    print(path)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    return GRADED


if __name__ == "__main__":
    sys.exit(main())
