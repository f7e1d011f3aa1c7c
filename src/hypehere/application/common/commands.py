"""Command shapes that use cases of several modules share; a use case's command extends the
one whose fields mean the same for it."""

from __future__ import annotations

import msgspec

from hypehere.application.common.actor import Actor


class ActOnUser(msgspec.Struct, frozen=True):
    """`actor` acts on the user `user_id` (follow, block, start a conversation, ...)."""

    actor: Actor
    user_id: str
