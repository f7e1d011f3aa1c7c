"""bench/timeline.py's workload generator: the issue's shape (uniform follows without
self-follows or duplicates, uniform authors, times inside the window), deterministic."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bench.timeline import Dataset, database_url, generate

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def small(seed: int = 1) -> Dataset:
    return generate(
        users=60, follows=7, posts=3000, days=7, tags=5, seed=seed, now=NOW, password_hash="h"
    )


def test_each_user_follows_exactly_n_distinct_others() -> None:
    data = small()
    edges = [(f["follower_id"], f["followee_id"]) for f in data.follows]
    assert len(edges) == 60 * 7 == len(set(edges))
    assert all(a != b for a, b in edges)
    assert set(Counter(a for a, _ in edges).values()) == {7}
    assert {u["following_count"] for u in data.users} == {7}
    followers = Counter(b for _, b in edges)
    assert all(u["follower_count"] == followers[u["id"]] for u in data.users)


def test_posts_have_uniform_authors_and_times_inside_the_window() -> None:
    data = small()
    per_author = Counter(p["author_id"] for p in data.posts)
    assert len(per_author) == 60 and max(per_author.values()) < 3 * 3000 / 60
    assert all(u["post_count"] == per_author[u["id"]] for u in data.users)
    times = [p["created_at"] for p in data.posts]
    assert min(times) >= NOW - timedelta(days=7) and max(times) <= NOW
    halves = Counter(t >= NOW - timedelta(days=3.5) for t in times)
    assert abs(halves[True] - halves[False]) < 300
    links = {(h["post_id"], h["tag"]) for h in data.post_hashtags}
    assert links == {(p["id"], t) for p in data.posts for t in p["hashtags"]}


def test_the_same_arguments_give_the_same_dataset() -> None:
    assert small(3) == small(3)
    assert small(3).follows != small(4).follows


def test_database_named_after_the_size() -> None:
    base = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    assert database_url(base, 2000, 100_000, None).endswith("/bench_timeline_small")
    assert database_url(base, 20000, 500_000, None).endswith("/bench_timeline_large")
    assert database_url(base, 10, 20, None).endswith("/bench_timeline_u10_p20")
    assert database_url(base, 10, 20, "mine").endswith("/mine")
