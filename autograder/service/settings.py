"""What a check service is told when it starts: where it listens, who may
check and how often, how big a notebook may be, and which workers grade."""
import re
from dataclasses import dataclass, field

from ..language import say
from ..sandbox import Limits

# Only this machine can reach the service unless it is told otherwise: a
# reverse proxy (HTTPS) or JupyterHub's proxy is what students talk to.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
DEFAULT_DB = "sqlite:///check-service.db"
# The lesson's notebook with all its plots is about 300 kB; one with many
# experiments and pictures stays under a few MB. Larger is not an answer.
DEFAULT_MAX_UPLOAD_BYTES = 8 * 2**20
# How long a client may take to send its notebook: 8 MB needs well under a
# second on any network a course uses; a client slower than this holds a
# connection for nothing.
DEFAULT_READ_SECONDS = 20.0
# The longest one grading may take on a worker. The sandbox bounds every call
# of a student function (10 s) and a function that hangs once fails at once
# afterwards, so a real notebook grades in seconds and the worst in about a minute.
DEFAULT_TIME_LIMIT = 180.0
# Checks accepted and not yet answered, at most (beyond: 503, try again): with
# one check per student at a time, a class of this size waiting at once.
DEFAULT_MAX_WAITING = 200
# Open connections at most (uvicorn answers 503 beyond), so that a flood of
# idle connections cannot use up the server's memory and file descriptors.
DEFAULT_MAX_CONNECTIONS = 400
# A student checks, say, once per function while working through the lesson.
DEFAULT_RATE = "10/h"
# Requests of any kind (refusals included) from one address, and wrong tokens
# from one address: beyond these the address is refused (429) for a while.
REQUESTS_PER_MINUTE = 120
WRONG_TOKENS_PER_10_MINUTES = 20
LANGUAGES = ("en",)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class SettingsError(ValueError):
    """An option the service cannot work with; str() says which and why."""


@dataclass(frozen=True)
class Rate:
    """At most `checks` checks in any `seconds`-long window."""
    checks: int
    seconds: float

    def __str__(self):
        return f"{self.checks}/{self.seconds:g}s"


def parse_rate(text, option="--rate"):
    """'10/h', '3/10m', '1/30s' -> Rate; raises SettingsError."""
    match = _RATE.match(text or "")
    if not match or int(match.group(1)) < 1 or match.group(2) == "0":
        raise SettingsError(say("{option} takes checks per period, such as 10/h, 3/10m or 1/30s, not {text!r}",
                                option=option, text=text))
    return Rate(int(match.group(1)), int(match.group(2) or 1) * _UNITS[match.group(3)])


@dataclass(frozen=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    db_url: str = DEFAULT_DB
    rate: Rate = field(default_factory=lambda: parse_rate(DEFAULT_RATE))
    anonymous: Rate | None = None  # None: a token is needed
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    read_seconds: float = DEFAULT_READ_SECONDS
    time_limit: float = DEFAULT_TIME_LIMIT
    max_waiting: int = DEFAULT_MAX_WAITING
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    workers: int | None = None  # embedded worker processes (None: one per core)
    broker: str | None = None  # a Redis URL: Celery workers instead of embedded ones
    prefix: str = ""  # the path the service is served under, e.g. /services/simple-nn-check
    proxies: tuple = ()  # addresses of reverse proxies whose X-Forwarded-For is believed
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        if self.prefix and (not self.prefix.startswith("/") or self.prefix.endswith("/")):
            object.__setattr__(self, "prefix", "/" + self.prefix.strip("/") if self.prefix.strip("/") else "")
        for name in ("max_upload_bytes", "read_seconds", "time_limit", "max_waiting", "max_connections"):
            if not getattr(self, name) > 0:
                raise SettingsError(say("{name} must be positive", name=name))
        if self.workers is not None and self.workers < 1:
            raise SettingsError(say("--workers must be at least 1"))
