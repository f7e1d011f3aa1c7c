"""`InvalidatedCache` (the account-status and author-card caches' mechanics): whatever the
interleaving of database reads, reported changes, holds and outages, a value is never served
after a change of its key was reported, and the LRU stays within its bound."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hypehere.application.common.invalidated_cache import InvalidatedCache

KEYS = ("a", "b", "c")

NAMES = ("read", "store", "hold", "commit", "invalidate", "outage", "probe", "tick")
# read: a request starts reading the database; store: a read in flight finishes and fills;
# hold: this process's change is about to commit; commit: it lands; invalidate: a change
# was published (this process's, or another's); outage: the broker is gone (what is
# published meanwhile is lost); probe: the subscription proved live again
op = st.tuples(st.sampled_from(NAMES), st.integers(0, 20))


@settings(max_examples=300)
@given(st.lists(op, max_size=40))
@example([("read", 0), ("invalidate", 0), ("store", 0)])  # overtaken by a change
@example([("hold", 0), ("read", 0), ("store", 0), ("commit", 0)])  # filled while held
@example([("read", 0), ("store", 0), ("outage", 0), ("probe", 0)])  # kept across an outage
@example([("read", 0), ("outage", 0), ("probe", 0), ("store", 0)])  # read before the outage
def test_a_value_is_never_served_after_its_key_changed(ops: list[tuple[str, int]]) -> None:
    now = [0.0]
    cache: InvalidatedCache[tuple[str, int]] = InvalidatedCache(2, 10.0, monotonic=lambda: now[0])
    cache.enable()
    version = dict.fromkeys(KEYS, 0)  # the database's current value of each key
    held: dict[str, float] = {}  # held key -> when
    in_flight: list[tuple[int, str, int]] = []
    for name, n in ops:
        key = KEYS[n % len(KEYS)]
        if name == "read":
            in_flight.append((cache.ticket(), key, version[key]))
        elif name == "store" and in_flight:
            ticket, key, seen = in_flight.pop(n % len(in_flight))
            cache.put(ticket, key, (key, seen))
        elif name == "hold":
            cache.hold(key)
            held[key] = now[0]
        elif name == "commit" and key in held and now[0] - held[key] < 10.0:
            # before its invalidation is published (and within the TTL, which also bounds
            # a hold whose transaction rolled back)
            version[key] += 1
        elif name == "invalidate":
            if key not in held:
                version[key] += 1  # a change committed by another process
            held.pop(key, None)
            cache.invalidate(key)
        elif name == "outage":
            cache.disable()
            # what is published meanwhile is lost: changes nobody here hears of
            for each in KEYS:
                version[each] += 1
        elif name == "probe":
            cache.enable()
        elif name == "tick":
            now[0] += 4.0
        assert len(cache) <= 2
        for each in KEYS:  # what a request would be served now
            value = cache.get(each)
            assert value is None or value == (each, version[each])
