"""In-memory wiring of the users use cases (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hypehere.adapters.memory.broker import InMemoryBroker
from hypehere.adapters.memory.clock import FixedClock
from hypehere.adapters.memory.outbox import InMemoryOutbox
from hypehere.adapters.memory.uow import InMemoryUnitOfWork
from hypehere.adapters.memory.users import (
    FakeAccessTokenCodec,
    InMemoryAccountStatusReader,
    InMemoryRefreshTokenRepository,
    InMemorySocialGraph,
    InMemoryUserReader,
    InMemoryUserRepository,
    InMemoryUserStore,
    PlainPasswordHasher,
    SimpleEmailValidator,
)
from hypehere.application.common.actor import Actor
from hypehere.application.common.session_control import SessionControl
from hypehere.application.users.register_user import (
    RegisterUser,
    RegisterUserCommand,
    TargetLanguageInput,
)
from hypehere.application.users.sessions import SessionIssuer, TokenPolicy
from hypehere.application.users.views import SessionResult

PASSWORD = "correct horse battery"


@dataclass
class Kit:
    store: InMemoryUserStore
    uow: InMemoryUnitOfWork
    users: InMemoryUserRepository
    graph: InMemorySocialGraph
    tokens: InMemoryRefreshTokenRepository
    reader: InMemoryUserReader
    status: InMemoryAccountStatusReader
    outbox: InMemoryOutbox
    hasher: PlainPasswordHasher
    emails: SimpleEmailValidator
    codec: FakeAccessTokenCodec
    sessions: SessionIssuer
    clock: FixedClock
    broker: InMemoryBroker
    control: SessionControl
    _n: int = 0

    def build(self, use_case: type[Any]) -> Any:
        """Construct a use case, matching constructor parameter names to the kit's parts."""
        import inspect

        names = {
            "uow": self.uow,
            "users": self.users,
            "graph": self.graph,
            "tokens": self.tokens,
            "reader": self.reader,
            "accounts": self.status,
            "outbox": self.outbox,
            "hasher": self.hasher,
            "emails": self.emails,
            "codec": self.codec,
            "sessions": self.sessions,
            "control": self.control,
            "clock": self.clock,
        }
        params = inspect.signature(use_case.__init__).parameters
        kwargs = {name: names[name] for name in params if name != "self" and name in names}
        if "register" in params:
            kwargs["register"] = self.build(RegisterUser)
        return use_case(**kwargs)

    async def register(self, **overrides: Any) -> SessionResult:
        self._n += 1
        values: dict[str, Any] = {
            "email": f"user{self._n}@example.com",
            "password": PASSWORD,
            "nickname": f"User {self._n}",
            "native_language": "ko",
            "target_languages": (TargetLanguageInput("en", "B1"),),
        }
        values.update(overrides)
        return await self.build(RegisterUser).execute(RegisterUserCommand(**values))

    async def actor(self, **overrides: Any) -> Actor:
        result = await self.register(**overrides)
        return Actor(user_id=result.user.id)


@pytest.fixture
def kit() -> Kit:
    store = InMemoryUserStore()
    tokens = InMemoryRefreshTokenRepository(store)
    codec = FakeAccessTokenCodec()
    broker = InMemoryBroker()
    return Kit(
        store=store,
        uow=InMemoryUnitOfWork(),
        users=InMemoryUserRepository(store),
        graph=InMemorySocialGraph(store),
        tokens=tokens,
        reader=InMemoryUserReader(store),
        status=InMemoryAccountStatusReader(store),
        outbox=InMemoryOutbox(),
        hasher=PlainPasswordHasher(),
        emails=SimpleEmailValidator(),
        codec=codec,
        sessions=SessionIssuer(tokens, codec, TokenPolicy()),
        clock=FixedClock(),
        broker=broker,
        control=SessionControl(broker),
    )
