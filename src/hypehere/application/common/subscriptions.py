"""Outbox subscriptions as one table per module: typed event -> command -> use case.

A module that reacts to events lists what it does in `application/<module>/handlers.py`,
one row per (event, use case); `bootstrap/outbox_routes.py` turns each row into a route:

    SUBSCRIPTIONS = (
        Subscription(
            "notifications.follow",  # handler name: keys the idempotency ledger, keep it
            UserFollowed,  # the event; `UserFollowed.topic` is the outbox topic
            NotifyFollow,  # the use case, built by the container per delivery
            lambda e: NotifyFollowCommand(e.event_id, e.follower_id, e.followee_id),
        ),
    )

The event payload types are the producers' domain events (`domain/<module>/events.py`),
not a second set of Structs: the producer writes one with `OutboxWriter.add`, the stored
JSON is its `DomainEvent.payload()`, and the row reads it back as the same class with
`OutboxMessage.event`, so neither side builds or reads a dict, and a field renamed on one
side fails type checking on the other. They are dataclasses, not msgspec Structs, because
the domain imports no third-party package; msgspec decodes dataclasses all the same. A
shared `application/common/events.py` would have needed a copy of every event kept in sync
with the domain's (the producers, the users module included, already write those).

The dispatcher resolves handlers from the container by class, so each row gets a handler
class of its own (`Subscription.handler_type`): a `SubscriptionHandler[UseCaseType]`,
whose constructor takes the row's use case (the container injects it from the generic
parameter). A row with `batch=True` also handles a run of its topic's events in one
transaction through the use case's `execute_many`; `dedups_by_event=True` says the use
case's effect is keyed by the event id (see `OutboxHandler`).
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from hypehere.application.common.outbox import OutboxHandler, OutboxMessage
from hypehere.domain.shared.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)
C = TypeVar("C")
C_contra = TypeVar("C_contra", contravariant=True)


class UseCase(Protocol[C_contra]):
    async def execute(self, cmd: C_contra, /) -> object: ...


class BatchUseCase(UseCase[C_contra], Protocol[C_contra]):
    async def execute_many(self, cmds: Sequence[C_contra], /) -> object: ...


@dataclass(frozen=True, slots=True)
class Subscription(Generic[E, C]):
    """When `event` is in the outbox, run `use_case` with `command(event)` (None: nothing
    to do for this event)."""

    handler_name: str
    event: type[E]
    use_case: type[UseCase[C]]
    command: Callable[[E], C | None]
    _: KW_ONLY
    batch: bool = False
    dedups_by_event: bool = False
    handler_type: type[OutboxHandler] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "handler_type", _handler_type(self))

    @property
    def topic(self) -> str:
        return self.event.topic

    def command_for(self, message: OutboxMessage) -> C | None:
        return self.command(message.event(self.event))

    def handler(self, use_case: UseCase[C]) -> OutboxHandler:
        """The row's handler around `use_case` (what the container builds; for tests)."""
        return cast(Callable[[UseCase[C]], OutboxHandler], self.handler_type)(use_case)


U = TypeVar("U", bound=UseCase[Any])
B = TypeVar("B", bound=BatchUseCase[Any])


class SubscriptionHandler(Generic[U]):
    """The outbox handler of one `Subscription` row (a generated subclass per row)."""

    subscription: ClassVar[Subscription[Any, Any]]
    dedups_by_event: ClassVar[bool] = False

    def __init__(self, use_case: U) -> None:
        self._use_case = use_case

    async def handle(self, message: OutboxMessage) -> None:
        command = self.subscription.command_for(message)
        if command is not None:
            await self._use_case.execute(command)


class BatchSubscriptionHandler(SubscriptionHandler[B]):
    """Also takes a run of consecutive events of its topic, in one transaction."""

    async def handle_batch(self, messages: Sequence[OutboxMessage]) -> None:
        commands = [self.subscription.command_for(message) for message in messages]
        todo = [command for command in commands if command is not None]
        if todo:
            await self._use_case.execute_many(todo)


def _handler_type(row: Subscription[Any, Any]) -> type[OutboxHandler]:
    if row.batch and not callable(getattr(row.use_case, "execute_many", None)):
        raise TypeError(f"{row.use_case.__name__} has no execute_many for a batch row")
    base = BatchSubscriptionHandler if row.batch else SubscriptionHandler
    name = f"{row.use_case.__name__}On{row.event.__name__}"
    namespace = {
        "__doc__": f"`{row.topic}` -> {row.use_case.__name__} (`{row.handler_name}`).",
        "__module__": __name__,
        "__qualname__": name,
        "subscription": row,
        "dedups_by_event": row.dedups_by_event,
    }
    handler = types.new_class(name, (base[row.use_case],), {}, lambda ns: ns.update(namespace))
    return cast(type[OutboxHandler], handler)
