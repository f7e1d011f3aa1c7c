"""anonymous-cleanup (every minute): end the anonymous conversations started longer than
HYPEHERE_ANONYMOUS_ABANDONED_MINUTES ago that nobody still in them is connected to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.matching.end_conversations import (
    EndAbandonedConversations,
    EndAbandonedConversationsCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(EndAbandonedConversations)
        await use_case.execute(EndAbandonedConversationsCommand())
