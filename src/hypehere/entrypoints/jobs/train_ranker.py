"""train-ranker (daily): train a new ranker model; it serves (servers pick it up without a
restart) only if it passes the promotion gate, else it is kept as a rejected candidate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.feed.train_ranker import TrainRanker, TrainRankerCommand


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(TrainRanker)
        await use_case.execute(TrainRankerCommand(source=str(payload.get("source", "auto"))))
