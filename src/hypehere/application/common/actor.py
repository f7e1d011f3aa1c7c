"""Who is acting: arrives in every command from the entry point, already authenticated."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from hypehere.domain.shared.errors import StaffOnlyError


class Role(StrEnum):
    MEMBER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"
    ANALYST = "analyst"

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        # `member` was this role's name before API.md's `user` (tokens and rows of then)
        return cls.MEMBER if value == "member" else None


class Actor(msgspec.Struct, frozen=True):
    user_id: str
    role: Role = Role.MEMBER

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)


def require_staff(actor: Actor, *, admin: bool = False) -> None:
    """The one staff check of every module's staff actions: a moderator or an admin (with
    `admin=True`, only an admin)."""
    if admin and actor.role is not Role.ADMIN:
        raise StaffOnlyError("Only an admin can do this")
    if not actor.is_staff:
        raise StaffOnlyError("Only staff can do this")
