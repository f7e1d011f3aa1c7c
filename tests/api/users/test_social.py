"""Profiles, PATCH me, follow/block rules, the privacy matrix, blocks list, partners."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.api.helpers import API, auth, register

pytestmark = pytest.mark.integration


async def follow(client: Any, token: str, user_id: str) -> int:
    response = await client.put(f"{API}/users/{user_id}/follow", headers=auth(token))
    return int(response.status_code)


async def profile(client: Any, user_id: str, token: str | None = None) -> Any:
    headers = auth(token) if token else {}
    return await client.get(f"{API}/users/{user_id}", headers=headers)


async def test_profile_with_counts_and_viewer_flags(client: Any) -> None:
    _, a_token = await register(client, nickname="Alice")
    bob, b_token = await register(client, nickname="Bob")
    assert await follow(client, a_token, bob["id"]) == 204
    assert await follow(client, a_token, bob["id"]) == 204  # idempotent

    seen_by_alice = (await profile(client, bob["id"], a_token)).json()
    assert seen_by_alice["follower_count"] == 1
    assert seen_by_alice["is_following"] is True
    assert seen_by_alice["is_followed_by"] is False
    assert seen_by_alice["is_blocking"] is False
    assert "email" not in seen_by_alice

    anonymous = (await profile(client, bob["id"])).json()
    assert anonymous["nickname"] == "Bob"
    assert "is_following" not in anonymous

    me = (await client.get(f"{API}/users/me", headers=auth(a_token))).json()
    assert me["following_count"] == 1
    assert (
        await client.delete(f"{API}/users/{bob['id']}/follow", headers=auth(a_token))
    ).status_code == 204
    assert (
        await client.delete(f"{API}/users/{bob['id']}/follow", headers=auth(a_token))
    ).status_code == 204
    assert (await profile(client, bob["id"], b_token)).json()["follower_count"] == 0


async def test_unknown_profile_is_404_and_self_follow_is_422(client: Any) -> None:
    alice, token = await register(client)
    assert (await profile(client, "0190f0f0-0000-7000-8000-000000000000")).status_code == 404
    assert await follow(client, token, alice["id"]) == 422
    assert await follow(client, token, "0190f0f0-0000-7000-8000-000000000000") == 404
    assert (await client.put(f"{API}/users/{alice['id']}/follow")).status_code == 401


async def test_block_removes_follows_both_ways_and_hides_the_blocker(client: Any) -> None:
    alice, a_token = await register(client)
    bob, b_token = await register(client)
    await follow(client, a_token, bob["id"])
    await follow(client, b_token, alice["id"])
    blocked = await client.put(f"{API}/users/{bob['id']}/block", headers=auth(a_token))
    assert blocked.status_code == 204
    assert (
        await client.put(f"{API}/users/{bob['id']}/block", headers=auth(a_token))
    ).status_code == 204

    me = (await client.get(f"{API}/users/me", headers=auth(a_token))).json()
    assert me["follower_count"] == 0 and me["following_count"] == 0
    # The blocked user gets 404 for the blocker; the blocker still sees the blocked one.
    assert (await profile(client, alice["id"], b_token)).status_code == 404
    seen = (await profile(client, bob["id"], a_token)).json()
    assert seen["is_blocking"] is True and seen["follower_count"] == 0
    # Neither side can follow the other.
    assert await follow(client, b_token, alice["id"]) == 404
    assert await follow(client, a_token, bob["id"]) == 404
    # Lists: 404 for the blocked user.
    assert (
        await client.get(f"{API}/users/{alice['id']}/followers", headers=auth(b_token))
    ).status_code == 404

    blocks = (await client.get(f"{API}/users/me/blocks", headers=auth(a_token))).json()
    assert [u["id"] for u in blocks["items"]] == [bob["id"]]
    assert blocks["next_cursor"] is None

    assert (
        await client.delete(f"{API}/users/{bob['id']}/block", headers=auth(a_token))
    ).status_code == 204
    assert (await profile(client, alice["id"], b_token)).status_code == 200
    assert await follow(client, b_token, alice["id"]) == 204
    assert (await client.get(f"{API}/users/me/blocks", headers=auth(a_token))).json()["items"] == []


@pytest.mark.parametrize(
    ("setting", "owner", "follower", "stranger", "anonymous"),
    [
        ("everyone", 200, 200, 200, 200),
        ("followers", 200, 200, 403, 403),
        ("nobody", 200, 403, 403, 403),
    ],
)
async def test_privacy_matrix(
    client: Any, setting: str, owner: int, follower: int, stranger: int, anonymous: int
) -> None:
    target, t_token = await register(client)
    _, f_token = await register(client)
    _, s_token = await register(client)
    await follow(client, f_token, target["id"])
    patched = await client.patch(
        f"{API}/users/me",
        headers=auth(t_token),
        json={"privacy": {"show_followers_list": setting, "show_following_list": setting}},
    )
    assert patched.status_code == 200, patched.text
    for which in ("followers", "following"):
        url = f"{API}/users/{target['id']}/{which}"
        results = [
            (await client.get(url, headers=auth(t_token))).status_code,
            (await client.get(url, headers=auth(f_token))).status_code,
            (await client.get(url, headers=auth(s_token))).status_code,
            (await client.get(url)).status_code,
        ]
        assert results == [owner, follower, stranger, anonymous], which
        denied = await client.get(url, headers=auth(s_token))
        if denied.status_code == 403:
            assert denied.json()["code"] == "list_private"


async def test_followers_list_paginates_newest_first(client: Any) -> None:
    target, _ = await register(client)
    ids = []
    for _ in range(5):
        fan, token = await register(client)
        await follow(client, token, target["id"])
        ids.append(fan["id"])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(f"{API}/users/{target['id']}/followers", params=params)).json()
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    url = f"{API}/users/{target['id']}/followers"
    assert (await client.get(url, params={"limit": 0})).status_code == 422
    assert (await client.get(url, params={"limit": 101})).status_code == 422
    bad = await client.get(url, params={"cursor": "!!!"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"


async def test_patch_me_fields_and_handle_rules(client: Any) -> None:
    alice, a_token = await register(client)
    bob, _ = await register(client)
    response = await client.patch(
        f"{API}/users/me",
        headers=auth(a_token),
        json={
            "nickname": "앨리스",
            "handle": "Alice_01",
            "bio": "Hello",
            "avatar_url": "https://cdn.example.com/a.png",
            "target_languages": [{"language": "ja", "level": "C1"}],
            "interface_language": "ja",
            "chat_policy": "following",
            "send_read_receipts": False,
        },
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["handle"] == "alice_01" and me["nickname"] == "앨리스"
    assert me["target_languages"] == [{"language": "ja", "level": "C1"}]
    assert me["interface_language"] == "ja" and me["chat_policy"] == "following"
    assert me["send_read_receipts"] is False and me["avatar_url"].startswith("https://")
    taken = await client.patch(
        f"{API}/users/me", headers=auth(a_token), json={"handle": bob["handle"]}
    )
    assert taken.status_code == 409 and taken.json()["code"] == "handle_taken"
    for body, field in (
        ({"handle": "ab"}, "handle"),
        ({"handle": "has space"}, "handle"),
        ({"nickname": "x" * 31}, "nickname"),
        ({"native_language": "ja"}, "target_languages[0].language"),
        ({"privacy": {"show_followers_list": "friends"}}, "privacy.show_followers_list"),
        ({"chat_policy": "anyone"}, "chat_policy"),
    ):
        bad = await client.patch(f"{API}/users/me", headers=auth(a_token), json=body)
        assert bad.status_code == 422, body
        assert bad.json()["errors"][0]["field"] == field, bad.json()
    # localized detail uses the new interface language
    assert bad.json()["detail"] != ""
    assert alice["id"] == me["id"]


async def test_concurrent_follows_keep_counts_exact(client: Any) -> None:
    target, t_token = await register(client)
    fans = [await register(client) for _ in range(12)]
    results = await asyncio.gather(
        *[follow(client, token, target["id"]) for _, token in fans],
        *[follow(client, token, target["id"]) for _, token in fans[:6]],
    )
    assert set(results) == {204}
    me = (await client.get(f"{API}/users/me", headers=auth(t_token))).json()
    assert me["follower_count"] == 12
    await asyncio.gather(
        *[
            client.delete(f"{API}/users/{target['id']}/follow", headers=auth(t))
            for _, t in fans[:5]
        ],
        *[
            client.delete(f"{API}/users/{target['id']}/follow", headers=auth(t))
            for _, t in fans[:5]
        ],
    )
    me = (await client.get(f"{API}/users/me", headers=auth(t_token))).json()
    assert me["follower_count"] == 7
    for fan, token in fans[:2]:
        mine = (await client.get(f"{API}/users/me", headers=auth(token))).json()
        assert mine["following_count"] == 0, fan


async def test_partners_match_languages_and_skip_blocked_and_followed(client: Any) -> None:
    me, token = await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )
    good, _ = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "B1"}]
    )
    far, _ = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "A1"}]
    )
    await register(
        client, native_language="en", target_languages=[{"language": "ja", "level": "B1"}]
    )
    await register(
        client, native_language="ja", target_languages=[{"language": "ko", "level": "B1"}]
    )
    followed, _ = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "B1"}]
    )
    blocker, blocker_token = await register(
        client, native_language="en", target_languages=[{"language": "ko", "level": "B1"}]
    )
    await follow(client, token, followed["id"])
    await client.put(f"{API}/users/{me['id']}/block", headers=auth(blocker_token))
    page = (await client.get(f"{API}/users/partners", headers=auth(token))).json()
    assert [u["id"] for u in page["items"]] == [good["id"], far["id"]]
    first = (
        await client.get(f"{API}/users/partners", params={"limit": 1}, headers=auth(token))
    ).json()
    assert [u["id"] for u in first["items"]] == [good["id"]]
    second = (
        await client.get(
            f"{API}/users/partners",
            params={"limit": 1, "cursor": first["next_cursor"]},
            headers=auth(token),
        )
    ).json()
    assert [u["id"] for u in second["items"]] == [far["id"]]
    assert second["next_cursor"] is None
    assert blocker["id"] not in [u["id"] for u in page["items"]]


async def test_errors_use_the_users_interface_language(client: Any) -> None:
    owner, _ = await register(client, interface_language="en")
    _, en_token = await register(client, interface_language="en")
    _, ja_token = await register(client, interface_language="ja")
    _, owner_token = await register(client)
    await client.patch(
        f"{API}/users/me",
        headers=auth(owner_token),
        json={"privacy": {"show_followers_list": "nobody"}},
    )
    owner_id = (await client.get(f"{API}/users/me", headers=auth(owner_token))).json()["id"]
    url = f"{API}/users/{owner_id}/followers"
    en = (await client.get(url, headers={**auth(en_token), "Accept-Language": "ko"})).json()
    ja = (await client.get(url, headers=auth(ja_token))).json()
    assert en["code"] == ja["code"] == "list_private"
    assert en["detail"] == "This list is private."
    assert ja["detail"] == "このリストは非公開です。"
    assert owner["interface_language"] == "en"
