"""purge-deleted-accounts (daily): remove accounts 30 days after their deletion request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dishka import AsyncContainer

from hypehere.application.users.purge_deleted_accounts import (
    PurgeDeletedAccounts,
    PurgeDeletedAccountsCommand,
)


async def run(container: AsyncContainer, payload: Mapping[str, Any]) -> None:
    async with container() as request:
        use_case = await request.get(PurgeDeletedAccounts)
        await use_case.execute(PurgeDeletedAccountsCommand())
