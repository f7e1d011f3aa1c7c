"""Domain events: facts in the past tense, recorded by aggregates and written to the outbox.

An event class is also the typed payload contract between its producer and every consumer:
the outbox stores `payload()` as JSON and a consumer reads it back as the same class
(`OutboxMessage.event`, `application/common/subscriptions.py`). Stored events outlive a
deploy, so a field is added with a default, and never renamed or removed while events
that carry it may still be undelivered."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar

from hypehere.domain.shared.ids import new_id


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Base event. `topic` names the event for the outbox and subscribers."""

    topic: ClassVar[str] = "event"
    occurred_at: datetime
    event_id: str = field(default_factory=new_id)

    def payload(self) -> dict[str, Any]:
        """The event's fields except id/time, JSON-friendly (datetimes as ISO strings)."""
        out: dict[str, Any] = {}
        for item in fields(self):  # not __dataclass_fields__: that also lists ClassVars
            name = item.name
            if name in ("event_id", "occurred_at"):
                continue
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out
