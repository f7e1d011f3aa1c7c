"""Ports of strikes and appeals: their storage, the account's credentials (so a suspended
or banned user, who cannot sign in, can still read strikes and appeal), and undoing a
content removal (owner module)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hypehere.application.common.actor import Actor
from hypehere.domain.moderation.strikes import AppealStatus, Strike
from hypehere.domain.shared.pagination import Page, PageRequest


class StrikeRepository(Protocol):
    async def add(self, strike: Strike) -> None: ...

    async def get(self, strike_id: str) -> Strike | None: ...

    async def save(self, strike: Strike) -> None:
        """Store the strike's changes (its appeal and the appeal's decision)."""
        ...

    async def for_user(self, user_id: str) -> Sequence[Strike]:
        """The user's strikes, newest first (created_at, then id)."""
        ...

    async def by_appeal(self, appeal_id: str) -> Strike | None: ...

    async def appeals(self, status: AppealStatus, page: PageRequest) -> Page[Strike]:
        """Strikes whose appeal has `status`, oldest appeal first (appeal created_at, then
        appeal id); the cursor holds (appeal created_at ISO string, appeal id)."""
        ...


class AccountCredentials(Protocol):
    async def verify(self, email: str, password: str) -> str:
        """The account's id when the password is right, whatever its state (suspended and
        banned included; not deleted); InvalidCredentialsError otherwise."""
        ...


class ContentRestoration(Protocol):
    async def restore(self, actor: Actor, content_type: str, content_id: str) -> bool:
        """Undo a moderation removal of a post, comment, direct or room message (a rejected
        held message is released); False when it was not removed."""
        ...
