"""`GET /corrections?target_type=&target_id=`: the corrections of a text I can see, and
`GET /corrections/received`: the corrections of my texts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.learning.corrections_view import CorrectionPage
from hypehere.application.learning.create_correction import parse_target_type
from hypehere.application.learning.ports import CorrectionRepository, CorrectionTargets
from hypehere.domain.learning.corrections import Correction
from hypehere.domain.learning.errors import CorrectionTargetNotFoundError
from hypehere.domain.shared.pagination import InvalidCursorError, PageRequest

CURSOR_ARITY = 2  # (created_at ISO string, id)


def correction_cursor(cursor: tuple[Any, ...]) -> tuple[datetime, str]:
    """The corrections' (created_at, id) cursor, as every correction repository reads it:
    400 `invalid_cursor` unless the time parses and has a zone."""
    created, id_ = cursor
    try:
        at = datetime.fromisoformat(str(created))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    if at.tzinfo is None:
        raise InvalidCursorError("The cursor is not valid")
    return at, str(id_)


def correction_sort_key(c: Correction) -> tuple[str, str]:
    return c.created_at.isoformat(), c.id


class ListCorrectionsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    target_type: str
    target_id: str
    limit: int | None = None
    cursor: str | None = None


class ListReceivedCorrectionsCommand(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None


class ListCorrections:
    def __init__(self, corrections: CorrectionRepository, targets: CorrectionTargets) -> None:
        self._corrections = corrections
        self._targets = targets

    async def execute(self, cmd: ListCorrectionsCommand) -> CorrectionPage:
        target_type = parse_target_type(cmd.target_type)
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        if await self._targets.find(target_type, cmd.target_id, cmd.actor.user_id) is None:
            raise CorrectionTargetNotFoundError("The text was not found")
        return CorrectionPage.of(
            await self._corrections.for_target(target_type, cmd.target_id, page)
        )


class ListReceivedCorrections:
    def __init__(self, corrections: CorrectionRepository) -> None:
        self._corrections = corrections

    async def execute(self, cmd: ListReceivedCorrectionsCommand) -> CorrectionPage:
        page = PageRequest.of(cmd.limit, cmd.cursor, arity=CURSOR_ARITY)
        return CorrectionPage.of(await self._corrections.received(cmd.actor.user_id, page))
