"""A system-call filter for the processes that run student code.

Namespaces and dropped capabilities already make most of these calls useless;
the filter refuses them outright, so that a kernel bug behind one of them is
out of reach too, and so that the sandbox holds some ground where namespaces
are unavailable:
- sockets of any family but Unix (no TCP, UDP, raw or netlink sockets), and
  no connecting, binding or sending to an address: a socket pair is all
  student code can use, so no socket file on the machine (a database's, a
  container engine's) is reachable, whatever Landlock covers;
- new namespaces (unshare, setns, clone with namespace flags), mounts;
- tracing and reading other processes (ptrace, process_vm_readv/writev);
- the kernel's keyrings, BPF, perf events, io_uring, userfaultfd, modules,
  device nodes, hostname, swap, accounting and the kernel log;
- kernel objects tied to files that other processes can read too, and so a
  channel between two sandboxes (or a way to stall a neighbour): file locks
  (flock, and every fcntl command but the few below), leases, directory
  notifications, inotify and fanotify watches. fcntl is an allowlist:
  duplicating descriptors, their flags and status flags, pipe sizes and
  memfd seals, which is all Python and NumPy use;
- fallocate, which reserves disk or memory past the file-size limit.

Written as a classic BPF program through ctypes (stdlib only: this runs in
the worker). x86-64 and AArch64; elsewhere `install` returns False.
"""
import ctypes
import errno
import platform
import socket

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _JSET_K, _RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
_X32_BIT = 0x40000000
_NR, _ARCH, _ARG0, _ARG1, _ARG4 = 0, 4, 16, 24, 48  # offsets in struct seccomp_data (low word of an argument)
_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

# (audit architecture, {name: number})
_TABLES = {
    "x86_64": (0xC000003E, dict(
        socket=41, socketpair=53, clone=56, clone3=435, unshare=272, setns=308, mount=165, umount2=166,
        pivot_root=155, ptrace=101, process_vm_readv=310, process_vm_writev=311, keyctl=250, add_key=248,
        request_key=249, bpf=321, perf_event_open=298, io_uring_setup=425, userfaultfd=323, init_module=175,
        finit_module=313, delete_module=176, kexec_load=246, mknod=133, mknodat=259, sethostname=170,
        setdomainname=171, swapon=167, acct=163, syslog=103, fsopen=430, open_tree=428, move_mount=429,
        connect=42, accept=43, sendto=44, sendmsg=46, bind=49, listen=50, accept4=288, sendmmsg=307,
        fcntl=72, flock=73, inotify_init=253, inotify_add_watch=254, inotify_init1=294, fanotify_init=300,
        fanotify_mark=301, fallocate=285)),
    "aarch64": (0xC00000B7, dict(
        socket=198, socketpair=199, clone=220, clone3=435, unshare=97, setns=268, mount=40, umount2=39,
        pivot_root=41, ptrace=117, process_vm_readv=270, process_vm_writev=271, keyctl=219, add_key=217,
        request_key=218, bpf=280, perf_event_open=241, io_uring_setup=425, userfaultfd=282, init_module=105,
        finit_module=273, delete_module=106, kexec_load=104, mknodat=33, sethostname=161, setdomainname=162,
        swapon=224, acct=89, syslog=116, fsopen=430, open_tree=428, move_mount=429,
        bind=200, listen=201, accept=202, connect=203, sendto=206, sendmsg=211, accept4=242, sendmmsg=269,
        fcntl=25, flock=32, inotify_init1=26, inotify_add_watch=27, fanotify_init=262, fanotify_mark=263,
        fallocate=47)),
}
_SOCKET_CALLS = ("socket", "socketpair")
_ALLOWED_WITH_CHECK = ("clone",)
# The fcntl commands student code may use (anything else: locks, leases, notifications, owners):
# F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC, F_SETPIPE_SZ, F_GETPIPE_SZ,
# F_ADD_SEALS, F_GET_SEALS.
FCNTL_ALLOWED = (0, 1, 2, 3, 4, 1030, 1031, 1032, 1033, 1034)


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def program(machine=None):
    """The filter as a list of (code, jt, jf, k), or None on an unknown machine."""
    table = _TABLES.get(machine or platform.machine())
    if table is None:
        return None
    arch, numbers = table
    refuse = _RET_ERRNO | errno.EPERM
    code = [(_LD_W_ABS, 0, 0, _ARCH), (_JEQ_K, 1, 0, arch), (_RET_K, 0, 0, refuse), (_LD_W_ABS, 0, 0, _NR),
            # x32 system calls (numbers with this bit) would slip past the numbers below.
            (_JGE_K, 0, 1, _X32_BIT), (_RET_K, 0, 0, refuse)]
    for name, number in numbers.items():
        if name in _SOCKET_CALLS:
            # socket(AF_UNIX, ...) only: check the first argument.
            code += [(_JEQ_K, 0, 4, number), (_LD_W_ABS, 0, 0, _ARG0), (_JEQ_K, 0, 1, socket.AF_UNIX),
                     (_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, _RET_ERRNO | errno.EAFNOSUPPORT)]
        elif name in _ALLOWED_WITH_CHECK:
            # fork and threads use clone without namespace flags.
            code += [(_JEQ_K, 0, 4, number), (_LD_W_ABS, 0, 0, _ARG0), (_JSET_K, 1, 0, _NAMESPACE_FLAGS),
                     (_RET_K, 0, 0, _RET_ALLOW), (_RET_K, 0, 0, refuse)]
        elif name == "sendto":
            # send() is sendto() without an address: allowed; with one (a socket file's path), refused.
            code += [(_JEQ_K, 0, 6, number), (_LD_W_ABS, 0, 0, _ARG4), (_JEQ_K, 0, 3, 0),
                     (_LD_W_ABS, 0, 0, _ARG4 + 4), (_JEQ_K, 0, 1, 0), (_RET_K, 0, 0, _RET_ALLOW),
                     (_RET_K, 0, 0, refuse)]
        elif name == "fcntl":
            # The command is the second argument: only those of the allowlist pass.
            checks = [(_JEQ_K, len(FCNTL_ALLOWED) - i, 0, command) for i, command in enumerate(FCNTL_ALLOWED)]
            code += [(_JEQ_K, 0, len(checks) + 3, number), (_LD_W_ABS, 0, 0, _ARG1)] + checks + [
                (_RET_K, 0, 0, refuse), (_RET_K, 0, 0, _RET_ALLOW)]
        elif name == "clone3":
            # Its flags sit in memory the filter cannot read; ENOSYS makes libc fall back to clone.
            code += [(_JEQ_K, 0, 1, number), (_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS)]
        else:
            code += [(_JEQ_K, 0, 1, number), (_RET_K, 0, 0, refuse)]
    code.append((_RET_K, 0, 0, _RET_ALLOW))
    return code


def install():
    """Filter this process and all it starts from now on; True if in force."""
    instructions = _PROGRAM
    if instructions is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    array = (_Instruction * len(instructions))(*[_Instruction(*i) for i in instructions])
    prog = _Program(len(instructions), array)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


_PROGRAM = program()  # built once, in the nursery, for every process it filters
