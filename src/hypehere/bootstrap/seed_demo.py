"""`hypehere seed-demo`: wires the demo seed (`adapters/sql/demo/`) to the settings, the
password hasher and the trending refresh that follows the load.

Every demo user has the password `--password` and the email `demo<N>@example.com`, so
benchmarks can log in as them."""

from __future__ import annotations

import dataclasses
import time

from hypehere.adapters.sql.demo.community import DEFAULT_PASSWORD
from hypehere.adapters.sql.demo.seed import SeedReport, load_demo_community
from hypehere.application.feed.refresh_trending_hashtags import (
    RefreshTrendingHashtags,
    RefreshTrendingHashtagsCommand,
)
from hypehere.bootstrap.container import make_container
from hypehere.bootstrap.providers.users import password_hasher_for
from hypehere.bootstrap.settings import Settings

__all__ = ["DEFAULT_PASSWORD", "SeedReport", "seed_demo"]


async def seed_demo(
    settings: Settings, users: int, posts: int, *, seed: int = 42, password: str = DEFAULT_PASSWORD
) -> SeedReport:
    started = time.perf_counter()
    report = await load_demo_community(
        settings.effective_database_url,
        users,
        posts,
        seed=seed,
        password_hash=lambda: password_hasher_for(settings).hash(password),
    )
    container = make_container(settings.model_copy(update={"process_role": "jobs"}), web=False)
    try:
        async with container() as request:
            refresh = await request.get(RefreshTrendingHashtags)
            await refresh.execute(RefreshTrendingHashtagsCommand())
    finally:
        await container.close()
    return dataclasses.replace(report, seconds=round(time.perf_counter() - started, 1))
