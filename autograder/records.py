"""Reading back the class's trusted records, for feedback and reports."""
from . import store
from .results import Report


def class_records(course):
    """[(submission, record or None, Report or None)] for every current submission, by student."""
    rows = []
    for submission in course.submissions():
        record = store.load(course.trusted_result(submission.student))
        report = Report.from_dict(record["report"]) if record and record.get("report") else None
        rows.append((submission, record, report))
    return rows
