"""The PostgreSQL chat writer under a statement that does not finish in time: its senders
are answered 503 at once (not written again one by one, each waiting a timeout), the
connection is replaced, and the sends after it go through."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hypehere.adapters.sql.chat.pg_writer import PgMessageWriter
from hypehere.adapters.sql.engine import DatabaseTimeouts, create_engine
from hypehere.application.common.errors import StorageUnavailableError
from hypehere.domain.chat.model import Conversation, Folder
from tests.contract.chat.test_send_group_commit import _pair
from tests.contract.chat.test_send_path_contract import NOW, SqlKit, SqlSendPath

pytestmark = pytest.mark.integration


class TestWriterTimeouts(SqlSendPath):
    url_fixture = "postgres_url"

    @pytest.fixture
    async def writer(self, postgres_url: str) -> AsyncIterator[PgMessageWriter]:
        engine = create_engine(
            postgres_url, pool_size=1, timeouts=DatabaseTimeouts(statement_seconds=0.3)
        )
        writer = PgMessageWriter(engine)
        yield writer
        await writer.aclose()
        await engine.dispose()

    async def test_a_timed_out_batch_answers_its_senders_503_and_replaces_the_connection(
        self, factory: async_sessionmaker[AsyncSession], writer: PgMessageWriter
    ) -> None:
        kit = SqlKit(factory)
        conversation = Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
        await kit.run(lambda repo: repo.add(conversation))
        first, first_event = _pair(conversation.id, "u-alice", "c-0", 0)
        assert await writer.append(first, first_event) == 1
        assert writer.stats.connections == 1
        async with factory() as session, session.begin():
            # Another transaction holds the conversation row: the writer's statement waits
            # on the lock past its statement_timeout, as on a stuck database.
            await session.execute(
                text("SELECT id FROM conversations WHERE id = :id FOR UPDATE"),
                {"id": conversation.id},
            )
            pairs = [_pair(conversation.id, "u-alice", f"c-{i}", i) for i in range(1, 4)]
            results = await asyncio.gather(
                *(writer.append(m, e) for m, e in pairs), return_exceptions=True
            )
        assert all(isinstance(r, StorageUnavailableError) for r in results), results
        assert writer.stats.timeouts >= 1
        # The lock is gone: the next send goes through, on a new connection.
        last, last_event = _pair(conversation.id, "u-bob", "c-9", 9)
        assert await writer.append(last, last_event) == 2
        assert writer.stats.connections >= 2
        async with factory() as session:
            stored = (await session.execute(text("SELECT client_id FROM messages"))).scalars()
            assert sorted(stored) == ["c-0", "c-9"]
