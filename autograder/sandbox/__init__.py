"""Run student code in a separate, confined process and get back only data.

How a sandbox is made (box, namespaces, cgroups, confine, seccomp: the layers
`protections` prints) is kept apart from what runs in it (worker). Entry
point: `Sandbox(program, limits).call(name, args, kwargs)`.
"""
from .failures import StudentFailure
from .process import Limits, Sandbox, protections_in_force, warm_up

__all__ = ["Limits", "Sandbox", "StudentFailure", "protections_in_force", "warm_up"]
