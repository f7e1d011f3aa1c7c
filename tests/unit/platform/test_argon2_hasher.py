"""The argon2 adapter hashes only in worker threads: an argon2 hash (tens to hundreds of
milliseconds of CPU) on the event loop stalls every request and socket of the process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher

from hypehere.adapters.crypto.argon2_hasher import Argon2PasswordHasher


@pytest.fixture
def hashing_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each argon2 hash and verification ran in."""
    threads: list[str] = []

    def recorded(method: Callable[..., Any]) -> Callable[..., Any]:
        def run(self: PasswordHasher, *args: Any, **kwargs: Any) -> Any:
            threads.append(threading.current_thread().name)
            return method(self, *args, **kwargs)

        return run

    monkeypatch.setattr(PasswordHasher, "hash", recorded(PasswordHasher.hash))
    monkeypatch.setattr(PasswordHasher, "verify", recorded(PasswordHasher.verify))
    return threads


async def test_hashing_never_runs_on_the_event_loop(hashing_threads: list[str]) -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=64, parallelism=1)
    hashed = await hasher.hash("correct horse")
    assert await hasher.verify(hashed, "correct horse")
    assert not await hasher.verify(hashed, "wrong horse")
    await hasher.verify_dummy("an unknown email's password")
    await hasher.verify_dummy("and another")
    loop_thread = threading.current_thread().name
    assert len(hashing_threads) == 6  # 1 hash, 2 verifications, the dummy once, 2 more
    assert loop_thread not in hashing_threads
