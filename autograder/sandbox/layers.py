"""The sandbox's layers of protection, as `python -m autograder protections`
reports them: what each one holds, and what is lost where it is missing.

The names are those the sandbox reports in `Sandbox.confinement`.
"""
import os
import platform

# (name, what it holds, what is lost without it)
LAYERS = (
    ("user", "user namespace: the sandbox's root has no power over the machine",
     "as root, the same namespaces are made without one; otherwise none of the namespaces below"),
    ("pid", "PID namespace: student code sees only its own processes, and all of them die with the sandbox",
     "detached processes are still found and killed (the grader is their subreaper), "
     "but student code can list the machine's processes"),
    ("network", "network namespace: no network at all, not even to another sandbox on this machine",
     "the system-call filter still refuses every socket but Unix ones"),
    ("ipc", "IPC namespace: no System V shared memory or message queue shared with another sandbox",
     "another sandbox graded at the same time could share System V memory with this one"),
    ("uts", "UTS namespace: the hostname is the sandbox's own", "nothing (without capabilities it cannot be set)"),
    ("mount", "mount namespace: mounts made for the sandbox stay in it", "no private /proc and no tmpfs scratch"),
    ("proc", "a /proc of the sandbox's own: the grader's command line, environment and memory are out of sight",
     "Landlock hides /proc altogether"),
    ("tmpfs", "scratch folder in memory, 64 MB at most, gone with the sandbox whatever it holds",
     "the scratch folder is on disk (1 MB per file) and the grader empties it"),
    ("limits", "per process: 2 GB address space, 1 MB per file written, 300 s of CPU, no core files, "
     "no real-time priority", "none: resource limits exist on every Linux"),
    ("uid", "a uid of its own (the grader runs as root and Python is readable by all)",
     "student code runs as the grader's user, without capabilities"),
    ("no capabilities", "no capabilities at all: no device nodes, mounts, raw sockets or tracing, even as uid 0",
     "student code has whatever privileges the grader's user has"),
    ("landlock", "Landlock: reads only Python and system libraries, writes only its scratch folder, "
     "connects no TCP socket, signals no process outside", "student code can read what the grader's user "
     "can read: the hidden checks, the solutions, other students' notebooks"),
    ("seccomp", "system-call filter: Unix sockets only; no namespaces, mounts, tracing, keyrings, BPF, "
     "perf or io_uring; no file locks, leases, notifications, inotify or fanotify watches (a channel to "
     "another sandbox through a file both read), no fallocate", "kernel interfaces that the other layers make "
     "useless stay callable, and two sandboxes can signal each other through locks on the files both read"),
    ("no_new_privs", "no_new_privs: no set-uid program can raise privileges", "set-uid programs work as usual"),
    ("cgroup memory", "control group: memory of the whole sandbox (all processes, tmpfs, memfd) at most 2 GB",
     "each process has its own address-space limit, but forked processes and memfds add up"),
    ("cgroup pids", "control group: 64 processes at most", "a fork bomb is stopped only by the per-call time limit"),
    ("cgroup cpu", "control group: one CPU core at most, so sandboxes graded side by side share the machine fairly",
     "a submission's processes can slow down others graded at the same time"),
)


def report(active):
    """Lines for a terminal: every layer, marked as in force or not."""
    lines = [f"Protections for student code on this machine (Linux {platform.release()}, "
             f"grading as uid {os.geteuid()}):", ""]
    for name, holds, _ in LAYERS:
        lines.append(f"  [{'x' if name in active else ' '}] {holds}")
    missing = [(name, lost) for name, _, lost in LAYERS if name not in active]
    if missing:
        lines += ["", "Not in force here, and what that means:"]
        lines += [f"  - {name}: {lost}" for name, lost in missing]
    return lines
