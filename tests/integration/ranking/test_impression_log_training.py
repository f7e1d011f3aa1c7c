"""The feed's impression log, written by the real SQL adapter, is what `ml.train` reads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from hypehere.adapters.sql.feed.log import SqlFeedLog
from hypehere.application.feed.ports import Engagement, Impression
from hypehere.domain.feed.features import feature_vector
from ml.train import load_database
from tests.conftest import truncate_all
from tests.unit.ranking.signals import make_signals

pytestmark = pytest.mark.integration

SHOWN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


async def _write(url: str) -> None:
    await truncate_all(url)
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            log = SqlFeedLog(session)
            await log.record_impressions(
                [
                    Impression(
                        user_id="viewer",
                        post_id=f"p{n}",
                        author_id="author",
                        feed_session_id="session-1",
                        position=n,
                        score=0.5,
                        ranker="lightgbm:ranker-bundled",
                        shown_at=SHOWN,
                        signals=make_signals(post_id=f"p{n}", like_count=n).to_dict(),
                    )
                    for n in range(4)
                ]
            )
            for post_id, at in [
                ("p0", SHOWN + timedelta(minutes=5)),  # engaged after being shown: positive
                ("p1", SHOWN - timedelta(hours=1)),  # before it was shown: not from the feed
                ("p2", SHOWN + timedelta(hours=30)),  # outside the 24 h label window
            ]:
                await log.record_engagement(Engagement("viewer", post_id, "author", "like", at))
            await session.commit()
    finally:
        await engine.dispose()


def test_ml_train_reads_the_logged_impressions_and_labels_them(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    asyncio.run(_write(url))

    matrix = load_database(url)

    assert matrix.labels.tolist() == [1, 0, 0, 0]
    assert matrix.session_ids() == ["session-1"] * 4
    expected = [feature_vector(make_signals(post_id=f"p{n}", like_count=n)) for n in range(4)]
    np.testing.assert_allclose(matrix.features, np.array(expected), rtol=1e-6)

    # streamed two rows at a time, and bounded to the newest rows (the whole session at the cut)
    streamed = load_database(url, chunk_rows=2, max_rows=2)
    np.testing.assert_array_equal(streamed.features, matrix.features)
    assert streamed.labels.tolist() == [1, 0, 0, 0]
    asyncio.run(truncate_all(url))
