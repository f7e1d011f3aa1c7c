"""The learning use cases over in-memory fakes, loaded with the fixture curriculum."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypehere.adapters.memory.learning import InMemoryCurriculum, InMemoryLearners, InMemoryProgress
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

    def __post_init__(self) -> None:
        self.progress = InMemoryProgress(self.curriculum)

    def learner(self, user_id: str, native: str, *targets: str) -> None:
        self.learners.put(
            Learner(user_id=user_id, native_language=native, target_languages=targets)
        )


async def world() -> World:
    w = World(categories=load_curriculum(FIXTURE_CURRICULUM))
    await w.curriculum.upsert(w.categories)
    return w
