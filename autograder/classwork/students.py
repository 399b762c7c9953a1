"""What the students' Jupyter needs to know of the course: `python -m autograder student-config`.

Students run nbgrader (the Assignment List, Validate, submit, fetch feedback)
in their own Jupyter, from their own folders, where the course's
nbgrader_config.py is not read. Their environment's configuration must name
the same course and the same exchange as the course's: this writes it from
the course's own settings, so the two cannot drift apart. It goes into the
students' environment as `etc/jupyter/nbgrader_config.py` (make student-env).
"""
from ..language import say
from .course import CourseError

# nbgrader's default exchange: the course config must name another (see nbgrader_config.py).
NBGRADER_DEFAULT_EXCHANGE = "/usr/local/share/nbgrader/exchange"

TEMPLATE = '''\
# nbgrader settings for students of the course {course_id!r}, written by
# `python -m autograder student-config` from the course's nbgrader_config.py.
c = get_config()  # noqa: F821 (injected by nbgrader)
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''


def student_config(course):
    """The text of the students' nbgrader_config.py; raises CourseError when the course
    names no exchange of its own or no course id."""
    settings = course.config
    exchange = settings.Exchange.get("root", "") if "Exchange" in settings else ""
    if not exchange or exchange == NBGRADER_DEFAULT_EXCHANGE:
        raise CourseError(say("the course's {config} sets no Exchange.root: add c.Exchange.root = \"<folder>\" "
                              "(see docs/course-setup.md)", config="nbgrader_config.py"))
    if not course.course_id:
        raise CourseError(say("the course's {config} sets no CourseDirectory.course_id", config="nbgrader_config.py"))
    return TEMPLATE.format(course_id=course.course_id, exchange=exchange)
