"""The learning use cases over in-memory fakes, loaded with the fixture curriculum."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from hypehere.adapters.fsrs.scheduler import FsrsScheduler
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.learning import (
    InMemoryActivity,
    InMemoryCurriculum,
    InMemoryLearners,
    InMemoryProgress,
    InMemoryReviewCards,
)
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.adapters.yaml.curriculum import load_curriculum
from hypehere.application.learning.ports import Learner
from hypehere.domain.learning.model import Category
from tests.fixtures.curriculum import FIXTURE_CURRICULUM


@dataclass
class World:
    curriculum: InMemoryCurriculum = field(default_factory=InMemoryCurriculum)
    learners: InMemoryLearners = field(default_factory=InMemoryLearners)
    progress: InMemoryProgress = field(init=False)
    categories: list[Category] = field(default_factory=list)
    activity: InMemoryActivity = field(default_factory=InMemoryActivity)
    cards: InMemoryReviewCards = field(default_factory=InMemoryReviewCards)
    uow: InMemoryUnitOfWork = field(default_factory=InMemoryUnitOfWork)
    clock: FixedClock = field(
        default_factory=lambda: FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    )
    scheduler: FsrsScheduler = field(default_factory=FsrsScheduler)
    outbox: InMemoryOutbox = field(default_factory=InMemoryOutbox)

    def __post_init__(self) -> None:
        self.progress = InMemoryProgress(self.curriculum)

    def learner(
        self,
        user_id: str,
        native: str,
        *targets: str,
        timezone: str = "UTC",
        retention: float = 0.9,
    ) -> None:
        self.learners.put(
            Learner(
                user_id=user_id,
                native_language=native,
                target_languages=targets,
                timezone=timezone,
                desired_retention=retention,
            )
        )


async def world() -> World:
    w = World(categories=load_curriculum(FIXTURE_CURRICULUM))
    await w.curriculum.upsert(w.categories)
    return w
