"""lift-suspensions (every minute): end the suspensions whose time has passed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.users.lift_suspensions import LiftSuspensions, LiftSuspensionsCommand


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(LiftSuspensions)
        await use_case.execute(LiftSuspensionsCommand())
