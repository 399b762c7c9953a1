"""How often one may check, and when the next check is allowed.

A student's checks (or, anonymous, an address's) are counted in the
attempts database, so that the count survives a restart and every server
sharing the database agrees. Requests of any kind and wrong tokens are
counted per address in memory: they are refused before anything is read,
written or graded, so a flood costs the other students nothing but the
refusals.
"""
import collections
import datetime
import math
import time

# Addresses remembered at most: beyond this the oldest are forgotten (a flood
# from a million addresses must not use up the server's memory).
MAX_ADDRESSES = 100_000


def next_allowed(recent, rate, now):
    """The moment the next check is allowed, or None if it is allowed now.
    recent: when the counted checks in the window were accepted, oldest first."""
    if len(recent) < rate.checks:
        return None
    return recent[-rate.checks] + datetime.timedelta(seconds=rate.seconds)


def seconds_until(moment, now):
    return max(1, math.ceil((moment - now).total_seconds()))


class Window:
    """At most `count` events per key in any `seconds`-long window, in memory."""

    def __init__(self, count, seconds, clock=time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self.events = collections.OrderedDict()  # key -> deque of times, least recently seen first

    def _times(self, key):
        times = self.events.get(key)
        if times is None:
            times = self.events[key] = collections.deque()
            if len(self.events) > MAX_ADDRESSES:
                self.events.popitem(last=False)
        self.events.move_to_end(key)
        horizon = self.clock() - self.seconds
        while times and times[0] <= horizon:
            times.popleft()
        return times

    def wait(self, key):
        """Seconds until `key` may act again, or 0 if it may now."""
        times = self._times(key)
        if len(times) < self.count:
            return 0
        return max(1, math.ceil(times[-self.count] + self.seconds - self.clock()))

    def add(self, key):
        self._times(key).append(self.clock())

    def hit(self, key):
        """Count one event; the seconds to wait if that was one too many (0: allowed)."""
        waiting = self.wait(key)
        if not waiting:
            self.add(key)
        return waiting
