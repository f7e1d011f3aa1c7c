"""The edge's JSON depth check (`entrypoints/http/request.py`): exact on real JSON, cheap on
hostile bodies, never fooled by brackets inside strings."""

from __future__ import annotations

import json

import pytest

from hypehere.entrypoints.http.request import MAX_JSON_DEPTH, first_nul_field, nests_deeper_than

pytestmark = pytest.mark.unit


def nested(depth: int) -> bytes:
    return json.dumps(json.loads("[" * depth + "]" * depth)).encode()


@pytest.mark.parametrize("depth", [0, 1, 2, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH])
def test_bodies_within_the_limit_pass(depth: int) -> None:
    body = nested(depth) if depth else b'{"a": 1}'
    assert not nests_deeper_than(body, MAX_JSON_DEPTH)


@pytest.mark.parametrize(
    "body",
    [
        nested(MAX_JSON_DEPTH + 1),
        b"[" * 10_000 + b"]" * 10_000,
        b"[" * 10_000,  # unclosed: malformed anyway
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        b'[{"a": [' * 20 + b"1" + b"]}]" * 20,
    ],
)
def test_deeper_bodies_are_caught(body: bytes) -> None:
    assert nests_deeper_than(body, MAX_JSON_DEPTH)


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"content": "[" * 10_000, "quoted": '\\"[[[[' * 100, "list": [1, [2]]})
    assert not nests_deeper_than(text.encode(), MAX_JSON_DEPTH)


def test_many_shallow_brackets_pass() -> None:
    body = json.dumps([{"a": [1]} for _ in range(20_000)]).encode()
    assert not nests_deeper_than(body, MAX_JSON_DEPTH)


def test_first_nul_field_names_the_path() -> None:
    assert first_nul_field({"a": "ok", "b": [{"c": "x\x00"}]}) == "b[0].c"
    assert first_nul_field({"kinds": {"fol\x00low": True}}) == "kinds"
    assert first_nul_field("\x00") == "body"
    assert first_nul_field({"a": ["ok", 1, None, {"b": "fine"}]}) is None
