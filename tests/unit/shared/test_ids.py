from __future__ import annotations

import uuid

import pytest

from hypehere.domain.shared.ids import is_valid_id, new_id

pytestmark = pytest.mark.unit


def test_ids_are_uuid7_and_strictly_increasing() -> None:
    ids = [new_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 7 for i in ids[:10])


def test_is_valid_id() -> None:
    assert is_valid_id(new_id())
    assert not is_valid_id("not-an-id")
