"""Timeline reads at the machine's limit (issue 19): `GET /feed/following` (or a hashtag's
or an author's posts) on a Mastodon-shaped workload, one `hypehere serve` process on
PostgreSQL + Redis.

    HYPEHERE_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres \\
    HYPEHERE_REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python -m bench timeline --users 2000 --follows 50 --posts 100000

The workload: `--users` accounts, each following `--follows` uniformly chosen others,
`--posts` posts with uniformly chosen authors and times uniform over the last `--days`
days (0-2 hashtags each from a pool of `--tags`). It is bulk-loaded (COPY) into its own
database, named after its size (`bench_timeline_small` for 2,000 / 100,000,
`bench_timeline_large` for 20,000 / 500,000, else `bench_timeline_u<U>_p<P>`) on the server
HYPEHERE_DATABASE_URL points at, and reused while its parameters match (`--rebuild` loads
it again). Post times are relative to the load, so a reused dataset ages: pages are still
checked exactly, but a dataset older than a few days leaves the ranked feed's window.

The run: log in `--logins` users (argon2 at the test suites' cost, on the server too: the
logins are not what is measured), fetch each one's page 1 (warm-up; its cursor is page 2),
one client for `--single` requests on page 1 and then page 2, then `--concurrency`
closed-loop clients for `--seconds` on page 1 and then page 2. Per phase: p50/p99, req/s,
CPU ms per request of the server process and of PostgreSQL (all backends), the server's
RSS. Every page served is checked against an independent SQL statement of the same
timeline (written here, not taken from the application): the first response for each
(user, page) is compared with the statement after the run, and every later response with
the first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import HYPEHERE, CpuMeter, Result, box_speed, machine, serve, server_pid
from bench.lean_http import LeanClient, LeanResponse

PASSWORD = "timeline-bench-password-1"
EMAIL = "tl{n}@bench.example"
LANGUAGES = ("en", "ko", "ja", "es")
HIDDEN_STATES = ("deactivated", "deletion_requested", "deleted", "banned")
META_TABLE = "bench_timeline_meta"


@dataclass
class Dataset:
    users: list[dict[str, Any]] = field(default_factory=list)
    follows: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    post_hashtags: list[dict[str, Any]] = field(default_factory=list)


def generate(
    *,
    users: int,
    follows: int,
    posts: int,
    days: float,
    tags: int,
    seed: int,
    now: datetime,
    password_hash: str,
) -> Dataset:
    """The workload as rows of the app's tables (plain dicts with their column names).

    Ids are derived from the seed (`00000000-...` style, sortable), so the same arguments
    give the same dataset."""
    rng = random.Random(seed)
    data = Dataset()
    ids = [f"00000000-0000-7000-8000-{n:012d}" for n in range(users)]
    created = now - timedelta(days=days + 30)
    for n, user_id in enumerate(ids):
        native = LANGUAGES[n % len(LANGUAGES)]
        data.users.append(
            {
                "id": user_id,
                "email": EMAIL.format(n=n),
                "handle": f"tl{n}",
                "nickname": f"Timeline {n}",
                "bio": "",
                "native_language": native,
                "interface_language": "en",
                "password_hash": password_hash,
                "role": "member",
                "state": "active",
                "show_followers_list": "everyone",
                "show_following_list": "everyone",
                "chat_policy": "everyone",
                "send_read_receipts": True,
                "follower_count": 0,
                "following_count": 0,
                "post_count": 0,
                "report_count": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    followers = [0] * users
    per_user = min(follows, users - 1)
    for a in range(users):
        others = rng.sample(range(users - 1), per_user)
        for b in others:
            b = b if b < a else b + 1  # never oneself
            followers[b] += 1
            data.follows.append(
                {"follower_id": ids[a], "followee_id": ids[b], "created_at": created}
            )
    post_counts = [0] * users
    span = days * 86400.0
    tag_pool = [f"tag{t}" for t in range(tags)]
    for n in range(posts):
        author = rng.randrange(users)
        at = now - timedelta(seconds=rng.random() * span)
        chosen = sorted(set(rng.sample(tag_pool, rng.choice((0, 1, 1, 2))))) if tags else []
        post_id = f"00000000-0000-7000-9000-{n:012d}"
        data.posts.append(
            {
                "id": post_id,
                "author_id": ids[author],
                "content": f"Post {n} by {author}" + "".join(f" #{t}" for t in chosen),
                "language": data.users[author]["native_language"],
                "detected_language": data.users[author]["native_language"],
                "language_confidence": 0.9,
                "target_language": None,
                "hashtags": chosen,
                "mentioned_user_ids": [],
                "mentions": [],
                "media_urls": [],
                "like_count": 0,
                "comment_count": 0,
                "created_at": at,
                "edited_at": None,
                "removed_at": None,
                "removed_reason": None,
            }
        )
        post_counts[author] += 1
        data.post_hashtags.extend({"post_id": post_id, "tag": t, "created_at": at} for t in chosen)
    for i, row in enumerate(data.users):
        row["follower_count"] = followers[i]
        row["following_count"] = per_user
        row["post_count"] = post_counts[i]
    return data


# --- the independent statements a page is checked against (asyncpg, plain SQL) ---------

_VISIBLE = f"""
    u.state NOT IN ({", ".join(f"'{s}'" for s in HIDDEN_STATES)})
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = p.author_id)
    AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = p.author_id AND b.blocked_id = $1)
"""
_AFTER = "AND ($2::timestamptz IS NULL OR (p.created_at, p.id) < ($2::timestamptz, $3::text))"
EXPECTED_SQL = {
    # $1 viewer, $2/$3 cursor (or NULL), $4 limit, $5 the endpoint's subject
    "following": f"""
        SELECT p.id FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.author_id IN (SELECT f.followee_id FROM follows f WHERE f.follower_id = $5)
          AND {_VISIBLE} {_AFTER}
        ORDER BY p.created_at DESC, p.id DESC LIMIT $4""",
    "hashtag": f"""
        SELECT p.id FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.id IN (SELECT h.post_id FROM post_hashtags h WHERE h.tag = $5)
          AND {_VISIBLE} {_AFTER}
        ORDER BY p.created_at DESC, p.id DESC LIMIT $4""",
    "user": f"""
        SELECT p.id FROM posts p JOIN users u ON u.id = p.author_id
        WHERE p.author_id = $5 AND {_VISIBLE} {_AFTER}
        ORDER BY p.created_at DESC, p.id DESC LIMIT $4""",
}


def parse_cursor_key(created_at: str, post_id: str) -> tuple[datetime, str]:
    return datetime.fromisoformat(created_at), post_id


async def expected_page(
    conn: Any,
    endpoint: str,
    viewer: str,
    subject: str,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[str]:
    """The ids of the page after `after` (the last item of the previous page), by
    EXPECTED_SQL."""
    ts, last = after if after is not None else (None, None)
    rows = await conn.fetch(EXPECTED_SQL[endpoint], viewer, ts, last, limit, subject)
    return [r["id"] for r in rows]


@dataclass
class PageChecker:
    """Collects every page served: the first per key is compared with SQL after the run,
    each later one with the first (the dataset does not change during a run)."""

    first: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    after: dict[tuple[str, int], tuple[datetime, str] | None] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    served: int = 0
    differing: int = 0

    def record(
        self, viewer: str, page: int, ids: list[str], after: tuple[datetime, str] | None
    ) -> None:
        self.served += 1
        key = (viewer, page)
        known = self.first.get(key)
        if known is None:
            self.first[key] = ids
            self.after[key] = after
        elif known != ids:
            self.differing += 1

    async def verify(self, conn: Any, endpoint: str, limit: int) -> list[str]:
        """Problems found (empty: every page matched)."""
        problems = []
        if self.differing:
            problems.append(f"{self.differing} responses differed from the same page served before")
        for (viewer, page), ids in self.first.items():
            after = self.after[(viewer, page)]
            want = await expected_page(conn, endpoint, viewer, self.subjects[viewer], after, limit)
            if want != ids:
                problems.append(
                    f"{viewer} page {page}: served {ids[:3]}..., expected {want[:3]}..."
                )
        return problems


# --- the database ------------------------------------------------------------------------


def database_url(base: str, users: int, posts: int, name: str | None) -> str:
    if name is None:
        sizes = {(2000, 100_000): "small", (20000, 500_000): "large"}
        name = f"bench_timeline_{sizes.get((users, posts), f'u{users}_p{posts}')}"
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}"


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def build(url: str, params: str, dataset_args: dict[str, Any], rebuild: bool) -> str:
    """Load the dataset unless the database already holds this one. Returns what it did."""
    import asyncpg

    from hypehere.adapters.sql.engine import create_engine, ensure_postgres_database
    from hypehere.adapters.sql.feed.bulk import load_post_hashtags, load_posts
    from hypehere.adapters.sql.users.bulk import load_follows, load_users
    from hypehere.bootstrap.providers.users import password_hasher_for
    from hypehere.bootstrap.settings import load_settings

    await ensure_postgres_database(url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        have = await conn.fetchval(
            f"SELECT params FROM {META_TABLE} LIMIT 1"
            if await conn.fetchval("SELECT to_regclass($1)", META_TABLE)
            else "SELECT NULL"
        )
        if have == params and not rebuild:
            return f"reused {url.rsplit('/', 1)[1]} ({params})"
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        await conn.execute("DROP SCHEMA IF EXISTS analytics CASCADE")
        await conn.execute("CREATE SCHEMA public")
    finally:
        await conn.close()
    migrate(url)
    started = time.perf_counter()
    # The test suites' argon2 profile (the server runs with it too): 500 logins at the
    # production cost took minutes of the shared box's CPU before the first timeline read.
    hasher = password_hasher_for(load_settings(database_url=url, password_hash_profile="fast"))
    data = generate(
        now=datetime.now(UTC), password_hash=await hasher.hash(PASSWORD), **dataset_args
    )
    engine = create_engine(url)
    try:
        async with engine.begin() as sa_conn:
            await load_users(sa_conn, data.users)
            await load_follows(sa_conn, data.follows)
            await load_posts(sa_conn, data.posts)
            await load_post_hashtags(sa_conn, data.post_hashtags)
    finally:
        await engine.dispose()
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("VACUUM ANALYZE")
        await conn.execute(f"CREATE TABLE {META_TABLE} (params text NOT NULL)")
        await conn.execute(f"INSERT INTO {META_TABLE} VALUES ($1)", params)
    finally:
        await conn.close()
    return f"built {url.rsplit('/', 1)[1]} ({params}) in {time.perf_counter() - started:.0f} s"


def migrate(url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPEHERE_")}
    env["HYPEHERE_DATABASE_URL"] = url
    subprocess.run([HYPEHERE, "migrate"], env=env, check=True)


# --- the load ------------------------------------------------------------------------------


class DatabaseCpu:
    """CPU of the PostgreSQL backends connected to one database (their process title names
    it): on a shared machine, other databases' work does not count here, unlike the
    all-PostgreSQL figure of `CpuMeter`."""

    def __init__(self, database: str) -> None:
        self._needle = f" {database} ".encode()
        self._before: dict[int, int] = {}
        self.seconds = 0.0

    def _sample(self) -> dict[int, int]:
        out = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if (entry / "comm").read_text().strip() != "postgres":
                    continue
                if self._needle not in (entry / "cmdline").read_bytes():
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[int(entry.name)] = int(fields[11]) + int(fields[12])
        return out

    def start(self) -> None:
        self._before = self._sample()

    def stop(self) -> None:
        hz = os.sysconf("SC_CLK_TCK")
        after = self._sample()
        self.seconds += sum(t - self._before.get(pid, 0) for pid, t in after.items()) / hz


def rss_mb(port: int) -> float:
    pid = server_pid(port)
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Viewer:
    user_id: str
    subject: str  # whose timeline / which tag / which author
    token: str
    cursor: str | None = None  # page 1's next_cursor
    after: tuple[datetime, str] | None = None  # page 1's last item


def path_of(endpoint: str, subject: str) -> str:
    if endpoint == "following":
        return "/api/v1/feed/following"
    if endpoint == "hashtag":
        return f"/api/v1/hashtags/{subject}/posts"
    return f"/api/v1/users/{subject}/posts"


async def login_all(base: str, emails: Sequence[str]) -> list[str]:
    tokens = [""] * len(emails)
    sem = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def one(i: int, email: str) -> None:
            async with sem:
                r = await client.post(
                    "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
                )
                r.raise_for_status()
                tokens[i] = r.json()["access_token"]

        await asyncio.gather(*(one(i, e) for i, e in enumerate(emails)))
    return tokens


async def fetch(
    client: httpx.AsyncClient | LeanClient,
    endpoint: str,
    viewer: Viewer,
    page: int,
    limit: int,
    checker: PageChecker,
) -> httpx.Response | LeanResponse:
    params: dict[str, Any] = {"limit": limit}
    if page == 2 and viewer.cursor:
        params["cursor"] = viewer.cursor
    r = await client.get(
        path_of(endpoint, viewer.subject),
        params=params,
        headers={"Authorization": f"Bearer {viewer.token}"},
    )
    if r.status_code == 200:
        items = r.json()["items"]
        checker.record(
            viewer.user_id, page, [i["id"] for i in items], viewer.after if page == 2 else None
        )
    return r


async def phase(
    name: str,
    base: str,
    port: int,
    endpoint: str,
    viewers: list[Viewer],
    page: int,
    limit: int,
    concurrency: int,
    seconds: float | None,
    requests: int | None,
    checker: PageChecker,
    database_name: str,
    lean: bool,
) -> tuple[Result, CpuMeter, float, float]:
    """`concurrency` closed-loop clients (prebuilt: an httpx client costs the generator
    ~20 ms of CPU to build) for `seconds`, or one client for `requests` requests; each
    client is one kept-alive connection (`lean`: bench/lean_http.py, else httpx)."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients: list[httpx.AsyncClient | LeanClient] = [
        LeanClient(base) if lean else httpx.AsyncClient(base_url=base, limits=limits, timeout=30)
        for _ in range(concurrency)
    ]
    result = Result(name, concurrency, seconds or 0.0)
    meter = CpuMeter([port])
    database = DatabaseCpu(database_name)
    try:
        for client in clients:  # connect
            await client.get("/health/live")
        meter.start()
        database.start()
        began = time.perf_counter()
        stop_at = began + (seconds if seconds is not None else 1e9)
        budget = [requests if requests is not None else 1 << 62]

        async def one_client(index: int, client: httpx.AsyncClient | LeanClient) -> None:
            k = index
            while time.perf_counter() < stop_at and budget[0] > 0:
                budget[0] -= 1
                viewer = viewers[k % len(viewers)]
                k += concurrency
                started = time.perf_counter()
                r = await fetch(client, endpoint, viewer, page, limit, checker)
                elapsed = (time.perf_counter() - started) * 1000
                result.latencies_ms.append(elapsed)
                result.timeline.append((started - began, elapsed))
                if r.status_code != 200:
                    result.unexpected += 1
                    code = r.status_code
                    result.unexpected_statuses[code] = result.unexpected_statuses.get(code, 0) + 1

        await asyncio.gather(*(one_client(i, c) for i, c in enumerate(clients)))
        result.seconds = time.perf_counter() - began
        meter.stop()
        database.stop()
    finally:
        for client in clients:
            await client.aclose()
    return result, meter, database.seconds, rss_mb(port)


def report(result: Result, meter: CpuMeter, database: float, rss: float) -> list[str]:
    n = max(result.count, 1)
    return [
        result.line(),
        f"    CPU per request: server {meter.server_seconds * 1000 / n:.2f} ms, "
        f"PostgreSQL {database * 1000 / n:.2f} ms (this database's backends; "
        f"all PostgreSQL {meter.postgres_seconds * 1000 / n:.2f} ms), "
        f"Redis {meter.redis_seconds * 1000 / n:.3f} ms, "
        f"this load generator {meter.generator_seconds * 1000 / n:.2f} ms; "
        f"server RSS {rss:.0f} MB; "
        f"{meter.cores()}",
    ]


async def run(args: argparse.Namespace, url: str, base: str) -> int:
    import asyncpg

    rng = random.Random(args.seed + 1)
    chosen = sorted(rng.sample(range(args.users), min(args.logins, args.users)))
    user_ids = [f"00000000-0000-7000-8000-{n:012d}" for n in range(args.users)]
    checker = PageChecker()
    lines: list[str] = []
    dbname = url.rsplit("/", 1)[1]
    port = int(base.rsplit(":", 1)[1])
    tokens = await login_all(base, [EMAIL.format(n=n) for n in chosen])
    viewers = []
    for n, token in zip(chosen, tokens, strict=True):
        if args.endpoint == "following":
            subject = user_ids[n]
        elif args.endpoint == "hashtag":
            subject = f"tag{n % max(args.tags, 1)}"
        else:
            subject = user_ids[(n * 7919) % args.users]
        viewers.append(Viewer(user_ids[n], subject, token))
        checker.subjects[user_ids[n]] = subject
    # Page 1 of every viewer once: the warm-up, and page 2's cursor.
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for viewer in viewers:
            r = await fetch(client, args.endpoint, viewer, 1, args.limit, checker)
            r.raise_for_status()
            body = r.json()
            viewer.cursor = body["next_cursor"]
            if body["items"]:
                last = body["items"][-1]
                viewer.after = parse_cursor_key(last["created_at"], last["id"])
    paged = [v for v in viewers if v.cursor]
    for page in (1, 2):
        chosen_viewers = viewers if page == 1 else paged
        result, meter, database, rss = await phase(
            f"page {page}, one client",
            base, port, args.endpoint, chosen_viewers, page, args.limit,
            1, None, args.single, checker, dbname, args.client == "lean",
        )  # fmt: skip
        lines += report(result, meter, database, rss)
    for page in (1, 2):
        chosen_viewers = viewers if page == 1 else paged
        result, meter, database, rss = await phase(
            f"page {page}, {args.concurrency} clients",
            base, port, args.endpoint, chosen_viewers, page, args.limit,
            args.concurrency, args.seconds, None, checker, dbname, args.client == "lean",
        )  # fmt: skip
        lines += report(result, meter, database, rss)
        lines.append(f"    slowest: {result.slowest()}")
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        problems = await checker.verify(conn, args.endpoint, args.limit)
    finally:
        await conn.close()
    for line in lines:
        print(line)
    verdict = "all match" if not problems else f"{len(problems)} MISMATCHES"
    print(
        f"pages checked against the independent SQL: {checker.served} served, "
        f"{len(checker.first)} distinct, {verdict}"
    )
    for problem in problems[:10]:
        print(f"    {problem}")
    return 1 if problems else 0


async def drop_home_timelines(redis_url: str) -> int:
    """The dataset is loaded by COPY, which emits no events: home timelines an earlier run
    built (another dataset, the same user ids) would be served as they are. Start cold."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter("hypehere:home:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start : start + 1000])
        return len(keys)
    finally:
        await client.aclose()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench timeline", description=__doc__)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--follows", type=int, default=50)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--tags", type=int, default=200, help="hashtag pool size")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--database", help="database name (default: from the size)")
    parser.add_argument("--rebuild", action="store_true", help="load the dataset again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--endpoint", choices=("following", "hashtag", "user"), default="following")
    parser.add_argument("--logins", type=int, default=500)
    parser.add_argument("--single", type=int, default=300, help="one client's requests per page")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--pool-size", type=int, default=25)
    parser.add_argument(
        "--read-pool-size",
        type=int,
        help="HYPEHERE_DATABASE_READ_POOL_SIZE for the server (default: the server's default)",
    )
    parser.add_argument(
        "--client",
        choices=("lean", "httpx"),
        default="lean",
        help="the load generator's HTTP client (httpx: as measured before session 11)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the server (repeatable), e.g. HYPEHERE_HOME_TIMELINE=redis",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    base = os.environ.get("HYPEHERE_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        print("set HYPEHERE_DATABASE_URL to a PostgreSQL server URL (see --help)")
        return 2
    url = database_url(base, args.users, args.posts, args.database)
    params = (
        f"users={args.users} follows={args.follows} posts={args.posts} days={args.days:g} "
        f"tags={args.tags} seed={args.seed} hash=fast"
    )
    dataset_args = {
        "users": args.users,
        "follows": args.follows,
        "posts": args.posts,
        "days": args.days,
        "tags": args.tags,
        "seed": args.seed,
    }
    print(asyncio.run(build(url, params, dataset_args, args.rebuild)), flush=True)
    if args.build_only:
        return 0
    redis = os.environ.get("HYPEHERE_REDIS_URL")
    if redis:
        dropped = asyncio.run(drop_home_timelines(redis))
        print(f"dropped {dropped} home-timeline keys left in Redis by an earlier run")
    load_before = os.getloadavg()[0]
    speed = box_speed()
    env = {
        "HYPEHERE_DATABASE_URL": url,
        "HYPEHERE_DATABASE_POOL_SIZE": str(args.pool_size),
        **(
            {"HYPEHERE_DATABASE_READ_POOL_SIZE": str(args.read_pool_size)}
            if args.read_pool_size
            else {}
        ),
        "HYPEHERE_PASSWORD_HASH_PROFILE": "fast",
        **dict(item.split("=", 1) for item in args.env),
    }
    with serve(env) as base:
        code = asyncio.run(run(args, url, base))
    print(f"machine: {machine()}, load avg {load_before:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"{speed}; after the run: {box_speed()}")
    print(
        f"setup: PostgreSQL, {'Redis' if redis else 'no Redis'}, one server process, "
        f"pool {args.pool_size}, read pool {args.read_pool_size or 'the default'}, "
        f"endpoint {args.endpoint}, limit {args.limit}, "
        f"{args.client} client, "
        f"{args.logins} users logged in"
    )
    return code
