"""argon2id hashes for open-room passwords, computed off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2RoomPasswordHasher:
    def __init__(self, *, time_cost: int = 2, memory_cost_kib: int = 19_456) -> None:
        self._argon = _Argon2(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=1, type=Type.ID
        )

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._argon.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
