"""The check service's HTTP face (Starlette): POST /check takes a notebook
and answers with its verdict; GET / is the upload page; GET /health says
whether the workers are ready.

Each request is refused as early and as cheaply as it can be: a flooding
address before anything is read, a wrong token or a spent rate before the
notebook is read, an oversized or slow upload while it is read, a
non-notebook by a worker in milliseconds. Only an accepted notebook reaches a
worker, and each student (or anonymous address) has at most one check
running at a time, so no one can hold more than one worker. A client that
goes away stops nothing but its own check, which is still recorded.
"""
import asyncio
import datetime
import hashlib
import logging
import re

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from ..language import say
from . import answer, attempts, limits, page, settings

LOG = logging.getLogger("autograder.service")
# How long a refused client may take to finish sending the notebook it sent
# anyway, so that it reads the refusal instead of a reset connection.
DRAIN_SECONDS = 5.0
# A client's name for its notebook is only ever echoed to it: bounded, printable.
MAX_NAME = 200
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
REFUSED = "refused"


class Refusal(Exception):
    """An answer other than a verdict. drain: the client may still be sending its notebook."""

    def __init__(self, status, message, retry_after=None, drain=True):
        super().__init__(message)
        self.status, self.message, self.retry_after, self.drain = status, message, retry_after, drain

    def response(self):
        document = {"status": REFUSED, "error": str(self.message)}
        headers = {}
        if self.retry_after is not None:
            document["retry_after"] = self.retry_after
            headers["Retry-After"] = str(self.retry_after)
        return JSONResponse(document, self.status, headers=headers)


class Service:
    def __init__(self, config, workers, database):
        self.settings, self.workers, self.db = config, workers, database
        self.running = set()  # students (and anonymous addresses) with a check running
        self.background = set()  # checks whose client has gone, still running
        self.pending = {}  # attempt -> the workers' Pending, while it runs
        self.requests = limits.Window(settings.REQUESTS_PER_MINUTE, 60)
        self.wrong_tokens = limits.Window(settings.WRONG_TOKENS_PER_10_MINUTES, 600)

    # The routes --------------------------------------------------------------------------------
    async def check(self, request):
        address = request.client.host if request.client else "unknown"
        try:
            waiting = self.requests.hit(address)
            if waiting:
                raise Refusal(429, say("Too many requests from your address: try again in {seconds} s.",
                                       seconds=waiting), waiting)
            language = request.query_params.get("lang", settings.LANGUAGES[0])
            if language not in settings.LANGUAGES:
                raise Refusal(400, say("The service answers in {languages}, not {language!r}.",
                                       languages=", ".join(settings.LANGUAGES), language=language[:20]))
            student = await self._student(request, address)
            key = ("student", student) if student is not None else ("address", address)
            if key in self.running:
                raise Refusal(429, say("Your previous check is still running: wait for its verdict, then try "
                                       "again."), 5)
            self.running.add(key)
        except Refusal as refusal:
            return await self._refuse(request, refusal)
        release = True
        try:
            rate = self.settings.rate if student is not None else self.settings.anonymous
            now = attempts.now()
            recent = await asyncio.to_thread(self.db.recent, now - datetime.timedelta(seconds=rate.seconds),
                                             student, address)
            allowed = limits.next_allowed(recent, rate, now)
            if allowed is not None:
                wait = limits.seconds_until(allowed, now)
                raise Refusal(429, say(
                    "You have used the {checks} checks allowed in {period}: your next check is allowed at "
                    "{moment} UTC, in {wait}.", checks=rate.checks, period=_duration(rate.seconds),
                    moment=allowed.strftime("%H:%M:%S"), wait=_duration(wait)), wait)
            if len(self.running) > self.settings.max_waiting:
                raise Refusal(503, say("The check service is busy: try again in a minute."), 60)
            data = await self._body(request)
            name = notebook_name(request.query_params.get("name", ""))
            sha256 = hashlib.sha256(data).hexdigest()
            attempt = await asyncio.to_thread(self.db.start, student, address, name, sha256, self.workers.kind)
            release = False  # from here on the check releases its student when it is done
            verdict = asyncio.ensure_future(self._grade(key, attempt, name, data, language))
            gone = asyncio.ensure_future(_disconnected(request))
            await asyncio.wait({verdict, gone}, return_when=asyncio.FIRST_COMPLETED)
            if not verdict.done():
                self.background.add(verdict)
                verdict.add_done_callback(self.background.discard)
                if attempt in self.pending:
                    self.pending[attempt].abandon()
                return Response(status_code=499)  # nobody reads it: the client has gone
            gone.cancel()
            status, document = verdict.result()
            document.update(attempt=attempt, sha256=sha256, student=student,
                            checks_left=max(0, rate.checks - len(recent) - 1), window_seconds=rate.seconds)
            return JSONResponse(document, status)
        except Refusal as refusal:
            return await self._refuse(request, refusal)
        finally:
            if release:
                self.running.discard(key)

    async def health(self, request):
        return JSONResponse({"ready": True, "workers": self.workers.kind,
                             "max_upload_bytes": self.settings.max_upload_bytes,
                             "anonymous": self.settings.anonymous is not None})

    async def page(self, request):
        return HTMLResponse(page.html_page(self.settings), headers=page.HEADERS)

    async def script(self, request):
        return Response(page.SCRIPT, media_type="text/javascript", headers=page.HEADERS)

    # The steps ---------------------------------------------------------------------------------
    async def _student(self, request, address):
        """The token's student, None for an anonymous check; raises Refusal."""
        waiting = self.wrong_tokens.wait(address)
        if waiting:
            raise Refusal(429, say("Too many wrong tokens from your address: try again in {seconds} s.",
                                   seconds=waiting), waiting)
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if not header or (scheme.lower() == "bearer" and not token):
            if self.settings.anonymous is None:
                raise Refusal(401, say("This check service needs your token: your instructor gives you one "
                                       "(see the check cell at the end of your notebook)."))
            return None
        student = await asyncio.to_thread(self.db.student_of, token) if scheme.lower() == "bearer" else None
        if student is None:
            self.wrong_tokens.add(address)
            raise Refusal(401, say("This token is not one your course issued: check that you copied it whole, "
                                   "or ask your instructor for yours."))
        return student

    async def _body(self, request):
        """The notebook's bytes; raises Refusal for an empty, oversized or slow upload."""
        limit = self.settings.max_upload_bytes
        declared = request.headers.get("content-length")
        too_large = Refusal(413, say("Your notebook is larger than the {size} the service accepts: clear its "
                                     "outputs (Edit > Clear Outputs of All Cells), save it and check again.",
                                     size=_size(limit)), drain=False)
        if declared is not None and declared.isdigit() and int(declared) > 2 * limit:
            raise too_large  # far too large: not worth reading even to drop it
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.settings.read_seconds):
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > 2 * limit:
                        raise too_large
                    if size <= limit:
                        chunks.append(chunk)
            if size > limit:
                # Read (and dropped) up to twice the limit, so that a client sending a notebook
                # a little too large reads this answer rather than a reset connection.
                raise too_large
        except ClientDisconnect:
            raise Refusal(400, say("Your notebook did not arrive whole: the connection closed while it was "
                                   "being sent."), drain=False) from None
        except TimeoutError:
            raise Refusal(408, say("Your notebook took longer than {seconds:g} s to arrive: check your "
                                   "connection and try again.", seconds=self.settings.read_seconds),
                          drain=False) from None
        if not size:
            raise Refusal(400, say("No notebook arrived: send the notebook's file as the request's body."))
        return b"".join(chunks)

    async def _grade(self, key, attempt, name, data, language):
        """The verdict of one accepted check, recorded whether or not its client still waits."""
        started = asyncio.get_running_loop().time()
        pending = self.workers.submit(name, data)
        self.pending[attempt] = pending
        try:
            outcome = await pending.outcome()
        except asyncio.CancelledError:
            await asyncio.to_thread(self.db.finish, attempt, attempts.CANCELLED)
            raise
        finally:
            self.pending.pop(attempt, None)
            self.running.discard(key)
        status, document, outcome_name, score, max_score, found = answer.of(outcome, language)
        if outcome_name == attempts.GRADER_FAILED:
            LOG.error("attempt %s: the grader failed: %s", attempt, getattr(outcome, "message", outcome))
        for error in getattr(outcome, "grader_errors", ()):
            LOG.error("attempt %s: the grader failed on a check: %s", attempt, error)
        await asyncio.to_thread(self.db.finish, attempt, outcome_name, score, max_score, found,
                                asyncio.get_running_loop().time() - started)
        return status, document

    async def _refuse(self, request, refusal):
        """The refusal, after reading what the client still sends (bounded), so that it reads the answer."""
        declared = request.headers.get("content-length", "")
        if refusal.drain and declared.isdigit() and int(declared) <= self.settings.max_upload_bytes:
            try:
                async with asyncio.timeout(DRAIN_SECONDS):
                    async for _ in request.stream():
                        pass
            except Exception:  # noqa: BLE001 (a client that has gone or stalls: the refusal stands)
                pass
        return refusal.response()


def notebook_name(given):
    """The client's name for its notebook as a bounded, printable line (it is echoed to the client and stored)."""
    return _UNPRINTABLE.sub("", given)[:MAX_NAME] or "notebook.ipynb"


async def _disconnected(request):
    """Return when the client has gone (after its whole request was read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def _duration(seconds):
    seconds = int(seconds)
    if seconds % 3600 == 0:
        return say("{hours} h", hours=seconds // 3600)
    if seconds >= 60:
        return say("{minutes} min {seconds} s", minutes=seconds // 60, seconds=seconds % 60) if seconds % 60 else \
            say("{minutes} min", minutes=seconds // 60)
    return say("{seconds} s", seconds=seconds)


def _size(size):
    return say("{megabytes:g} MB", megabytes=round(size / 2**20, 1))


def create(config, workers, database):
    """The ASGI app; `workers` (embedded or Celery) must have been started."""
    service = Service(config, workers, database)
    routes = [Route("/", service.page), Route("/page.js", service.script), Route("/health", service.health),
              Route("/check", service.check, methods=["POST"])]
    app = Starlette(routes=[Mount(config.prefix, routes=routes)] if config.prefix else routes)
    app.state.service = service
    return app
