"""Language-partner suggestions: natives of my targets who learn my native language.

Storage selects the candidates (`UserReader.partner_candidates`); the domain policy
(`domain/users/partners.py`) ranks them; this use case pages through the ranking. The
cursor is (the time the scores were computed at, score, user id) of the last row shown,
so every page of one listing ranks with the same clock and resumes after that row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from hypehere.application.common.actor import Actor
from hypehere.application.users.ports import UserReader
from hypehere.application.users.views import ProfileView
from hypehere.domain.shared.clock import Clock, ensure_utc
from hypehere.domain.shared.languages import CefrLevel
from hypehere.domain.shared.pagination import InvalidCursorError, Page, PageRequest, encode_cursor
from hypehere.domain.users.model import TargetLanguage
from hypehere.domain.users.partners import CANDIDATE_POOL, PartnerSeeker, rank_partners


def _resume_point(cursor: tuple[Any, ...]) -> tuple[datetime, tuple[int, str]]:
    if len(cursor) != 3 or not isinstance(cursor[2], str):
        raise InvalidCursorError("The cursor is not valid")
    at, score, user_id = cursor
    if not isinstance(at, str) or not isinstance(score, int):
        raise InvalidCursorError("The cursor is not valid")
    try:
        anchor = ensure_utc(datetime.fromisoformat(at))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    return anchor, (score, user_id)


class SuggestPartnersCommand(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None


class SuggestPartners:
    def __init__(self, reader: UserReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def execute(self, cmd: SuggestPartnersCommand) -> Page[ProfileView]:
        page = PageRequest.of(cmd.limit, cmd.cursor)
        me = await self._reader.profile(cmd.actor.user_id, None)
        if me is None or not me.target_languages:
            return Page(items=[], next_cursor=None)
        seeker = PartnerSeeker(
            user_id=me.id,
            native_language=me.native_language,
            target_languages=tuple(
                TargetLanguage(t.language, CefrLevel(t.level)) for t in me.target_languages
            ),
        )
        anchor, after = self._clock.now(), None
        if page.cursor is not None:
            anchor, after = _resume_point(page.cursor)
        candidates = await self._reader.partner_candidates(seeker, CANDIDATE_POOL)
        ranked = rank_partners(seeker, candidates, anchor, after=after)
        shown = ranked[: page.limit]
        items = await self._reader.profiles([s.user_id for s in shown], cmd.actor.user_id)
        next_cursor = None
        if len(ranked) > page.limit:
            last = shown[-1]
            next_cursor = encode_cursor((anchor.isoformat(), last.score, last.user_id))
        return Page(items=items, next_cursor=next_cursor)
