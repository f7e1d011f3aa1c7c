"""A room's moderation states: held until its title is checked, then released, or removed
(its creator's only for good) and, on an overturned appeal, restored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hypehere.domain.chat.model import Room

pytestmark = pytest.mark.unit


def _held() -> Room:
    room = Room.create(
        name="Easy money",
        description="",
        language="en",
        password_hash=None,
        max_participants=4,
        created_by="u-creator",
        now=datetime(2026, 12, 6, tzinfo=UTC),
    )
    room.held = True
    return room


def test_a_removed_room_is_never_released_and_only_its_creator_sees_it() -> None:
    room = _held()
    assert room.reject() is True
    assert room.reject() is False
    assert room.release() is False
    assert (room.held, room.removed) == (True, True)
    assert room.visible_to("u-creator") and not room.visible_to("u-other")
    assert not room.visible_to(None)


def test_an_overturned_removal_shows_the_room_to_everyone() -> None:
    room = _held()
    assert room.restore() is False  # not removed
    room.reject()
    assert room.restore() is True
    assert (room.held, room.removed) == (False, False)
    assert room.visible_to("u-other")
    assert room.restore() is False


def test_a_released_room_cannot_be_removed_this_way() -> None:
    room = _held()
    assert room.release() is True
    assert room.reject() is False
    assert not room.removed
