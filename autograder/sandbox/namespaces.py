"""How a sandbox is made: Linux namespaces, entered by the worker before it
imports anything or runs any student code.

- user: the sandbox's root has capabilities only over the sandbox's own
  namespaces, never over the machine (and the worker drops even those before
  student code runs, see confine.py);
- PID: the sandbox's first process is its init. Killing it kills every process
  in the sandbox, detached and double-forked ones included; nothing inside can
  see, signal or trace a process outside;
- network: only a loopback interface, down: no TCP, UDP, raw or netlink
  socket reaches anything, not even another sandbox on the same machine;
- IPC, UTS: System V shared memory and message queues, and the hostname, are
  the sandbox's own;
- mount: a fresh /proc that shows only the sandbox's processes, and a
  size-limited tmpfs as the scratch folder, so files written there count
  against memory and vanish with the sandbox, whatever their names or flags.

Each layer is used where the kernel and the container allow it; `enter`
returns the names of those in force so that the report can say which held.
Stdlib only: this runs first thing in the worker.
"""
import ctypes
import os
import signal

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
_ISOLATING = CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS

_libc = ctypes.CDLL(None, use_errno=True)


def die_with_parent():
    """Be killed when the process that started this one dies (the grader, or
    the launcher): nothing of a sandbox outlives whoever runs it."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def enter(own_uid=False):
    """Enter new namespaces; return their names ([] when the machine forbids them).

    Tries an unprivileged user namespace first (works for any user on most
    kernels). As root, where that is forbidden, or where the sandbox gets a
    uid of its own (`own_uid`: a user namespace maps only the grader's uid),
    the same namespaces without one. The caller must fork next: the PID
    namespace holds its children, not itself.
    """
    uid, gid = os.geteuid(), os.getegid()
    if not own_uid and _libc.unshare(CLONE_NEWUSER | _ISOLATING) == 0:
        # The sandbox's root is the grader's own user (never a more powerful one).
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
        return ["user", "pid", "network", "ipc", "uts", "mount"]
    if uid == 0 and _libc.unshare(_ISOLATING) == 0:
        return ["pid", "network", "ipc", "uts", "mount"]
    return []


def private_mounts(scratch, scratch_bytes, owner=None):
    """In the new mount namespace: nothing mounted here propagates out, /proc
    shows only this PID namespace, the scratch folder is a fresh tmpfs.
    Returns the names of what worked."""
    done = []
    if _mount(None, "/", None, MS_REC | MS_PRIVATE, None):
        if _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None):
            done.append("proc")
        if fresh_scratch(scratch, scratch_bytes, owner, first=True):
            done.append("tmpfs")
    return done


def fresh_scratch(scratch, scratch_bytes, owner=None, first=False):
    """Replace the scratch folder by an empty tmpfs: whatever the last check left
    there (deep trees, huge files) is gone in one step."""
    if not first:
        _libc.umount2(scratch.encode(), MNT_DETACH)
    options = f"size={scratch_bytes},nr_inodes=10000,mode=0700"
    if owner is not None:  # the uid the student's code runs as
        options += f",uid={owner},gid={owner}"
    return _mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, options)


def set_hostname(name):
    encoded = name.encode()
    return _libc.sethostname(encoded, len(encoded)) == 0


def _mount(source, target, fstype, flags, data):
    encode = (lambda s: s.encode() if s is not None else None)
    return _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) == 0


def _write(path, text):
    with open(path, "w") as file:
        file.write(text)
