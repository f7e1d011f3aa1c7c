"""The fail-closed tier of automatic moderation: which new content waits for a verdict
before anyone but its author sees it. A module that writes user content asks the policy at
creation; the moderation module checks the held item and releases it (or leaves it to
staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ModerationState(StrEnum):
    VISIBLE = "visible"  # everyone allowed to see it does
    HELD = "held"  # only its author sees it until a verdict releases it
    REMOVED = "removed"  # rooms: removed by moderation while held, its creator's only for good


@dataclass(frozen=True, slots=True)
class HoldPolicy:
    """An account younger than `new_account_days` has its first `first_items` items (of
    one kind: posts, comments or direct messages, counted apart) held. `first_items=0`
    turns the tier off."""

    new_account_days: int = 7
    first_items: int = 3

    def holds(self, joined_at: datetime | None, items_written: int, now: datetime) -> bool:
        """True when the next item of an author who joined at `joined_at` and has written
        `items_written` items of this kind before must wait for a verdict. An unknown
        joining time counts as new (fail closed)."""
        if self.first_items <= 0 or items_written >= self.first_items:
            return False
        if joined_at is None:
            return True
        return now - joined_at < timedelta(days=self.new_account_days)


class Holdable:
    """Content the fail-closed tier may hold (posts, comments, rooms): a `held` flag and
    the one person who sees it while held (`holder_id`: its author, a room's creator).
    Mixed into the owning module's dataclasses."""

    __slots__ = ()
    held: bool

    @property
    def holder_id(self) -> str:
        raise NotImplementedError

    def visible_to(self, viewer_id: str | None) -> bool:
        """A held item exists for its holder only."""
        return not self.held or viewer_id == self.holder_id

    def release(self) -> bool:
        """It passed moderation: everyone allowed to see it does now. False when it was
        not held (idempotent)."""
        if not self.held:
            return False
        self.held = False  # type: ignore[misc]  # a slot of the dataclass it is mixed into
        return True


@dataclass(frozen=True, slots=True)
class CommentHoldPolicy(HoldPolicy):
    """The same rule for comments (`HYPEHERE_MODERATION_HOLD_FIRST_COMMENTS`), counted
    apart from posts: its own type so each use case is given its own."""


@dataclass(frozen=True, slots=True)
class MessageHoldPolicy(HoldPolicy):
    """The same rule for chat messages (`HYPEHERE_MODERATION_HOLD_FIRST_MESSAGES`): direct
    messages and open-room messages, each counted apart (an account's first N of each);
    its own type so the send use cases are given their own."""


@dataclass(frozen=True, slots=True)
class RoomTitleHold:
    """Every new open room is held until its title is checked (fail-closed for every
    account, `HYPEHERE_MODERATION_HOLD_ROOM_TITLES`); `on=False` turns it off."""

    on: bool = True
