"""Whole-sandbox limits: a control group per sandbox, beneath the grader's own.

Resource limits (setrlimit) bind one process at a time; a student's code that
forks, or maps memory that no process owns (memfd, shared memory, tmpfs
files), escapes them. A control group counts every process of the sandbox
together: memory (page cache and tmpfs included), the number of processes,
and CPU time, capped at one core so that one submission cannot starve another
graded beside it.

Each group is created beneath the group the grader runs in, never elsewhere,
so whatever limits the grader's own user or service manager set still hold
over the sandboxes. cgroup v1 (one hierarchy per controller) and v2 (one
unified hierarchy, where the grader's group must have delegated the
controllers) are both handled; where neither can be written, `create` returns
None and the sandbox runs with the other layers only.
"""
import itertools
import os
import signal
import time
from pathlib import Path

CONTROLLERS = ("memory", "pids", "cpu")
PERIOD_MICROSECONDS = 100_000
_names = itertools.count()


class Group:
    """The control groups (one per v1 controller, or one v2 group) of a sandbox."""

    def __init__(self, folders, version, controllers=CONTROLLERS):
        self.folders = folders
        self.version = version
        self.controllers = tuple(controllers)
        self._oom_kills = self.oom_kills()

    @property
    def procs_files(self):
        return [str(folder / "cgroup.procs") for folder in self.folders]

    def oom_kills(self):
        """How many processes the kernel killed for the memory limit so far."""
        for folder in self.folders:
            name = "memory.events" if self.version == 2 else "memory.oom_control"
            try:
                for line in (folder / name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        return int(value)
            except (OSError, ValueError):
                continue
        return 0

    def ran_out_of_memory(self):
        """Did the kernel kill a process of the sandbox for memory since the last ask?"""
        now = self.oom_kills()
        ran_out, self._oom_kills = now > self._oom_kills, now
        return ran_out

    def remove(self):
        """Kill whatever is still in the groups, then remove them."""
        for folder in self.folders:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    _kill_members(folder)
                    time.sleep(0.01)


def create(memory_bytes, max_processes):
    """A new Group with the limits set, or None where control groups cannot be used."""
    name = f"simple-nn-{os.getpid()}-{next(_names)}"
    own = _own_groups()
    mounts = _mounts()
    if "" in own and mounts.get("cgroup2"):
        group = _create_v2(Path(mounts["cgroup2"]) / own[""].lstrip("/") / name, memory_bytes, max_processes)
        if group:
            return group
    folders, controllers = [], []
    for controller in CONTROLLERS:
        if controller not in own or controller not in mounts:
            continue
        folder = Path(mounts[controller]) / own[controller].lstrip("/") / name
        try:
            folder.mkdir()
        except OSError:
            continue
        try:
            _set_v1(controller, folder, memory_bytes, max_processes)
        except OSError:
            Group([folder], 1).remove()
            continue
        folders.append(folder)
        controllers.append(controller)
    return Group(folders, 1, controllers) if folders else None


def _set_v1(controller, folder, memory_bytes, max_processes):
    if controller == "memory":
        (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
        swap = folder / "memory.memsw.limit_in_bytes"
        if swap.exists():  # memory and swap together: no escape into swap
            swap.write_text(str(memory_bytes))
    elif controller == "pids":
        (folder / "pids.max").write_text(str(max_processes))
    elif controller == "cpu":
        (folder / "cpu.cfs_period_us").write_text(str(PERIOD_MICROSECONDS))
        (folder / "cpu.cfs_quota_us").write_text(str(PERIOD_MICROSECONDS))


def _create_v2(folder, memory_bytes, max_processes):
    try:
        delegated = (folder.parent / "cgroup.subtree_control").read_text().split()
    except OSError:
        return None
    if not {"memory", "pids"} <= set(delegated):
        return None
    try:
        folder.mkdir()
        (folder / "memory.max").write_text(str(memory_bytes))
        if (folder / "memory.swap.max").exists():
            (folder / "memory.swap.max").write_text("0")
        (folder / "pids.max").write_text(str(max_processes))
        if "cpu" in delegated:
            (folder / "cpu.max").write_text(f"{PERIOD_MICROSECONDS} {PERIOD_MICROSECONDS}")
    except OSError:
        Group([folder], 2).remove()
        return None
    return Group([folder], 2, [c for c in CONTROLLERS if c in delegated])


def _own_groups():
    """controller -> this process's group path ("" for the v2 hierarchy)."""
    groups = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return groups
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            groups[controller] = path
    return groups


def _mounts():
    """controller -> mount point of its v1 hierarchy; "cgroup2" -> the v2 mount."""
    found = {}
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split(" - ")
        if len(fields) != 2:
            continue
        mount_point = fields[0].split()[4]
        fstype, _, options = fields[1].split()[:3]
        if fstype == "cgroup2":
            found.setdefault("cgroup2", mount_point)
        elif fstype == "cgroup":
            for option in options.split(","):
                if option in CONTROLLERS:
                    found.setdefault(option, mount_point)
    return found


def _kill_members(folder):
    try:
        pids = (folder / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
