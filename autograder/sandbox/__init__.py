"""Run student code in a separate, confined process and get back only data."""
from .failures import StudentFailure
from .process import Limits, Sandbox

__all__ = ["Limits", "Sandbox", "StudentFailure"]
