"""How a call into student code can fail, as the grader reports it to the student.

Each failure's str() is a complete sentence a student can act on. The grader
turns them into a failed check with that message; they never mean the grader
itself is broken.
"""

# What of the student's exception a report carries: a type name and a message
# are short; anything longer is an attempt to bloat the grader's reports.
MAX_NAME = 200
MAX_MESSAGE = 2000


class StudentFailure(Exception):
    """The student's function did not give an answer."""

    def __init__(self, function, message):
        super().__init__(message)
        self.function = function


class NotDefined(StudentFailure):
    def __init__(self, function, reason=None):
        super().__init__(function, reason or (
            f"{function} is not defined in the notebook: keep the function's name and its cell"))


class NotImplementedYet(StudentFailure):
    def __init__(self, function):
        super().__init__(function, f"{function} is not implemented yet (it raises NotImplementedError)")


class Raised(StudentFailure):
    def __init__(self, function, type_name, message, traceback=""):
        text = f"{function} raised {type_name}" + (f": {message}" if message else "")
        if traceback:
            text += "\n" + traceback.rstrip()
        super().__init__(function, text)
        self.type_name = type_name


class TimedOut(StudentFailure):
    def __init__(self, function, seconds):
        super().__init__(function, f"{function} timed out after {seconds:g} s (an endless loop, or far too slow)")


class OutOfMemory(StudentFailure):
    def __init__(self, function, limit_bytes):
        super().__init__(function, f"{function} exceeded the memory limit of {limit_bytes // 2**20} MB")


class TooMuchOutput(StudentFailure):
    def __init__(self, function, limit_bytes):
        super().__init__(function, f"{function} printed more than the output limit of "
                                   f"{limit_bytes // 2**10} KB: remove the prints inside loops")


class Exited(StudentFailure):
    def __init__(self, function, code):
        super().__init__(function, f"{function} exited the Python process (exit status {code}): "
                                   "never call sys.exit, exit() or os._exit in a function")


class Crashed(StudentFailure):
    def __init__(self, function, signal_name):
        super().__init__(function, f"{function} crashed the Python process ({signal_name}); "
                                   "very deep recursion or running out of memory can do this")


class BadAnswer(StudentFailure):
    def __init__(self, function, detail):
        super().__init__(function, f"{function} sent back something the grader cannot read ({detail})")


class NotCallable(StudentFailure):
    def __init__(self, function, type_name):
        super().__init__(function, f"{function} is a {type_name}, not a function")
