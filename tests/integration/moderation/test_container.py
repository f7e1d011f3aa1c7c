"""Every moderation use case resolves from the real container."""

from __future__ import annotations

from pathlib import Path

import pytest

import hypehere.application.moderation as moderation_app
from hypehere.bootstrap.container import make_container
from tests.conftest import test_settings as make_settings
from tests.integration.users.test_container import use_case_classes

pytestmark = pytest.mark.integration


async def test_every_use_case_resolves(tmp_path: Path, sqlite_url: str) -> None:
    classes = use_case_classes(moderation_app)
    assert len(classes) == 31  # + CheckHeldContent, RecheckHeldContent
    container = make_container(make_settings(tmp_path, database_url=sqlite_url), web=False)
    try:
        async with container() as request:
            for klass in classes:
                assert isinstance(await request.get(klass), klass)
    finally:
        await container.close()


@pytest.mark.parametrize(
    ("key", "expected"), [(None, "RulesClassifier"), ("sk-test", "ClaudeClassifier")]
)
async def test_settings_pick_the_classifier(
    tmp_path: Path, sqlite_url: str, key: str | None, expected: str
) -> None:
    from hypehere.application.moderation.classifier_ports import ContentClassifier

    settings = make_settings(tmp_path, database_url=sqlite_url, anthropic_api_key=key)
    container = make_container(settings, web=False)
    try:
        assert type(await container.get(ContentClassifier)).__name__ == expected
    finally:
        await container.close()
