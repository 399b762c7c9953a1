"""The service's database (SQLite by default, any SQLAlchemy URL): every
attempt (who, when, from where, the notebook's hash, the points, the causes)
and the students' tokens, kept only as digests.

An attempt is written when the service accepts a notebook, before grading
starts, and completed with its verdict: a server that dies mid-check still
counts the check against the student's rate, and the count of checks in a
window is read from here, so every server sharing the database agrees.
"""
import csv
import datetime
import hashlib
import json

import sqlalchemy as sa

RUNNING, GRADED, UNREADABLE, GRADER_FAILED, CANCELLED = "running", "graded", "unreadable", "grader_failed", "cancelled"
EXPORT_COLUMNS = ("id", "student", "address", "at", "notebook", "sha256", "outcome", "score", "max_score",
                  "causes", "seconds", "workers")
# SQLite waits this long for another writer (a second server, an export) before failing.
SQLITE_BUSY_SECONDS = 30

metadata = sa.MetaData()
attempts = sa.Table(
    "attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("student", sa.String(128), index=True),  # None: anonymous
    sa.Column("address", sa.String(64), index=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),  # UTC, when the notebook was accepted
    sa.Column("notebook", sa.String(256)),  # the file name the client gave
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("score", sa.Float),
    sa.Column("max_score", sa.Float),
    sa.Column("causes", sa.Text),  # JSON: [[function, cause], ...] of the failed checks
    sa.Column("seconds", sa.Float),  # from acceptance to verdict
    sa.Column("workers", sa.String(16)),  # embedded or celery
)
tokens = sa.Table(
    "tokens", metadata,
    sa.Column("student", sa.String(128), primary_key=True),
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("issued", sa.DateTime, nullable=False),
)


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def causes(report):
    """[[function, cause]] of the report's checks that lost points, each pair once, in the report's order
    (the class report decides later which of them are mistakes of their own)."""
    found = []
    for check in report.checks:
        pair = [check.tag, check.cause or "failed"]
        if check.score < check.points and pair not in found:
            found.append(pair)
    return found


class Database:
    def __init__(self, url):
        options = {}
        if url.startswith("sqlite"):
            options["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS}
        self.url = url
        self.engine = sa.create_engine(url, **options)
        if url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self):
        self.engine.dispose()

    # Attempts ---------------------------------------------------------------------------------------
    def start(self, student, address, notebook, sha256, workers):
        with self.engine.begin() as connection:
            return connection.execute(attempts.insert().values(
                student=student, address=address, at=now(), notebook=notebook, sha256=sha256,
                outcome=RUNNING, workers=workers)).inserted_primary_key[0]

    def finish(self, attempt, outcome, score=None, max_score=None, found_causes=None, seconds=None):
        with self.engine.begin() as connection:
            connection.execute(attempts.update().where(attempts.c.id == attempt).values(
                outcome=outcome, score=score, max_score=max_score, seconds=seconds,
                causes=json.dumps(found_causes) if found_causes is not None else None))

    def recent(self, since, student=None, address=None):
        """When the checks counted against a student (or, anonymous, an address) since `since` were accepted,
        oldest first."""
        condition = attempts.c.student == student if student is not None else sa.and_(
            attempts.c.student.is_(None), attempts.c.address == address)
        # A check dropped before it ran, or one the grader failed on, is not the student's to pay for.
        query = (sa.select(attempts.c.at).where(condition, attempts.c.at > since,
                                                attempts.c.outcome.not_in([CANCELLED, GRADER_FAILED]))
                 .order_by(attempts.c.at))
        with self.engine.connect() as connection:
            return [row.at for row in connection.execute(query)]

    def all_attempts(self):
        with self.engine.connect() as connection:
            return [row._asdict() for row in connection.execute(sa.select(attempts).order_by(attempts.c.id))]

    def export(self, file):
        """Every attempt as CSV (EXPORT_COLUMNS), oldest first; returns how many."""
        writer = csv.writer(file)
        writer.writerow(EXPORT_COLUMNS)
        rows = self.all_attempts()
        for row in rows:
            row["at"] = row["at"].isoformat(timespec="seconds") + "Z"
            row["causes"] = "; ".join(f"{tag}: {cause}" for tag, cause in json.loads(row["causes"] or "[]"))
            row["score"], row["max_score"] = _number(row["score"]), _number(row["max_score"])
            row["seconds"] = "" if row["seconds"] is None else f"{row['seconds']:.2f}"
            writer.writerow(["" if row[column] is None else row[column] for column in EXPORT_COLUMNS])
        return len(rows)

    # Tokens ----------------------------------------------------------------------------------------
    def student_of(self, token):
        """The student whose token this is, or None."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(tokens.c.student).where(tokens.c.digest == digest(token))).scalar()

    def students_with_tokens(self):
        with self.engine.connect() as connection:
            return {row.student: row.issued for row in connection.execute(sa.select(tokens))}

    def set_tokens(self, issued):
        """issued: {student: token}; replaces those students' earlier tokens."""
        with self.engine.begin() as connection:
            for student, token in issued.items():
                connection.execute(tokens.delete().where(tokens.c.student == student))
                connection.execute(tokens.insert().values(student=student, digest=digest(token), issued=now()))

    def revoke(self, student):
        with self.engine.begin() as connection:
            return connection.execute(tokens.delete().where(tokens.c.student == student)).rowcount


def _sqlite_pragmas(connection, _record):
    # Readers (an export, the class report) do not block the server's writes, nor the other way round.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _number(value):
    return "" if value is None else f"{value:g}"
