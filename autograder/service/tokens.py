"""`python -m autograder tokens`: the students' tokens for the check service,
issued from nbgrader's student list (`nbgrader db student add` or import).

A token is shown once, in the CSV file the instructor hands out (or feeds to
JupyterHub, see docs/service.md); the service keeps only its digest, so a
copy of its database lets nobody check as a student.
"""
import csv
import os
import secrets

from ..language import say

# 192 random bits, as 48 hex digits: nothing a shell, a URL or a CSV file reads specially, and no
# leading "-" that a command line would take for an option.
TOKEN_BYTES = 24
COLUMNS = ("student", "first_name", "last_name", "email", "token")


class TokenError(Exception):
    """The tokens cannot be issued; str() says why."""


def new_token():
    return secrets.token_hex(TOKEN_BYTES)


def class_list(gradebook_url):
    """[{id, first_name, last_name, email}] of nbgrader's students, sorted by id."""
    from nbgrader.api import Gradebook
    try:
        with Gradebook(gradebook_url) as gradebook:
            return sorted(({"id": s.id, "first_name": s.first_name or "", "last_name": s.last_name or "",
                            "email": s.email or ""} for s in gradebook.students), key=lambda s: s["id"])
    except Exception as error:  # noqa: BLE001 (nbgrader and SQLAlchemy raise assorted errors for a bad gradebook)
        raise TokenError(say("cannot read the students from the gradebook {url}: {why}", url=gradebook_url,
                             why=str(error).splitlines()[0] if str(error) else type(error).__name__)) from None


def issue(database, students, out, renew=False, only=()):
    """Write tokens for the students that have none (all with renew; only those in `only` if given)
    to the CSV file `out` (readable by its owner only); returns (issued, kept) student ids."""
    known = database.students_with_tokens()
    wanted = [s for s in students if not only or s["id"] in only]
    missing = sorted(set(only) - {s["id"] for s in students})
    if missing:
        raise TokenError(say("not in nbgrader's student list: {students} (add them with nbgrader db student add)",
                             students=", ".join(missing)))
    chosen = [s for s in wanted if renew or s["id"] not in known]
    issued = {s["id"]: new_token() for s in chosen}
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for student in chosen:
            writer.writerow([student["id"], student["first_name"], student["last_name"], student["email"],
                             issued[student["id"]]])
    database.set_tokens(issued)  # after the file is safely written: no token is kept that nobody has
    return sorted(issued), sorted(s["id"] for s in wanted if s["id"] in known and not renew)


def read_issued(path):
    """{student: token} from a tokens CSV file written by issue()."""
    with open(path, newline="", encoding="utf-8") as file:
        return {row["student"]: row["token"] for row in csv.DictReader(file)}


def listing(database):
    """One line per student with a token: who, and when it was issued."""
    return [say("{student}  issued {moment} UTC", student=student, moment=issued.isoformat(timespec="seconds"))
            for student, issued in sorted(database.students_with_tokens().items())]
