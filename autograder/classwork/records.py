"""Reading back the class's trusted records, for feedback and reports."""
from ..grade.results import Report
from . import store


def class_records(course):
    """[(submission, record or None, Report or None)] for every current submission, by student."""
    return [(submission, *student_record(course, submission.student)) for submission in course.submissions()]


def student_record(course, student):
    """(record or None, Report or None) of one student."""
    record = store.load(course.trusted_result(student))
    return record, Report.from_dict(record["report"]) if record and record.get("report") else None
