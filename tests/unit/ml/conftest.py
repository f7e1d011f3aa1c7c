"""One small synthetic world shared by the ml tests (generating it is the slow part)."""

from __future__ import annotations

import pytest

from ml.synthetic import SyntheticConfig, SyntheticDataset, generate

SMALL = SyntheticConfig(users=300, posts=3000, sessions=800, candidates_per_session=30, seed=11)


@pytest.fixture(scope="session")
def small_data() -> SyntheticDataset:
    return generate(SMALL)
