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

# Landlock system calls share one number on every architecture.
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | (1 << 14) | (1 << 15)  # rights a rule on a file may hold
_READ_ONLY = _EXECUTE | _READ_FILE | _READ_DIR
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

# What Python, NumPy and Matplotlib read besides the interpreter's own folders.
SYSTEM_READ_ONLY = ("/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/sys/devices/system/cpu")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def confine(workdir, readable, memory_bytes, output_bytes, cpu_seconds, uid=None):
    """Apply every layer available; return the names of those applied."""
    applied = []
    _set_limit(resource.RLIMIT_AS, memory_bytes)
    _set_limit(resource.RLIMIT_FSIZE, output_bytes)
    _set_limit(resource.RLIMIT_CPU, cpu_seconds)
    _set_limit(resource.RLIMIT_CORE, 0)
    applied.append("limits")
    if _landlock(workdir, tuple(readable) + SYSTEM_READ_ONLY):
        applied.append("landlock")
    if uid is not None and os.geteuid() == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            # Fork bombs: only meaningful for a uid of our own (the limit counts per user).
            _set_limit(resource.RLIMIT_NPROC, 64)
            applied.append("uid")
        except OSError:
            pass
    return applied


def _set_limit(which, value):
    hard = resource.getrlimit(which)[1]
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass  # a limit this system does not support (RLIMIT_AS on macOS): the wall clock still holds


def _landlock(workdir, readable):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
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
            _add_rule(libc, ruleset, path, rights)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)


def _add_rule(libc, ruleset, path, rights):
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
