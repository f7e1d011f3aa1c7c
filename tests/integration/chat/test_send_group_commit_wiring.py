"""The container's group commit for sends on PostgreSQL: more concurrent senders than the
request pool has connections all get stored, in one order, with their events staged (the
writer has a connection of its own; drawing from the request pool, it would wait for
senders that hold every connection while they wait for it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.chat.pg_writer import PgMessageWriter
from hypehere.application.chat.ports import ConversationRepository
from hypehere.application.chat.send_message import SendMessage, SendMessageCommand
from hypehere.application.common.actor import Actor
from hypehere.application.common.uow import UnitOfWork
from hypehere.bootstrap.container import make_container
from hypehere.domain.chat.model import Conversation, Folder
from tests.conftest import test_settings as make_settings
from tests.conftest import truncate_all

pytestmark = pytest.mark.integration

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


async def test_senders_holding_every_pool_connection_still_get_stored(
    tmp_path: Path, postgres_url: str
) -> None:
    await truncate_all(postgres_url)
    # 1 + 1 overflow connections for requests: 12 concurrent senders hold both while they wait
    settings = make_settings(tmp_path, database_url=postgres_url, database_pool_size=1)
    container = make_container(settings, web=False)
    try:
        async with container() as scope:
            session = await scope.get(AsyncSession)
            for user in ("u-alice", "u-bob"):
                await session.execute(
                    text(
                        "INSERT INTO users (id, email, handle, nickname, bio, native_language,"
                        " interface_language, password_hash, role, state, show_followers_list,"
                        " show_following_list, chat_policy, send_read_receipts,"
                        " follower_count, following_count, post_count, report_count,"
                        " created_at, updated_at) VALUES (:id, :email, :id, :id, '', 'ko',"
                        " 'ko', 'x', 'member', 'active', 'everyone', 'everyone', 'everyone',"
                        " true, 0, 0, 0, 0, :now, :now)"
                    ),
                    {"id": user, "email": f"{user}@example.com", "now": NOW},
                )
            uow = await scope.get(UnitOfWork)
            conversations = await scope.get(ConversationRepository)
            async with uow:
                conversation = await conversations.add(
                    Conversation.open_direct("u-alice", "u-bob", Folder.INBOX, NOW)
                )

        async def send(i: int) -> int:
            async with container() as request:
                use_case = await request.get(SendMessage)
                sender = ("u-alice", "u-bob")[i % 2]
                result = await use_case.execute(
                    SendMessageCommand(
                        actor=Actor(user_id=sender),
                        conversation_id=conversation.id,
                        content=f"hello {i}",
                        client_id=f"c-{i}",
                    )
                )
                assert not result.duplicate
                return i

        assert sorted(await asyncio.gather(*(send(i) for i in range(12)))) == list(range(12))

        writer = await container.get(PgMessageWriter)
        assert writer.stats.messages == 12
        async with container() as scope:
            session = await scope.get(AsyncSession)
            seqs = (
                await session.execute(
                    text("SELECT seq FROM messages WHERE conversation_id = :c ORDER BY seq"),
                    {"c": conversation.id},
                )
            ).scalars()
            assert list(seqs) == list(range(1, 13))
            staged = await session.scalar(text("SELECT count(*) FROM outbox_events"))
            assert staged == 12
    finally:
        await container.close()
