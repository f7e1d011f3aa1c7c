"""Command shapes that use cases of several modules share; a use case's command extends the
one whose fields mean the same for it."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor


class ActOnUser(msgspec.Struct, frozen=True):
    """`actor` acts on the user `user_id` (follow, block, start a conversation, ...)."""

    actor: Actor
    user_id: str


class Changed(msgspec.Struct, frozen=True):
    """What an idempotent command did: False when it found the change already made."""

    changed: bool
