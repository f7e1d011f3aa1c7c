"""The ranked feed, the following feed, hashtags and trending over HTTP (SQLite and
Postgres): block invisibility, diversity cap, paging without duplicates while posts
arrive, the language filter."""

from __future__ import annotations

from typing import Any

from hypehere.application.feed.refresh_trending_hashtags import (
    RefreshTrendingHashtags,
    RefreshTrendingHashtagsCommand,
)
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.settings import Settings
from tests.api.feed.test_posts_api import create_post
from tests.api.helpers import API, auth, register


async def follow(client: Any, token: str, user_id: str) -> None:
    response = await client.put(f"{API}/users/{user_id}/follow", headers=auth(token))
    assert response.status_code == 204, response.text


async def pages(client: Any, token: str, path: str, limit: int, count: int) -> list[list[dict]]:
    out: list[list[dict]] = []
    cursor = None
    for _ in range(count):
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(f"{API}{path}", params=params, headers=auth(token))
        assert response.status_code == 200, response.text
        body = response.json()
        out.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    return out


async def test_feed_has_followed_and_language_candidates_without_blocked_or_own(
    client: Any,
) -> None:
    me, my_token = await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )
    friend, friend_token = await register(client, native_language="ja", target_languages=[])
    _native, native_token = await register(client, native_language="en", target_languages=[])
    learner, learner_token = await register(
        client, native_language="es", target_languages=[{"language": "ko", "level": "A2"}]
    )
    blocked, blocked_token = await register(client, native_language="en", target_languages=[])
    stranger, stranger_token = await register(client, native_language="fr", target_languages=[])
    await follow(client, my_token, friend["id"])
    made = {
        "friend": await create_post(client, friend_token, "友達の投稿です", language="ja"),
        "native": await create_post(client, native_token, "Native English post", language="en"),
        "learner": await create_post(client, learner_token, "Hola, aprendo coreano", language="es"),
        "blocked": await create_post(client, blocked_token, "Blocked English post", language="en"),
        "stranger": await create_post(client, stranger_token, "Bonjour à tous", language="fr"),
        "mine": await create_post(client, my_token, "My own post", language="ko"),
    }
    response = await client.put(f"{API}/users/{blocked['id']}/block", headers=auth(my_token))
    assert response.status_code == 204, response.text

    feed = await pages(client, my_token, "/feed", 20, 1)
    got = {p["id"] for p in feed[0]}
    assert got == {made[k]["id"] for k in ("friend", "native", "learner")}

    # The blocked user sees nothing of mine either, anywhere.
    assert (
        await client.get(f"{API}/posts/{made['mine']['id']}", headers=auth(blocked_token))
    ).status_code == 404
    assert (
        await client.get(f"{API}/posts/{made['blocked']['id']}", headers=auth(my_token))
    ).status_code == 404
    mine_listed = await client.get(f"{API}/users/{me['id']}/posts", headers=auth(blocked_token))
    assert mine_listed.status_code == 404
    theirs = await client.get(f"{API}/users/{blocked['id']}/posts", headers=auth(my_token))
    assert theirs.status_code == 200 and theirs.json() == {"items": [], "next_cursor": None}
    like = await client.put(f"{API}/posts/{made['mine']['id']}/like", headers=auth(blocked_token))
    assert like.status_code == 404
    comment = await client.post(
        f"{API}/posts/{made['mine']['id']}/comments",
        json={"content": "hi"},
        headers=auth(blocked_token),
    )
    assert comment.status_code == 404
    await follow(client, native_token, me["id"])
    following = await pages(client, native_token, "/feed/following", 20, 1)
    assert [p["id"] for p in following[0]] == [made["mine"]["id"]]
    assert stranger["id"] and learner["id"]


async def test_blocked_users_comments_and_hashtag_posts_are_invisible(client: Any) -> None:
    _, alice_token = await register(client)
    bob, bob_token = await register(client)
    carol, carol_token = await register(client)
    post = await create_post(client, alice_token, "Open thread #topic", language="en")
    await create_post(client, bob_token, "Bob also #topic", language="en")
    await client.post(
        f"{API}/posts/{post['id']}/comments", json={"content": "from bob"}, headers=auth(bob_token)
    )
    await client.post(
        f"{API}/posts/{post['id']}/comments",
        json={"content": "from carol"},
        headers=auth(carol_token),
    )
    assert (
        await client.put(f"{API}/users/{bob['id']}/block", headers=auth(carol_token))
    ).status_code == 204
    comments = (
        await client.get(f"{API}/posts/{post['id']}/comments", headers=auth(carol_token))
    ).json()
    assert [c["content"] for c in comments["items"]] == ["from carol"]
    tagged = (await client.get(f"{API}/hashtags/topic/posts", headers=auth(carol_token))).json()
    assert [p["author"]["id"] for p in tagged["items"]] == [post["author"]["id"]]
    tagged_by_bob = (
        await client.get(f"{API}/hashtags/%23Topic/posts", headers=auth(bob_token))
    ).json()
    assert len(tagged_by_bob["items"]) == 2
    assert carol["id"]


async def test_ranked_feed_caps_three_posts_per_author_per_page(client: Any) -> None:
    _, my_token = await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )
    prolific, prolific_token = await register(client, native_language="en", target_languages=[])
    others = [await register(client, native_language="en", target_languages=[]) for _ in range(2)]
    await follow(client, my_token, prolific["id"])
    for i in range(8):
        await create_post(client, prolific_token, f"Prolific post number {i}", language="en")
    for j, (_, token) in enumerate(others):
        await create_post(client, token, f"Another voice {j}", language="en")
    feed = await pages(client, my_token, "/feed", 6, 5)
    first = feed[0]
    assert len(first) == 5  # 3 by the prolific author + 2 others; the rest waits
    by_author: dict[str, int] = {}
    for page in feed:
        counts: dict[str, int] = {}
        for p in page:
            counts[p["author"]["id"]] = counts.get(p["author"]["id"], 0) + 1
            by_author[p["author"]["id"]] = by_author.get(p["author"]["id"], 0) + 1
        assert max(counts.values()) <= 3, counts
    assert by_author[prolific["id"]] == 8  # nothing lost across pages


async def test_no_duplicates_across_five_pages_while_new_posts_arrive(client: Any) -> None:
    _, my_token = await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )
    authors = [await register(client, native_language="en", target_languages=[]) for _ in range(5)]
    for user, _ in authors:
        await follow(client, my_token, user["id"])
    for i in range(30):
        _, token = authors[i % 5]
        await create_post(client, token, f"Post {i} for paging", language="en")
    for path in ("/feed", "/feed/following"):
        seen: list[str] = []
        cursor = None
        for page_no in range(5):
            params: dict[str, Any] = {"limit": 5}
            if cursor:
                params["cursor"] = cursor
            response = await client.get(f"{API}{path}", params=params, headers=auth(my_token))
            assert response.status_code == 200, response.text
            body = response.json()
            seen.extend(p["id"] for p in body["items"])
            cursor = body["next_cursor"]
            assert cursor is not None, (path, page_no)
            # New posts arrive between page requests.
            _, token = authors[page_no]
            await create_post(
                client, token, f"Fresh post during paging {path} {page_no}", language="en"
            )
        assert len(seen) == 25, path
        assert len(set(seen)) == len(seen), path
        if path == "/feed":
            # A retried page is the same page.
            again = await client.get(
                f"{API}{path}", params={"limit": 5, "cursor": cursor}, headers=auth(my_token)
            )
            again2 = await client.get(
                f"{API}{path}", params={"limit": 5, "cursor": cursor}, headers=auth(my_token)
            )
            assert [p["id"] for p in again.json()["items"]] == [
                p["id"] for p in again2.json()["items"]
            ]
            assert not {p["id"] for p in again.json()["items"]} & set(seen)


async def test_language_filter_on_both_feeds_and_hashtags(client: Any) -> None:
    _, my_token = await register(
        client,
        native_language="ko",
        target_languages=[{"language": "en", "level": "B1"}, {"language": "ja", "level": "A1"}],
    )
    author, author_token = await register(client, native_language="en", target_languages=[])
    await follow(client, my_token, author["id"])
    await create_post(client, author_token, "English words here #mix", language="en")
    await create_post(client, author_token, "日本語の投稿です #mix", language="ja")
    await create_post(client, author_token, "Second English post #mix", language="en")
    for path in ("/feed", "/feed/following", "/hashtags/mix/posts"):
        response = await client.get(
            f"{API}{path}", params={"language": "en"}, headers=auth(my_token)
        )
        assert response.status_code == 200, response.text
        langs = [p["language"] for p in response.json()["items"]]
        assert langs == ["en", "en"], (path, langs)
        bad = await client.get(f"{API}{path}", params={"language": "zz"}, headers=auth(my_token))
        assert bad.status_code == 422, (path, bad.text)


async def test_trending_hashtags_from_the_job(client: Any, backend_settings: Settings) -> None:
    _, token = await register(client)
    for i in range(3):
        await create_post(client, token, f"#hot post {i} #Hot", language="en")
    for i in range(2):
        await create_post(client, token, f"#lukewarm post {i}", language="en")
    # The job runs in its own process (worker) with its own container.
    container = make_container(backend_settings, web=False)
    try:
        async with container() as request:
            refresh = await request.get(RefreshTrendingHashtags)
            result = await refresh.execute(RefreshTrendingHashtagsCommand())
    finally:
        await container.close()
    assert [t.tag for t in result.hashtags] == ["hot"]
    response = await client.get(f"{API}/trending/hashtags")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(t["tag"], t["post_count"]) for t in items] == [("hot", 3)]
    assert items[0]["score"] > 0


async def test_pages_shown_are_logged_after_the_response_and_not_shown_again(
    client: Any,
) -> None:
    # The impressions are written by the response's background task; the next feed session
    # must already see them (the seen window) and skip those posts.
    _, my_token = await register(
        client, native_language="ko", target_languages=[{"language": "en", "level": "B1"}]
    )
    author, author_token = await register(client, native_language="en", target_languages=[])
    await follow(client, my_token, author["id"])
    for i in range(6):
        await create_post(client, author_token, f"Seen window post {i}", language="en")
    first = await client.get(f"{API}/feed", params={"limit": 3}, headers=auth(my_token))
    assert first.status_code == 200, first.text
    shown = {p["id"] for p in first.json()["items"]}
    assert len(shown) == 3

    again = await client.get(f"{API}/feed", params={"limit": 3}, headers=auth(my_token))
    assert again.status_code == 200, again.text
    fresh = {p["id"] for p in again.json()["items"]}
    assert len(fresh) == 3 and not fresh & shown


async def test_the_ranked_feed_shows_authors_as_they_are_now(client: Any) -> None:
    """`/feed` renders its posts' authors from the process's card cache: a profile edit and
    a deactivation reach the very next page through the account-status topic. (A page is
    not shown twice to one reader, so each look is a new follower's first page.)"""
    author, author_token = await register(client, native_language="ja", target_languages=[])
    post = await create_post(client, author_token, "友達の投稿です", language="ja")

    async def new_follower() -> str:
        _reader, token = await register(client, native_language="ko", target_languages=[])
        await follow(client, token, author["id"])
        return token

    async def authors(token: str | None = None) -> list[tuple[str, str, str | None]]:
        response = await client.get(f"{API}/feed", headers=auth(token or await new_follower()))
        assert response.status_code == 200, response.text
        return [
            (p["author"]["handle"], p["author"]["nickname"], p["author"]["avatar_url"])
            for p in response.json()["items"]
            if p["id"] == post["id"]
        ]

    assert await authors() == [(author["handle"], author["nickname"], None)]
    changes = {"nickname": "Renamed", "handle": "renamed_friend", "avatar_url": "https://x/y.png"}
    response = await client.patch(f"{API}/users/me", json=changes, headers=auth(author_token))
    assert response.status_code == 200, response.text
    assert await authors() == [("renamed_friend", "Renamed", "https://x/y.png")]
    last = await new_follower()
    response = await client.post(f"{API}/users/me/deactivate", headers=auth(author_token))
    assert response.status_code in (200, 204), response.text
    assert await authors(last) == []
