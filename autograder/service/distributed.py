"""Workers on any number of machines: Celery, with Redis as broker and result store.

`python -m autograder worker --broker redis://HOST:6379/0` starts one on a
machine (its processes warm, as embedded ones); the service and `autograde
--broker` send it checks. A check is acknowledged only once its verdict is
stored (late acknowledgement): a worker process killed mid-check puts it
back at once (reject on worker lost), and a whole worker or machine that
vanishes leaves it unacknowledged in Redis, which hands it to another worker
once the visibility timeout has passed. The server waits for one result and
records one attempt however often a check is done, so a verdict is answered
once. Each check runs under a time limit, and expires unstarted once nobody
waits for it any more.
"""
import asyncio
import base64
import logging
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import celery.exceptions
from celery import Celery
from celery.signals import worker_process_init, worker_ready

from ..classwork import batch
from ..language import say
from ..sandbox import Limits
from . import job, settings

TASK = "autograder.check"
KIND = "celery"
# A check left unacknowledged this long after a worker took it is handed to
# another worker: longer than any check can run (the time limit), plus margin.
REDELIVERY_MARGIN = 30.0
# How often a waiting caller looks at whether its client has gone.
POLL_SECONDS = 0.5
# How often each worker hands the checks of vanished workers (unacknowledged past the visibility
# timeout) back to the queue. Kombu's own Redis transport does it only every tenth 10-second tick,
# so a check of a dead machine would wait up to 100 s more than the timeout.
RESTORE_SECONDS = 5.0
RESTORE_BATCH = 100
LOG = logging.getLogger("autograder.service")
# What a worker machine may take at once: one check per process, no more, so
# that a check waits in Redis for the first free process on any machine
# rather than behind another check on a busy one.
PREFETCH = 1


def celery_app(broker, time_limit=settings.DEFAULT_TIME_LIMIT, visibility_timeout=None):
    """The Celery app for this broker (also the result store), with the check task."""
    app = Celery("autograder", broker=broker, backend=broker, set_as_current=False)
    transport = {"visibility_timeout": visibility_timeout or time_limit + REDELIVERY_MARGIN}
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=PREFETCH,
        task_time_limit=time_limit, broker_transport_options=transport,
        result_backend_transport_options=transport, result_expires=3600,
        broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    app.task(name=TASK, acks_late=True, reject_on_worker_lost=True, time_limit=time_limit)(_check)
    return app


def _check(name, data, limits_doc, kit):
    return job.run(name, base64.b64decode(data), limits_doc, kit)


def _warm(**_):
    job.warm()


def _restore_forever(app):
    """Put checks that a vanished worker took, and never acknowledged, back in the queue."""
    connection = None
    while True:
        threading.Event().wait(RESTORE_SECONDS)
        try:
            connection = connection or app.connection_for_read()
            connection.default_channel.qos.restore_visible(num=RESTORE_BATCH, interval=1)
        except Exception as error:  # noqa: BLE001 (Redis may be restarting: try again next time)
            LOG.warning("could not restore unacknowledged checks: %s", error)
            connection = None


def work(broker, concurrency=None, name=None, time_limit=settings.DEFAULT_TIME_LIMIT, visibility_timeout=None,
         loglevel="INFO"):
    """Run a worker until it is stopped (the `worker` verb)."""
    app = celery_app(broker, time_limit, visibility_timeout)
    worker_process_init.connect(_warm, weak=False)  # each process warms once, before its first check
    worker_ready.connect(lambda **_: threading.Thread(target=_restore_forever, args=(app,), daemon=True,
                                                      name="restore").start(), weak=False)
    argv = ["worker", "--pool=prefork", f"--loglevel={loglevel}", f"--prefetch-multiplier={PREFETCH}",
            "--without-gossip", "--without-mingle", "-O", "fair",
            f"--hostname={name or 'simple-nn@' + socket.gethostname()}"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)


def ping(broker):
    """Raise ConnectionError with one line when the broker cannot be reached."""
    app = celery_app(broker)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=5)
    except Exception as error:  # noqa: BLE001 (kombu raises assorted errors for an unreachable broker)
        raise ConnectionError(say("cannot reach the broker at {broker}: {why}", broker=broker,
                                  why=str(error).splitlines()[0] if str(error) else type(error).__name__)) from None


def _arguments(name, data, limits):
    return [name, base64.b64encode(data).decode("ascii"), job.limits_document(limits), job.kit()]


def _outcome(result_state, value, time_limit):
    if isinstance(value, celery.exceptions.TimeLimitExceeded) or "TimeLimitExceeded" in str(result_state):
        return batch.GraderFailure(str(say("the check took longer than {seconds:g} s, the workers' time limit",
                                           seconds=time_limit)))
    if isinstance(value, BaseException):
        return batch.GraderFailure(str(say("a worker failed on this notebook: {why}",
                                           why=f"{type(value).__name__}: {value}")))
    return job.decode(value)


class Pending:
    """A check sent to the workers; a thread waits for its result (Celery's result API blocks)."""

    def __init__(self, workers, name, data):
        self._workers = workers
        self._abandoned = threading.Event()
        self._task_id = None
        loop = asyncio.get_running_loop()
        self.task = asyncio.ensure_future(loop.run_in_executor(workers.threads, self._wait, name, data))

    async def outcome(self):
        outcome = await self.task
        if outcome is None:
            raise asyncio.CancelledError
        return outcome

    def abandon(self):
        """Revoke the check: a worker that has not started it skips it; one that has finishes it."""
        self._abandoned.set()

    def _wait(self, name, data):
        app = self._workers.app
        result = app.send_task(TASK, args=_arguments(name, data, self._workers.limits),
                               expires=self._workers.wait_seconds)
        waited = 0.0
        try:
            while True:
                if self._abandoned.is_set():
                    app.control.revoke(result.id)
                    self._abandoned.clear()
                try:
                    value = result.get(timeout=POLL_SECONDS, propagate=False, interval=0.05)
                    if result.state == "REVOKED":
                        return None
                    return _outcome(result.state, value, self._workers.time_limit)
                except celery.exceptions.TimeoutError:
                    waited += POLL_SECONDS
                    if waited >= self._workers.wait_seconds:
                        return batch.GraderFailure(str(say(
                            "no worker answered within {seconds:g} s: are the workers running?",
                            seconds=self._workers.wait_seconds)))
        finally:
            result.forget()


class CeleryWorkers:
    kind = KIND

    def __init__(self, broker, limits=Limits(), time_limit=settings.DEFAULT_TIME_LIMIT,
                 max_waiting=settings.DEFAULT_MAX_WAITING, visibility_timeout=None):
        self.broker = broker
        self.limits = limits
        self.time_limit = time_limit
        # A check may wait for a free worker, be redelivered once after a worker vanished, and run.
        self.visibility_timeout = visibility_timeout or time_limit + REDELIVERY_MARGIN
        self.wait_seconds = 2 * self.visibility_timeout + time_limit
        self.app = celery_app(broker, time_limit, self.visibility_timeout)
        self.threads = ThreadPoolExecutor(max_workers=max_waiting, thread_name_prefix="check")

    def start(self):
        ping(self.broker)
        job.kit()

    def submit(self, name, data):
        return Pending(self, name, data)

    def close(self):
        self.threads.shutdown(wait=False, cancel_futures=True)


def grade_many(broker, paths, jobs=None, limits=Limits(), time_limit=settings.DEFAULT_TIME_LIMIT):
    """batch.grade_many on the Celery workers: every check is sent before this returns
    (so the caller's own work overlaps with the workers'); the iterator yields
    (path, outcome) as each finishes. `jobs` is the workers' business (how many
    processes each runs), not the caller's."""
    ping(broker)
    app = celery_app(broker, time_limit)
    sent, unreadable = {}, []
    for path in map(str, paths):
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as error:
            unreadable.append((path, batch.Unreadable(str(say("{path}: cannot be read ({why})", path=path,
                                                              why=error.strerror or error)))))
            continue
        sent[app.send_task(TASK, args=_arguments(path, data, limits)).id] = path
    return _finished(app, sent, unreadable, time_limit)


def _finished(app, sent, unreadable, time_limit):
    yield from unreadable
    for task_id, meta in app.backend.get_many(set(sent), interval=0.1):
        value = meta.get("result")
        if meta.get("status") == "FAILURE":
            value = app.backend.exception_to_python(value)
        yield sent[task_id], _outcome(meta.get("status"), value, time_limit)
        app.backend.forget(task_id)
