"""SuggestPartners pages through the domain ranking: cursors and edge cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hypehere.application.common.actor import Actor
from hypehere.application.users.register_user import TargetLanguageInput
from hypehere.application.users.suggest_partners import SuggestPartners, SuggestPartnersCommand
from hypehere.domain.shared.pagination import InvalidCursorError, decode_cursor, encode_cursor
from tests.unit.users.conftest import Kit


async def _pair(kit: Kit) -> tuple[Actor, list[Actor]]:
    me = await kit.actor(native_language="ko", target_languages=(TargetLanguageInput("en", "B1"),))
    others = [
        await kit.actor(native_language="en", target_languages=(TargetLanguageInput("ko", lvl),))
        for lvl in ("B1", "B2", "C2")
    ]
    return me, others


async def test_pages_keep_the_clock_of_the_first_page(kit: Kit) -> None:
    me, (b1, b2, c2) = await _pair(kit)
    suggest = kit.build(SuggestPartners)
    first = await suggest.execute(SuggestPartnersCommand(me, limit=2))
    assert [v.id for v in first.items] == [b1.user_id, b2.user_id]
    assert first.next_cursor is not None
    anchor, last_score, last_id = decode_cursor(first.next_cursor)
    assert (anchor, last_id) == (kit.clock.now().isoformat(), b2.user_id)
    assert last_score == 5 * 100 + 5 * 10 + 3
    kit.clock.advance(days=400)  # activity would drop to 0 if page 2 ranked at a new `now`
    second = await suggest.execute(SuggestPartnersCommand(me, 2, first.next_cursor))
    assert [v.id for v in second.items] == [c2.user_id]
    assert second.next_cursor is None


async def test_no_targets_or_unknown_user_gives_an_empty_page(kit: Kit) -> None:
    me = await kit.actor(native_language="ko", target_languages=())
    await _pair(kit)
    suggest = kit.build(SuggestPartners)
    assert (await suggest.execute(SuggestPartnersCommand(me, limit=5))).items == []
    assert (
        await suggest.execute(SuggestPartnersCommand(Actor(user_id="missing"), limit=5))
    ).items == []


@pytest.mark.parametrize(
    "cursor",
    [
        ("2026-01-01T12:00:00+00:00", 563),
        ("2026-01-01T12:00:00+00:00", 563, 7),
        ("not a time", 563, "id"),
        (12, 563, "id"),
        ("2026-01-01T12:00:00+00:00", "563", "id"),
    ],
)
async def test_garbled_cursors_are_rejected(kit: Kit, cursor: tuple[object, ...]) -> None:
    me, _ = await _pair(kit)
    with pytest.raises(InvalidCursorError):
        await kit.build(SuggestPartners).execute(
            SuggestPartnersCommand(me, 2, encode_cursor(tuple(cursor)))
        )


async def test_a_naive_cursor_time_is_read_as_utc(kit: Kit) -> None:
    me, (b1, b2, c2) = await _pair(kit)
    naive = (kit.clock.now() - timedelta(days=0)).replace(tzinfo=None).isoformat()
    page = await kit.build(SuggestPartners).execute(
        SuggestPartnersCommand(me, 5, encode_cursor((naive, 10_000, "~")))
    )
    assert [v.id for v in page.items] == [b1.user_id, b2.user_id, c2.user_id]
