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


@pytest.mark.parametrize(
    "value",
    [
        "",
        "\x00",
        "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d\x00",
        "0190F5C2-8A4E-7B21-9C3D-5E6F7A8B9C0D",  # uuid.UUID accepts it; the app never issues it
        "0190f5c28a4e7b219c3d5e6f7a8b9c0d",
        "{0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d}",
        "urn:uuid:0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d",
        "0190f5c2-8a4e-7b21-9c3d-5e6f7a8b9c0d\n",
        str(2**64),
        None,
        12,
    ],
)
def test_only_ids_in_the_issued_form_are_valid(value: object) -> None:
    assert not is_valid_id(value)
