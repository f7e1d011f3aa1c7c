"""Follow and block flags between two users (other modules use it for block checks)."""

from __future__ import annotations

import msgspec

from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import RelationshipView


class GetRelationshipCommand(msgspec.Struct, frozen=True):
    viewer_id: str
    user_id: str


class GetRelationship:
    """Follow and block flags between `viewer_id` and `user_id` (block checks: use
    `.blocked_either_way`)."""

    def __init__(self, reader: UserReader) -> None:
        self._reader = reader

    async def execute(self, cmd: GetRelationshipCommand) -> RelationshipView:
        return await self._reader.relationship(cmd.viewer_id, cmd.user_id)
