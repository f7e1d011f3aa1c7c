"""Time-ordered identifiers (UUIDv7, RFC 9562) so ids sort by creation and index well."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id() -> str:
    """A UUIDv7 string, strictly increasing within this process.

    The 12-bit `rand_a` field holds a counter seeded randomly each millisecond, so ids
    generated in the same millisecond still sort in creation order.
    """
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        _last_ms = ms
        counter = _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return str(uuid.UUID(int=value))


def id_floor(at_ms: int) -> str:
    """The smallest UUIDv7 of millisecond `at_ms` (Unix epoch): every id `new_id` makes at
    or after that millisecond sorts at or above it, every id made before sorts below, so
    "created before T" becomes a primary-key range (`id < id_floor(T)`)."""
    value = (max(at_ms, 0) & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= 0b10 << 62
    return str(uuid.UUID(int=value))


# What `new_id` issues: a UUID in its canonical lower-case text form. Anything else (NUL,
# other spellings of a UUID, free text) is never an id the app gave out.
ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_ID = re.compile(ID_PATTERN)


def is_valid_id(value: object) -> bool:
    """Whether `value` is an id in the form this app issues (see `ID_PATTERN`)."""
    return isinstance(value, str) and len(value) == 36 and _ID.fullmatch(value) is not None
