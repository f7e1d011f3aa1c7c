"""Who is acting: arrives in every command from the entry point, already authenticated."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Role(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"
    ANALYST = "analyst"


class Actor(msgspec.Struct, frozen=True):
    user_id: str
    role: Role = Role.MEMBER

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)
