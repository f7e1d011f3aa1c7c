"""Facts about users, written to the outbox (topics shared with other modules)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hypehere.domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class UserRegistered(DomainEvent):
    topic: ClassVar[str] = "users.registered"
    user_id: str
    handle: str
    nickname: str
    native_language: str
    target_languages: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class UserProfileUpdated(DomainEvent):
    topic: ClassVar[str] = "users.profile_updated"
    user_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFollowed(DomainEvent):
    topic: ClassVar[str] = "users.followed"
    follower_id: str
    followee_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserUnfollowed(DomainEvent):
    topic: ClassVar[str] = "users.unfollowed"
    follower_id: str
    followee_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserBlocked(DomainEvent):
    topic: ClassVar[str] = "users.blocked"
    blocker_id: str
    blocked_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserUnblocked(DomainEvent):
    topic: ClassVar[str] = "users.unblocked"
    blocker_id: str
    blocked_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserStateChanged(DomainEvent):
    """`state` is one of AccountState's values, or "deleted" after the purge."""

    topic: ClassVar[str] = "users.state_changed"
    user_id: str
    state: str
