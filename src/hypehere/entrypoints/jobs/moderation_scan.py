"""moderation-scan (every 5 minutes): check again the held content whose check never
completed (new posts, comments and messages are scanned continuously by the outbox
dispatcher's `moderation.*` handlers; this job is the safety net of the fail-closed tier)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.moderation.recheck_held_content import (
    RecheckHeldContent,
    RecheckHeldContentCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(RecheckHeldContent)
        await use_case.execute(RecheckHeldContentCommand())
