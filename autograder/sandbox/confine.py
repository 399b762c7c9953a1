"""Confinement the worker applies to itself before it runs any student code.

Layers, each used where the machine offers it:
- resource limits: address space (memory), file size (output), CPU time (a
  backstop for anything that outlives the grader's wall clock), no core files;
- Landlock (Linux >= 5.13, no privileges needed): the process may read only
  the Python installation and system libraries, may write only its own
  scratch folder, may not open TCP connections and may not signal processes
  outside the sandbox, so the grader's checks, the instructor's files and
  other students' work are out of reach;
- when the grader runs as root: a uid of its own, so that nothing the student
  starts can touch the grader's files or other sandboxes, and every process
  the student started can be killed afterwards.

Stdlib only: this runs before anything else in the worker.
"""
import ctypes
import os
import resource

import seccomp

# Landlock system calls share one number on every architecture.
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _PR_SET_SECUREBITS = 4, 24, 28
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
# SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP and SECBIT_KEEP_CAPS with their locks.
_SECURE_NOROOT_AND_LOCKS = 0x01 | 0x02 | 0x04 | 0x08 | 0x20
_CAPABILITY_VERSION_3 = 0x20080522
libc = ctypes.CDLL(None, use_errno=True)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | (1 << 14) | (1 << 15)  # rights a rule on a file may hold
_READ_ONLY = _EXECUTE | _READ_FILE | _READ_DIR
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

# What Python, NumPy and Matplotlib read besides the interpreter's own folders.
# Not all of /etc: /etc/shadow is readable by root's uid, which the sandbox may share.
SYSTEM_READ_ONLY = ("/usr", "/lib", "/lib64", "/bin", "/sys/devices/system/cpu", "/etc/ld.so.cache",
                    "/etc/ld.so.preload", "/etc/localtime", "/etc/mime.types", "/etc/fonts", "/etc/matplotlibrc")
# /proc only where it is the sandbox's own (a PID namespace): elsewhere it would
# show the grader's command line, environment and memory maps.
PRIVATE_PROC = "/proc"
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def confine(workdir, readable, memory_bytes, output_bytes, cpu_seconds, uid=None, private_proc=False):
    """Apply every layer available; return the names of those applied."""
    applied = []
    _set_limit(resource.RLIMIT_AS, memory_bytes)
    _set_limit(resource.RLIMIT_FSIZE, output_bytes)
    _set_limit(resource.RLIMIT_CPU, cpu_seconds)
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_RTPRIO, 0)  # no real-time scheduling, which could starve the machine
    applied.append("limits")
    _drop_bounding_set()  # while this process still may (setuid below takes that right away)
    if uid is not None and _become(uid):
        applied.append("uid")
    if drop_capabilities():
        applied.append("no capabilities")
    allowed = tuple(readable) + SYSTEM_READ_ONLY + ((PRIVATE_PROC,) if private_proc else ())
    if _landlock(workdir, allowed):
        applied.append("landlock")
    if seccomp.install():
        applied.append("seccomp")
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
        applied.append("no_new_privs")
    return applied


def _become(uid):
    try:
        os.setgid(uid)
        os.setuid(uid)
    except OSError:
        return False
    # Fork bombs: only meaningful for a uid of our own (the limit counts per user).
    _set_limit(resource.RLIMIT_NPROC, 64)
    return True


def drop_capabilities():
    """Give up every capability, now and for anything executed later: no device
    nodes, no hostname, no mounts, no raw sockets, no tracing, even as uid 0."""
    _drop_bounding_set()
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    empty = (_CapData * 2)()
    return libc.capset(ctypes.byref(header), empty) == 0 and _has_no_capabilities()


def _drop_bounding_set():
    try:
        last = int(open("/proc/sys/kernel/cap_last_cap").read())
    except (OSError, ValueError):
        last = 40
    for capability in range(last + 1):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    # uid 0 gains no capabilities on execve, and this cannot be undone.
    libc.prctl(_PR_SET_SECUREBITS, _SECURE_NOROOT_AND_LOCKS, 0, 0, 0)


def _has_no_capabilities():
    try:
        for line in open("/proc/self/status"):
            if line.startswith(("CapEff:", "CapPrm:", "CapBnd:")) and int(line.split()[1], 16):
                return False
    except OSError:
        return False
    return True


def not_traceable():
    """No ptrace, no /proc/PID/mem, no core dumps: for the sandbox's trusted init,
    which its other (student) processes must not read or steer."""
    libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


def _set_limit(which, value):
    hard = resource.getrlimit(which)[1]
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass  # a limit this system does not support (RLIMIT_AS on macOS): the wall clock still holds


def _landlock(workdir, readable):
    try:
        abi = libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return False
    if abi < 1:
        return False
    fs_rights = _FS_RIGHTS_BY_ABI[max(v for v in _FS_RIGHTS_BY_ABI if v <= abi)]
    attr = _RulesetAttr(fs_rights, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net, size = _NET_BIND_TCP | _NET_CONNECT_TCP, 16
    if abi >= 6:
        attr.scoped, size = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL, 24
    ruleset = libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        return False
    try:
        rules = [(path, _READ_ONLY) for path in readable] + [(path, fs_rights) for path in DEVICES]
        rules.append((workdir, fs_rights))
        for path, rights in rules:
            _add_rule(ruleset, path, rights)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)


def _add_rule(ruleset, path, rights):
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not on this machine: nothing to allow
    try:
        if not os.path.isdir(path):
            rights &= _FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)
    finally:
        os.close(fd)

