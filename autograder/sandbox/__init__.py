"""Run student code in a separate, confined process and get back only data."""
from .failures import StudentFailure
from .process import Limits, Sandbox, protections_in_force, warm_up

__all__ = ["Limits", "Sandbox", "StudentFailure", "protections_in_force", "warm_up"]
