"""In-memory wiring of the moderation use cases: the users module's fakes implement the
moderation ports (as the SQL adapters do in production); the users kit registers accounts."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

import pytest

from hypehere.adapters.memory.users import InMemoryUserCounters
from hypehere.application.moderation.account_action import AccountAction
from tests.unit.users.conftest import Kit
from tests.unit.users.conftest import kit as kit  # the users kit, re-exported as a fixture


@dataclass
class ModerationKit:
    users: Kit
    reports: InMemoryUserCounters

    def build(self, use_case: type[Any]) -> Any:
        """Construct a use case, matching constructor parameter names to the ports."""
        names = {
            "uow": self.users.uow,
            "accounts": self.users.users,
            "sessions": self.users.tokens,
            "reports": self.reports,
            "outbox": self.users.outbox,
            "control": self.users.control,
            "clock": self.users.clock,
        }
        params = inspect.signature(use_case.__init__).parameters
        kwargs = {name: names[name] for name in params if name in names}
        if "action" in params:
            kwargs["action"] = self.build(AccountAction)
        return use_case(**kwargs)


@pytest.fixture
def mod(kit: Kit) -> ModerationKit:
    return ModerationKit(users=kit, reports=InMemoryUserCounters(kit.store))
