"""The service's verbs on the command line: serve, worker, tokens, attempts."""
import sys

from ..language import say
from . import attempts, settings, tokens

GRADED, BAD_INPUT = 0, 2


def run(args, limits):
    try:
        if args.verb == "serve":
            return _serve(args, limits)
        if args.verb == "worker":
            from . import distributed
            distributed.work(args.broker, args.concurrency, args.name, args.time_limit, args.visibility_timeout)
            return GRADED
        if args.verb == "tokens":
            return _tokens(args)
        return _export(args)
    except (settings.SettingsError, tokens.TokenError) as error:
        print(say("error: {why}", why=error), file=sys.stderr)
        return BAD_INPUT


def _serve(args, limits):
    from . import serve
    config = settings.Settings(
        host=args.host, port=args.port, db_url=args.db, rate=settings.parse_rate(args.rate),
        anonymous=settings.parse_rate(args.anonymous, "--anonymous") if args.anonymous else None,
        max_upload_bytes=int(args.max_upload * 2**20), read_seconds=args.read_timeout, time_limit=args.time_limit,
        workers=args.workers, broker=args.broker, prefix=args.prefix, proxies=tuple(args.proxy), limits=limits)
    return serve.run(config)


def _tokens(args):
    database = attempts.Database(args.db)
    try:
        if args.action == "issue":
            gradebook = args.gradebook or _course_gradebook()
            issued, kept = tokens.issue(database, tokens.class_list(gradebook), args.out, args.renew,
                                        tuple(args.student))
            print(say("{issued} tokens issued into {out} (hand each student theirs; the file is readable by you "
                      "only)", issued=len(issued), out=args.out))
            if kept:
                print(say("{kept} students already had a token and kept it (--renew replaces them): {students}",
                          kept=len(kept), students=", ".join(kept)))
        elif args.action == "list":
            lines = tokens.listing(database)
            print("\n".join(lines) if lines else say("no student has a token yet: python -m autograder tokens issue"))
        else:
            if not database.revoke(args.student):
                print(say("error: {student} has no token", student=args.student), file=sys.stderr)
                return BAD_INPUT
            print(say("{student}'s token no longer works", student=args.student))
    finally:
        database.close()
    return GRADED


def _course_gradebook():
    from ..classwork.course import Course, CourseError
    try:
        return Course(".").db_url
    except CourseError as error:
        raise tokens.TokenError(say("{why}; or name the gradebook with --gradebook URL", why=error)) from None


def _export(args):
    database = attempts.Database(args.db)
    try:
        if args.out:
            with open(args.out, "w", newline="", encoding="utf-8") as file:
                count = database.export(file)
            print(say("{count} attempts written to {out}", count=count, out=args.out))
        else:
            database.export(sys.stdout)
    finally:
        database.close()
    return GRADED
