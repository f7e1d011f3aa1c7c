"""One contract for the AnonymousConversations port, run against the in-memory store,
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from hypehere.adapters.memory.matching import InMemoryAnonymousConversations
from hypehere.adapters.sql.engine import create_engine, create_session_factory
from hypehere.adapters.sql.matching.conversations import SqlAnonymousConversations
from hypehere.application.matching.ports import AnonymousConversations
from hypehere.domain.matching.conversation import AnonymousConversation, RevealOutcome
from hypehere.domain.matching.model import ChatMode, LearnedLanguage, QueueEntry
from hypehere.domain.matching.policy import Fit, Pair
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.languages import CefrLevel
from tests.conftest import truncate_all
from tests.contract.chat.test_chat_storage_contract import _seed_users

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def opened(first: str, second: str, *, at: datetime = NOW) -> AnonymousConversation:
    a = QueueEntry(first, "ko", (LearnedLanguage("en", CefrLevel.B1),), ChatMode.VIDEO, at)
    b = QueueEntry(
        second,
        "en",
        (LearnedLanguage("ko", CefrLevel.A2), LearnedLanguage("ja", CefrLevel.A1)),
        ChatMode.VIDEO,
        at,
    )
    return AnonymousConversation.open(new_id(), Pair(a, b, Fit.COMPLEMENTARY), at)


class AnonymousConversationsContract:
    @pytest.fixture
    async def store(self) -> AsyncIterator[AnonymousConversations]:
        raise NotImplementedError
        yield

    async def test_round_trip(self, store: AnonymousConversations) -> None:
        conversation = opened("u-alice", "u-bob")
        await store.add(conversation)
        loaded = await store.get(conversation.id)
        assert loaded == conversation
        assert loaded is not None
        assert loaded.partner_of("u-alice").target_languages == (
            LearnedLanguage("ko", CefrLevel.A2),
            LearnedLanguage("ja", CefrLevel.A1),
        )
        assert await store.get(new_id()) is None

    async def test_save_keeps_leaves_reveals_and_the_end(
        self, store: AnonymousConversations
    ) -> None:
        conversation = opened("u-alice", "u-bob")
        await store.add(conversation)
        assert conversation.accept_reveal("u-alice", NOW) is RevealOutcome.REQUESTED
        conversation.leave("u-bob", NOW + timedelta(minutes=1))
        await store.save(conversation)
        assert await store.get(conversation.id) == conversation
        assert conversation.accept_reveal("u-bob", NOW) is RevealOutcome.REVEALED
        conversation.leave("u-alice", NOW + timedelta(minutes=2))
        assert conversation.ended
        await store.save(conversation)
        assert await store.get(conversation.id) == conversation

    async def test_record_reply_marks_the_participant_once(
        self, store: AnonymousConversations
    ) -> None:
        conversation = opened("u-alice", "u-bob")
        await store.add(conversation)
        await store.record_reply(conversation.id, "u-bob")
        await store.record_reply(conversation.id, "u-bob")
        await store.record_reply(conversation.id, "u-carol")  # not a participant: nothing
        await store.record_reply(new_id(), "u-bob")  # no such conversation: nothing
        loaded = await store.get(conversation.id)
        assert loaded is not None
        assert loaded.participant("u-bob").replied
        assert not loaded.participant("u-alice").replied

    async def test_open_for_finds_only_unfinished_conversations(
        self, store: AnonymousConversations
    ) -> None:
        conversation = opened("u-alice", "u-bob")
        await store.add(conversation)
        found = await store.open_for("u-bob")
        assert found is not None and found.id == conversation.id
        assert await store.open_for("u-carol") is None
        conversation.end(NOW)
        await store.save(conversation)
        assert await store.open_for("u-alice") is None

    async def test_ended_for_lists_my_ended_conversations_since(
        self, store: AnonymousConversations
    ) -> None:
        old = opened("u-alice", "u-bob", at=NOW - timedelta(days=100))
        recent = opened("u-alice", "u-carol", at=NOW - timedelta(days=1))
        recent.record_message("u-alice")
        still_open = opened("u-alice", "u-dave", at=NOW)
        for conversation in (old, recent):
            conversation.end(conversation.started_at + timedelta(minutes=5))
        for conversation in (old, recent, still_open):
            await store.add(conversation)
        found = await store.ended_for("u-alice", NOW - timedelta(days=90))
        assert [c.id for c in found] == [recent.id]
        assert found[0].participant("u-alice").replied
        assert await store.ended_for("u-dave", NOW - timedelta(days=90)) == []

    async def test_open_started_before_is_oldest_first_and_bounded(
        self, store: AnonymousConversations
    ) -> None:
        old = opened("u-alice", "u-bob", at=NOW - timedelta(hours=2))
        older = opened("u-carol", "u-dave", at=NOW - timedelta(hours=3))
        fresh = opened("u-alice", "u-carol", at=NOW)
        ended = opened("u-bob", "u-dave", at=NOW - timedelta(hours=4))
        ended.end(NOW - timedelta(hours=3))
        for conversation in (old, older, fresh, ended):
            await store.add(conversation)
        found = await store.open_started_before(NOW - timedelta(hours=1), 10)
        assert [c.id for c in found] == [older.id, old.id]
        assert [c.id for c in await store.open_started_before(NOW, 1)] == [older.id]


@pytest.mark.unit
class TestInMemoryAnonymousConversations(AnonymousConversationsContract):
    @pytest.fixture
    async def store(self) -> AsyncIterator[AnonymousConversations]:
        yield InMemoryAnonymousConversations()


class SqlStore:
    url_fixture = ""

    @pytest.fixture
    async def store(self, request: pytest.FixtureRequest) -> AsyncIterator[AnonymousConversations]:
        url = request.getfixturevalue(self.url_fixture)
        await truncate_all(url)
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                await _seed_users(session)
                yield SqlAnonymousConversations(session)
                await session.rollback()
        finally:
            await engine.dispose()


@pytest.mark.integration
class TestSqliteAnonymousConversations(SqlStore, AnonymousConversationsContract):
    url_fixture = "sqlite_url"


@pytest.mark.integration
class TestPostgresAnonymousConversations(SqlStore, AnonymousConversationsContract):
    url_fixture = "postgres_url"
