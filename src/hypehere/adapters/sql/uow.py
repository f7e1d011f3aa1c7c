"""SQL unit of work over one AsyncSession shared by the request's repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors


class SqlUnitOfWork:
    """Re-entrant: only the outermost `async with` commits, so a caller (the outbox
    dispatcher, a composite use case) can wrap a use case in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._depth = 0

    async def __aenter__(self) -> Self:
        self._depth += 1
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        if exc_type is None:
            await self.commit()
        else:
            await self.rollback()

    async def commit(self) -> None:
        try:
            async with translate_errors():
                await self.session.commit()
        except BaseException:
            await self.rollback()
            raise

    async def rollback(self) -> None:
        try:
            await self.session.rollback()
        except (OperationalError, DBAPIError, OSError):
            # The connection is gone; the transaction is gone with it.
            await self.session.close()
