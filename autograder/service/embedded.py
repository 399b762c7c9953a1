"""Workers on the server's own machine: warm grading processes beside it.

Each process imports the grader and starts the sandbox's nursery once, when
the service starts, and then grades one notebook after another. A process
that dies (not student code: that runs in the sandbox) or a check that runs
past the time limit takes the pool down with it; the pool is started afresh
and the checks it was running are done again, once.
"""
import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..classwork import batch
from ..language import say
from . import job

# How long the processes may take to import the grader and start their nurseries.
START_SECONDS = 120
KIND = "embedded"

_started = None  # in each worker process: the barrier that says all of them are warm


def _initialize(barrier):
    global _started
    _started = barrier
    job.warm()


def _ready():
    """Wait until every process of the pool is warm: each takes one of these calls and holds it."""
    _started.wait(START_SECONDS)


class Pending:
    """A check handed to the workers: await .outcome(); .abandon() drops it if no process has started it."""

    def __init__(self, workers, name, data):
        self._workers, self._name, self._data = workers, name, data
        self._future = None
        self._abandoned = False
        self.task = asyncio.ensure_future(self._run())

    async def outcome(self):
        return await self.task

    def abandon(self):
        self._abandoned = True
        if self._future is not None and self._future.cancel():
            self.task.cancel()

    async def _run(self):
        for _ in range(2):
            pool = self._workers.pool
            self._future = pool.submit(job.run, self._name, self._data, self._workers.limits_doc, job.kit())
            if self._abandoned and self._future.cancel():
                raise asyncio.CancelledError
            try:
                document = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._future)),
                                                  self._workers.time_limit)
                return job.decode(document)
            except BrokenProcessPool:
                await self._workers.restart(pool)
            except asyncio.CancelledError:
                if self._abandoned:
                    raise
                await self._workers.restart(pool)  # cancelled by a restart for another check: do it again
            except asyncio.TimeoutError:
                await self._workers.restart(pool)  # the only way to stop a grading process that runs on
                return batch.GraderFailure(str(say("the check took longer than {seconds:g} s, the service's "
                                                   "time limit", seconds=self._workers.time_limit)))
        return batch.GraderFailure(str(say("a grading process died twice while grading this notebook")))


class EmbeddedWorkers:
    kind = KIND

    def __init__(self, processes, limits, time_limit):
        self.processes = processes
        self.limits_doc = job.limits_document(limits)
        self.time_limit = time_limit
        self.pool = None
        self._restarting = asyncio.Lock()

    def start(self):
        """Start every process and wait until each is warm (a few seconds)."""
        job.kit()
        self.pool = self._new_pool()

    def _new_pool(self):
        context = multiprocessing.get_context("spawn")  # clean processes, whatever the server has loaded
        barrier = context.Barrier(self.processes)
        pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_initialize, initargs=(barrier,))
        for future in [pool.submit(_ready) for _ in range(self.processes)]:
            future.result(timeout=START_SECONDS)
        return pool

    async def restart(self, broken):
        """A new pool in place of `broken` (once, however many checks found it broken)."""
        async with self._restarting:
            if self.pool is not broken:
                return
            # Python's pool keeps no handle on which process runs which check: stop them all.
            for process in list((broken._processes or {}).values()):
                process.kill()  # a grading process past the time limit does not stop by itself
            broken.shutdown(wait=False, cancel_futures=True)
            self.pool = await asyncio.to_thread(self._new_pool)

    def submit(self, name, data):
        return Pending(self, name, data)

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
