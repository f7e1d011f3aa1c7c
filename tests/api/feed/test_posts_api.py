"""Posts, comments, likes, moderation placeholders and validation over HTTP (SQLite and
Postgres)."""

from __future__ import annotations

from typing import Any

from hypehere.bootstrap.settings import Settings
from tests.api.helpers import API, auth, make_staff, register

KO_PLACEHOLDER = "게시물은 신고에 의해 삭제되었습니다."


async def create_post(client: Any, token: str, content: str, **extra: Any) -> dict[str, Any]:
    response = await client.post(
        f"{API}/posts", json={"content": content, **extra}, headers=auth(token)
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_post_life_cycle_with_hashtags_mentions_and_edit_history(client: Any) -> None:
    alice, alice_token = await register(client)
    bob, _ = await register(client)
    post = await create_post(
        client,
        alice_token,
        f"Studying with @{bob['handle']} and @nobody_here today #Korean #공부 #korean",
        media_urls=["https://cdn.example.com/a.png"],
    )
    assert post["author"]["id"] == alice["id"]
    assert post["hashtags"] == ["korean", "공부"]
    assert post["mentions"] == [{"id": bob["id"], "handle": bob["handle"]}]
    assert post["language"] == "en" and post["detected_language"] == "en"
    assert 0 < post["detected_language_confidence"] <= 1
    assert post["like_count"] == 0 and post["removed"] is False and post["edited_at"] is None

    mixed = await create_post(
        client,
        alice_token,
        "오늘은 한국어를 열심히 공부했어요. Tomorrow I will practice speaking with my friends.",
        language="ko",
    )
    assert mixed["language"] == "ko"
    assert {s["language"] for s in mixed["language_spans"]} == {"ko", "en"}

    patched = await client.patch(
        f"{API}/posts/{post['id']}", json={"content": "Edited #new"}, headers=auth(alice_token)
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["content"] == "Edited #new"
    assert patched.json()["hashtags"] == ["new"] and patched.json()["edited_at"] is not None
    history = await client.get(f"{API}/posts/{post['id']}/edits", headers=auth(alice_token))
    assert [e["previous_content"] for e in history.json()["items"]] == [post["content"]]

    other = await register(client)
    forbidden = await client.patch(
        f"{API}/posts/{post['id']}", json={"content": "mine now"}, headers=auth(other[1])
    )
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "not_author"
    assert (
        await client.delete(f"{API}/posts/{post['id']}", headers=auth(other[1]))
    ).status_code == 403
    deleted = await client.delete(f"{API}/posts/{post['id']}", headers=auth(alice_token))
    assert deleted.status_code == 204
    gone = await client.get(f"{API}/posts/{post['id']}", headers=auth(alice_token))
    assert gone.status_code == 404


async def test_validation_errors(client: Any) -> None:
    _, token = await register(client)
    cases: list[dict[str, Any]] = [
        {"content": "   "},
        {"content": "x" * 2001},
        {"content": "hi", "media_urls": ["http://insecure.example.com/a.png"]},
        {"content": "hi", "media_urls": [f"https://e.com/{i}.png" for i in range(5)]},
        {"content": "hi", "language": "xx"},
        {"language": "en"},
    ]
    for body in cases:
        response = await client.post(f"{API}/posts", json=body, headers=auth(token))
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"], response.text
    assert (await create_post(client, token, "x" * 2000, language="en"))["content"] == "x" * 2000
    for path in ("/feed", "/feed/following", "/hashtags/tag/posts"):
        for limit in ("0", "101"):
            bad = await client.get(f"{API}{path}?limit={limit}", headers=auth(token))
            assert bad.status_code == 422, (path, bad.text)
        bad = await client.get(f"{API}{path}?cursor=%%%garbage", headers=auth(token))
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor", bad.text
    unauthenticated = await client.post(f"{API}/posts", json={"content": "hi"})
    assert unauthenticated.status_code == 401


async def test_likes_and_comments_are_counted_once(client: Any) -> None:
    _, alice_token = await register(client)
    _, bob_token = await register(client)
    post = await create_post(client, alice_token, "Like me", language="en")
    url = f"{API}/posts/{post['id']}"
    for _ in range(2):
        assert (await client.put(f"{url}/like", headers=auth(bob_token))).status_code == 204
    seen = (await client.get(url, headers=auth(bob_token))).json()
    assert seen["like_count"] == 1 and seen["liked_by_me"] is True
    assert (await client.delete(f"{url}/like", headers=auth(bob_token))).status_code == 204
    assert (await client.get(url, headers=auth(bob_token))).json()["like_count"] == 0

    comment = await client.post(
        f"{url}/comments", json={"content": "nice!"}, headers=auth(bob_token)
    )
    assert comment.status_code == 201, comment.text
    c = comment.json()
    assert c["post_id"] == post["id"] and c["content"] == "nice!" and c["removed"] is False
    too_long = await client.post(
        f"{url}/comments", json={"content": "y" * 1001}, headers=auth(bob_token)
    )
    assert too_long.status_code == 422
    for _ in range(2):
        liked = await client.put(f"{API}/comments/{c['id']}/like", headers=auth(alice_token))
        assert liked.status_code == 204
    listed = (await client.get(f"{url}/comments", headers=auth(alice_token))).json()
    assert [x["like_count"] for x in listed["items"]] == [1]
    assert listed["items"][0]["liked_by_me"] is True
    assert (await client.get(url, headers=auth(bob_token))).json()["comment_count"] == 1
    # The post's author may delete comments on their post.
    assert (
        await client.delete(f"{API}/comments/{c['id']}", headers=auth(alice_token))
    ).status_code == 204
    assert (await client.get(url, headers=auth(bob_token))).json()["comment_count"] == 0


async def test_removed_post_shows_placeholder_and_staff_see_original(
    client: Any, backend_settings: Settings
) -> None:
    _, author_token = await register(client)
    member, member_token = await register(client, interface_language="ko")
    staff, staff_token = await register(client)
    await make_staff(client, staff["id"], database_url=backend_settings.effective_database_url)
    post = await create_post(client, author_token, "Something nasty #bad", language="en")
    comment = (
        await client.post(
            f"{API}/posts/{post['id']}/comments",
            json={"content": "nasty too"},
            headers=auth(author_token),
        )
    ).json()

    denied = await client.post(f"{API}/admin/posts/{post['id']}/remove", headers=auth(member_token))
    assert denied.status_code == 403
    removed = await client.post(f"{API}/admin/posts/{post['id']}/remove", headers=auth(staff_token))
    assert removed.status_code == 200, removed.text
    assert removed.json()["original_content"] == "Something nasty #bad"
    removed_comment = await client.post(
        f"{API}/admin/comments/{comment['id']}/remove", headers=auth(staff_token)
    )
    assert removed_comment.status_code == 200, removed_comment.text

    seen = (await client.get(f"{API}/posts/{post['id']}", headers=auth(member_token))).json()
    assert seen["removed"] is True and seen["removed_reason"] == "report"
    assert seen["content"] == KO_PLACEHOLDER and "original_content" not in seen
    english = await client.get(f"{API}/posts/{post['id']}", headers={"Accept-Language": "en"})
    assert english.json()["content"] == "This post was removed because it was reported."
    tagged = (await client.get(f"{API}/hashtags/bad/posts", headers=auth(member_token))).json()
    assert [p["content"] for p in tagged["items"]] == [KO_PLACEHOLDER]
    comments = (
        await client.get(f"{API}/posts/{post['id']}/comments", headers=auth(member_token))
    ).json()["items"]
    assert (
        comments[0]["removed"] is True
        and comments[0]["content"] == "댓글은 신고에 의해 삭제되었습니다."
    )
    as_staff = (await client.get(f"{API}/posts/{post['id']}", headers=auth(staff_token))).json()
    assert as_staff["original_content"] == "Something nasty #bad"
    liked = await client.put(f"{API}/posts/{post['id']}/like", headers=auth(member_token))
    assert liked.status_code == 409 and liked.json()["code"] == "content_removed"
    assert member["id"]
