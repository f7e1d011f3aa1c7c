"""What the users domain needs from storage (implemented in adapters/sql and adapters/memory)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from hypehere.domain.users.model import RefreshToken, User


class UserRepository(Protocol):
    async def get(self, user_id: str) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def get_by_handle(self, handle: str) -> User | None: ...

    async def add(self, user: User) -> None:
        """Insert; raises EmailTakenError / HandleTakenError on a duplicate."""
        ...

    async def save(self, user: User) -> None:
        """Persist profile, settings and state. Never writes the denormalized counters
        (follower/following/post/report counts), which change only atomically."""
        ...

    async def handles_taken(self, candidates: Iterable[str]) -> set[str]: ...

    async def suspended_until_before(self, now: datetime, limit: int) -> Sequence[str]:
        """Ids of suspended accounts whose suspension ended at or before `now`."""
        ...

    async def deletion_requested_before(self, cutoff: datetime, limit: int) -> Sequence[str]:
        """Ids of accounts whose deletion was requested at or before `cutoff`."""
        ...


class SocialGraph(Protocol):
    """Follows and blocks. Counter updates are atomic (`x = x + 1` in SQL), so concurrent
    follows keep `follower_count`/`following_count` exact."""

    async def follow(self, follower_id: str, followee_id: str, now: datetime) -> bool:
        """True when the edge was created (False: it already existed)."""
        ...

    async def unfollow(self, follower_id: str, followee_id: str) -> bool: ...

    async def block(self, blocker_id: str, blocked_id: str, now: datetime) -> bool: ...

    async def unblock(self, blocker_id: str, blocked_id: str) -> bool: ...

    async def is_following(self, follower_id: str, followee_id: str) -> bool: ...

    async def is_blocking(self, blocker_id: str, blocked_id: str) -> bool: ...

    async def blocked_either_way(self, a: str, b: str) -> bool: ...

    async def remove_all_edges(self, user_id: str) -> None:
        """Drop every follow (fixing the other side's counters) and block of the user."""
        ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_used(self, token_id: str, now: datetime) -> bool:
        """Atomically spend a live token; False when it was already used or revoked."""
        ...

    async def revoke(self, token_id: str, now: datetime) -> None: ...

    async def revoke_family(self, family_id: str, now: datetime) -> None: ...

    async def revoke_all_for_user(self, user_id: str, now: datetime) -> None: ...


class UserCounters(Protocol):
    """Denormalized counters other modules' facts move (`x = x + delta`, never below 0)."""

    async def adjust_post_count(self, user_id: str, delta: int) -> None: ...

    async def adjust_corrections_accepted(self, user_id: str, delta: int) -> None: ...
