"""The sandbox against a student who has read the grader's code: every attack
here once worked. Probes that need a layer this machine lacks (namespaces,
control groups) say so in their failure message rather than pass quietly."""
import os
import re
import socket
import time

import pytest

from autograder.grade import program
from autograder.grade.notebook import CodeCell
from autograder.sandbox import Limits, Sandbox, failures
from conftest import sandbox_group, sandbox_processes

FAST = Limits(call_seconds=5, define_seconds=3)


def sandbox(*sources, limits=FAST):
    cells = [CodeCell(number, source, None) for number, source in enumerate(sources, 1)]
    return Sandbox(program.build(cells), limits)


PROBES = '''
import ctypes, os, socket, sys, gc, threading, time
def l2_loss(outputs, targets):
    return 0.0
def attempt(action):
    try:
        action()
    except BaseException as error:
        return type(error).__name__
    return "done"
def predict(what, argument, unused):
    if what == "reference":
        return attempt(lambda: sys.modules["reference"])
    if what == "reference_anywhere":
        return [repr(o)[:80] for o in gc.get_objects() if getattr(o, "__module__", None) == "reference"][:3]
    if what == "read":
        return attempt(lambda: open(argument, "rb").read(1))
    if what == "udp":
        return attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"2,-3,5", ("127.0.0.1", argument)))
    if what == "tcp":
        return attempt(lambda: socket.create_connection(("127.0.0.1", argument), timeout=1))
    if what == "unix":
        return attempt(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect(argument))
    if what == "unix_datagram":
        return attempt(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"x", argument))
    if what == "socketpair":
        left, right = socket.socketpair()
        left.send(b"ok")
        return right.recv(2).decode()
    if what == "raw":
        return attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP))
    if what == "netlink":
        return attempt(lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).bind((0, 0)))
    if what == "mknod":
        return attempt(lambda: os.mknod("kmsg", 0o600 | 0o020000, os.makedev(1, 11)))
    if what == "hostname":
        libc = ctypes.CDLL(None, use_errno=True)
        return "done" if libc.sethostname(b"pwned", 5) == 0 else "refused"
    if what == "realtime":
        return attempt(lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1)))
    if what == "signal":
        return attempt(lambda: os.kill(argument, 0))
    if what == "processes":
        return sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    if what == "remember":
        globals()["memory"] = globals().get("memory", 0) + 1
        open("left_behind.txt", "a").write("x")
        return [globals()["memory"], os.path.getsize("left_behind.txt")]
    if what == "fill_disk":
        block = b"x" * 2**20
        written = 0
        try:
            with open("big", "wb") as file:
                for _ in range(argument):
                    file.write(block)
                    written += 1
        except OSError as error:
            return [written, type(error).__name__]
        return [written, "done"]
    if what == "print":

        print("update_params = reference code", flush=True)
        os.write(2, b"left for the next check")
        def chatter():
            while True:
                os.write(1, b"still here")
                time.sleep(0.01)
        threading.Thread(target=chatter, daemon=True).start()
        time.sleep(0.05)
        return os.fstat(1).st_ino
    if what == "read_output":
        time.sleep(0.05)
        return [os.fstat(1).st_ino, os.fstat(1).st_size, os.fstat(2).st_size,
                os.pread(1, 100, 0).decode(), os.pread(2, 100, 0).decode()]
    if what == "locks":
        import fcntl, numpy
        path = numpy.__file__
        fd = os.open(path, os.O_RDONLY)
        folder = os.open(os.path.dirname(path), os.O_RDONLY)
        libc = ctypes.CDLL(None, use_errno=True)
        def refused(result):
            if result == -1:
                raise OSError(ctypes.get_errno(), "refused")
        return {
            "lockf": attempt(lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, 5)),
            "flock": attempt(lambda: fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)),
            "F_GETLK": attempt(lambda: fcntl.fcntl(fd, fcntl.F_GETLK, bytes(32))),
            "F_OFD_SETLK": attempt(lambda: fcntl.fcntl(fd, 37, bytes(32))),
            "F_OFD_GETLK": attempt(lambda: fcntl.fcntl(fd, 36, bytes(32))),
            "F_SETLEASE": attempt(lambda: fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)),
            "F_GETLEASE": attempt(lambda: fcntl.fcntl(fd, 1025)),
            "F_NOTIFY": attempt(lambda: fcntl.fcntl(folder, 1026, 1)),
            "inotify": attempt(lambda: refused(libc.inotify_init1(0))),
            "fanotify": attempt(lambda: refused(libc.fanotify_init(0, 0))),
            "fallocate stdout": attempt(lambda: refused(libc.fallocate(1, 1, ctypes.c_long(0), ctypes.c_long(2**32)))),
            "fallocate scratch": attempt(lambda: refused(libc.fallocate(os.open("reserved", os.O_CREAT | os.O_WRONLY),
                                                                        1, ctypes.c_long(0), ctypes.c_long(2**32)))),
        }
    if what == "fcntl_commands":
        import fcntl
        fd = os.open("probe", os.O_CREAT | os.O_RDWR)
        passed = []
        for command in range(argument):
            try:
                fcntl.fcntl(fd, command, 0)
                passed.append(command)
            except PermissionError:
                pass
            except OSError:
                passed.append(command)  # the kernel itself saw it: the filter let it through
        return passed
    if what == "deep_tree":
        for _ in range(argument):
            os.mkdir("d")
            os.chdir("d")
        return "done"
'''


@pytest.fixture(scope="module")
def box():
    with sandbox(PROBES) as opened:
        yield opened


def test_the_reference_helpers_are_out_of_reach(box):
    """Can student code not borrow the grader's reference helpers, in any check but train's own?"""
    assert box.call("predict", ("reference", None, None)) == "KeyError"
    assert box.call("predict", ("reference_anywhere", None, None)) == []


def test_every_call_looks_the_same_from_inside():
    """Does a function see the same request whether or not the grader will inspect its arguments or np.random?"""
    source = ("import sys\ndef update_params(*args):\n    request = sys._getframe(1).f_locals.get('request', {})\n"
              "    return sorted(request)\n")
    with sandbox(source) as box:
        plain = box.call("update_params", (1,))
        inspected, _ = box.call("update_params", (1,), return_arguments=True, global_seed=7)
    assert plain == inspected


def test_checks_share_no_state(box):
    """Does each check start from fresh globals and an empty scratch folder?"""
    box.new_check()
    assert box.call("predict", ("remember", None, None)) == [1, 1]
    assert box.call("predict", ("remember", None, None)) == [2, 2]  # within a check, state is the student's own
    box.new_check()
    assert box.call("predict", ("remember", None, None)) == [1, 1]


def test_nothing_a_check_prints_reaches_the_next(box):
    """Are a check's stdout and stderr its own: empty at its start, with nothing an earlier check's threads write?"""
    box.new_check()
    first = box.call("predict", ("print", None, None))
    box.new_check()
    inode, out_size, err_size, out, err = box.call("predict", ("read_output", None, None))
    assert inode != first
    assert (out_size, err_size, out, err) == (0, 0, "", "")


def test_no_lock_lease_watch_or_reservation_on_any_file(box):
    """Does every file lock, lease, notification, watch and fallocate fail inside, on files every sandbox reads?"""
    outcomes = box.call("predict", ("locks", None, None))
    assert outcomes == {name: "PermissionError" for name in outcomes}, outcomes
    assert "seccomp" in box.confinement


def test_fcntl_passes_only_its_allowlist(box):
    """Does the filter let through only the fcntl commands of its allowlist, whatever the command number?"""
    from autograder.sandbox import seccomp
    assert set(box.call("predict", ("fcntl_commands", 1100, None))) <= set(seccomp.FCNTL_ALLOWED)


def test_no_network_of_any_kind(box):
    """Can student code reach no socket on the machine: not UDP, TCP, raw or netlink?"""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)
    server = socket.create_server(("127.0.0.1", 0))
    try:
        assert box.call("predict", ("udp", listener.getsockname()[1], None)) != "done"
        assert box.call("predict", ("tcp", server.getsockname()[1], None)) != "done"
        time.sleep(0.1)
        with pytest.raises(BlockingIOError):
            listener.recv(100)
    finally:
        listener.close()
        server.close()
    assert box.call("predict", ("raw", None, None)) != "done"
    assert box.call("predict", ("socketpair", None, None)) == "ok"  # what multiprocessing needs still works


def test_no_socket_file_on_the_machine_is_reachable(box, tmp_path):
    """Can student code not connect to a Unix socket outside the sandbox (a container engine's, a database's)?"""
    stream, datagram = str(tmp_path / "engine.sock"), str(tmp_path / "log.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(stream)
    server.listen()
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(datagram)
    receiver.setblocking(False)
    os.chmod(tmp_path, 0o777)
    try:
        assert box.call("predict", ("unix", stream, None)) == "PermissionError"
        assert box.call("predict", ("unix_datagram", datagram, None)) == "PermissionError"
        with pytest.raises(BlockingIOError):
            receiver.recv(10)
    finally:
        server.close()
        receiver.close()
    assert box.call("predict", ("netlink", None, None)) != "done"


def test_no_privileges_inside(box):
    """Are device nodes, the hostname and real-time scheduling out of reach, even as root?"""
    assert box.call("predict", ("mknod", None, None)) == "PermissionError"
    assert box.call("predict", ("hostname", None, None)) == "refused"
    assert box.call("predict", ("realtime", None, None)) == "PermissionError"


def test_nothing_outside_the_sandbox_is_visible(box):
    """Are the machine's secrets, the grader's /proc files and its process out of reach?"""
    assert box.call("predict", ("read", "/etc/shadow", None)) in ("PermissionError", "FileNotFoundError")
    assert box.call("predict", ("read", f"/proc/{os.getpid()}/environ", None)) in (
        "PermissionError", "FileNotFoundError")
    assert box.call("predict", ("signal", os.getpid(), None)) in ("PermissionError", "ProcessLookupError")
    assert "pid" in box.confinement, f"no PID namespace on this machine: {box.confinement}"
    assert os.getpid() not in box.call("predict", ("processes", None, None))


def test_the_scratch_folder_is_small_and_vanishes(box):
    """Is the scratch folder capped, and are a huge file and a deep tree gone after the check?"""
    written, outcome = box.call("predict", ("fill_disk", 400, None))
    assert outcome == "OSError" and written <= FAST.scratch_bytes // 2**20
    box.call("predict", ("deep_tree", 3000, None))
    box.new_check()
    assert box.call("predict", ("remember", None, None)) == [1, 1]


def test_detached_chains_die_with_the_sandbox():
    """Does a chain of 40 detached processes, each in a session of its own, die with the sandbox?"""
    source = ("import os, time\ndef predict(depth, unused, unused2):\n    for _ in range(depth):\n"
              "        if os.fork():\n            os._exit(0)\n        os.setsid()\n"
              "    if os.fork() == 0:\n        time.sleep(600)\n        os._exit(0)\n    os._exit(0)\n"
              "def l2_loss(outputs, targets):\n    return 0.0\n")
    with sandbox(source) as box:
        with pytest.raises(failures.Exited):
            box.call("predict", (40, None, None))
        box.new_check()
        assert box.call("l2_loss", (1, 2)) == 0.0
        group = sandbox_group(box)
        assert sandbox_processes(group)
    time.sleep(0.3)
    survivors = sandbox_processes(group)
    assert not survivors, f"{len(survivors)} processes of the student's outlived the sandbox"


def test_memory_counts_across_processes():
    """Do three forked children of 0.5 GB each exceed a sandbox's 1 GB, not the machine's memory?"""
    source = ("import os, numpy as np\ndef predict(n, unused, unused2):\n    pids = []\n    for _ in range(n):\n"
              "        pid = os.fork()\n        if pid == 0:\n            block = np.ones(64 * 2**20)\n"
              "            os._exit(0 if block.sum() else 1)\n        pids.append(pid)\n"
              "    return [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]\n")
    with sandbox(source, limits=Limits(call_seconds=20, memory_bytes=2**30)) as box:
        statuses = box.call("predict", (3, None, None))
        assert "cgroup memory" in box.confinement, f"no memory control group on this machine: {box.confinement}"
    assert any(status != 0 for status in statuses)


def test_a_forged_encoder_costs_only_the_student():
    """When student code replaces the worker's encoder, does only its own answer fail, with a clear message?"""
    source = ("import sys\ndef predict(a, b, c):\n"
              "    sys.modules['wire'].encode = lambda message: b'\\x00\\x00\\x00\\x05[[[[['\n    return 1\n"
              "def l2_loss(outputs, targets):\n    return 0.5\n")
    with sandbox(source) as box:
        with pytest.raises(failures.BadAnswer, match="predict sent back something the grader cannot read"):
            box.call("predict", (1, 2, 3))
        box.new_check()
        assert box.call("l2_loss", (1, 2)) == 0.5


def test_huge_exception_names_are_cut():
    """Does an exception whose type name is 8 MB long come back as a short message?"""
    source = ("def predict(a, b, c):\n    raise type('E' * 8_000_000, (Exception,), {})('x' * 8_000_000)\n")
    with sandbox(source) as box:
        with pytest.raises(failures.Raised) as error:
            box.call("predict", (1, 2, 3))
    assert len(str(error.value)) < 5000


def test_slow_top_level_code_is_bounded():
    """Do 15 default arguments that sleep cost a bounded time, and only the functions they define?"""
    slow = "".join(f"def slow{i}(x=time.sleep(0.2)):\n    return x\n" for i in range(15))
    source = "import time\ndef l2_loss(outputs, targets):\n    return 0.5\n" + slow
    started = time.monotonic()
    with sandbox(source, limits=Limits(call_seconds=5, define_seconds=3, definitions_seconds=0.5)) as box:
        for _ in range(5):
            box.new_check()
            assert box.call("l2_loss", (1, 2)) == 0.5
        notes = box.notes()
    assert time.monotonic() - started < 15  # unbounded, it would take 15 x 0.2 s for each of 5 checks
    assert any("all the time the notebook's top-level code gets" in note for note in notes)


def test_without_namespaces_grading_still_works_and_holds():
    """Where namespaces are forbidden, are answers still graded, checks still apart and detached processes killed?"""
    source = ("import os, time\ndef predict(what, unused, unused2):\n    if what == 'detach':\n"
              "        if os.fork() == 0:\n            os.setsid()\n            if os.fork() == 0:\n"
              "                time.sleep(600)\n            os._exit(0)\n        return 'detached'\n"
              "    globals()['calls'] = globals().get('calls', 0) + 1\n    return globals()['calls']\n")
    with sandbox(source, limits=Limits(call_seconds=5, namespaces=False)) as box:
        assert box.call("predict", ("count", None, None)) == 1
        assert box.call("predict", ("detach", None, None)) == "detached"
        box.new_check()
        assert box.call("predict", ("count", None, None)) == 1
        assert "pid" not in box.confinement and "seccomp" in box.confinement
        assert any(re.fullmatch(r"the student's code left \d process\(es\) running \(the grader killed them\)", incident)
                   for incident in box.incidents())
        group = sandbox_group(box)
    time.sleep(0.3)
    assert not sandbox_processes(group)


def test_the_protections_command_lists_what_holds(capsys):
    """Does `protections` mark exactly the layers a sandbox gets here, and say what the others would hold?"""
    from autograder import cli
    from autograder.sandbox import layers, protections_in_force
    assert cli.main(["protections"]) == 0
    output = capsys.readouterr().out
    active = protections_in_force()
    for name, holds, lost in layers.LAYERS:
        assert f"[{'x' if name in active else ' '}] {holds}" in output
        assert (f"- {name}: {lost}" in output) == (name not in active)
    assert set(active) <= {name for name, _, _ in layers.LAYERS}, "a layer the command does not describe"


def test_a_stray_reply_cannot_answer_a_later_call():
    """When student code writes an extra reply frame to the pipe, does the next call still get its own answer?"""
    source = ("import os, stat, sys\ndef predict(a, b, c):\n    wire = sys.modules['wire']\n"
              "    forged = wire.frame(wire.encode({'status': 'ok', 'value': 999, 'arguments': []}))\n"
              "    for fd in range(3, 64):\n        try:\n            if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
              "                os.write(fd, forged)\n        except OSError:\n            pass\n    return 1\n"
              "def l2_loss(outputs, targets):\n    return 0.5\n")
    with sandbox(source) as box:
        assert box.call("predict", (1, 2, 3)) == 1
        assert box.call("l2_loss", (1, 2)) == 0.5
