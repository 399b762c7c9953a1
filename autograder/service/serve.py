"""`python -m autograder serve`: start the workers, then the server.

The workers start first (embedded: warm processes; Celery: the broker must
answer), so that the service listens only once it can grade, and a broker
that cannot be reached is one line, not a traceback. The server listens on
127.0.0.1 unless told otherwise; uvicorn believes X-Forwarded-For only from
the reverse proxies it is told of.
"""
import socket
import sys

import uvicorn

from ..classwork.batch import default_jobs
from ..language import say
from . import app, attempts, settings

# Seconds an idle keep-alive connection stays open: a browser's next check
# reuses it, an idle flood of them does not hold the server's connections.
KEEP_ALIVE_SECONDS = 5


def workers_for(config):
    if config.broker:
        from .distributed import CeleryWorkers
        return CeleryWorkers(config.broker, config.limits, config.time_limit, config.max_waiting)
    from .embedded import EmbeddedWorkers
    return EmbeddedWorkers(config.workers or default_jobs(), config.limits, config.time_limit)


def listening_socket(host, port):
    """A socket bound to host:port (port 0: a free one); raises OSError."""
    family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    server = socket.socket(family, kind, protocol)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind(address)
        server.listen(2048)
    except OSError:
        server.close()
        raise
    return server


def run(config):
    """Serve until stopped; the exit status."""
    try:
        database = attempts.Database(config.db_url)
    except Exception as error:  # noqa: BLE001 (SQLAlchemy's errors for a bad URL are assorted)
        print(say("error: cannot open the attempts database {url}: {why}", url=config.db_url,
                  why=str(error).splitlines()[0]), file=sys.stderr)
        return 2
    try:
        server_socket = listening_socket(config.host, config.port)
    except OSError as error:
        print(say("error: cannot listen on {host}:{port}: {why}", host=config.host, port=config.port,
                  why=error.strerror or error), file=sys.stderr)
        return 2
    workers = workers_for(config)
    try:
        workers.start()
    except ConnectionError as error:
        print(say("error: {why}", why=error), file=sys.stderr)
        server_socket.close()
        return 2
    try:
        host, port = server_socket.getsockname()[:2]
        where = f"[{host}]" if ":" in host else host
        print(say("check service on http://{where}:{port}{prefix}/ ({workers} workers; attempts in {db})",
                  where=where, port=port, prefix=config.prefix, workers=workers.kind, db=config.db_url), flush=True)
        server = uvicorn.Server(uvicorn.Config(
            app.create(config, workers, database), log_level="info", lifespan="off",
            proxy_headers=bool(config.proxies), forwarded_allow_ips=list(config.proxies) or None,
            limit_concurrency=config.max_connections, timeout_keep_alive=KEEP_ALIVE_SECONDS))
        server.run(sockets=[server_socket])
    finally:
        workers.close()
        database.close()
    return 0
