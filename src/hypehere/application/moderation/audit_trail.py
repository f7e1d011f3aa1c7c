"""Appends one audit entry for a staff action, inside the caller's open transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypehere.application.common.actor import Actor
from hypehere.application.moderation.audit_ports import AuditLog
from hypehere.domain.moderation.audit import AuditEntry, AuditTarget
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.ids import new_id
from hypehere.domain.shared.pagination import InvalidCursorError


async def record(
    log: AuditLog,
    actor: Actor,
    action: str,
    target_type: AuditTarget,
    target_id: str,
    at: datetime,
    *,
    reason: str | None = None,
    detail: str | None = None,
) -> None:
    await log.append(
        AuditEntry(
            id=new_id(),
            actor_id=actor.user_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            detail=detail,
            created_at=at,
        )
    )


def audit_sort_key(entry: AuditEntry) -> tuple[Any, ...]:
    return (entry.created_at.isoformat(), entry.id)


def parse_time_cursor(key: tuple[Any, ...] | None) -> tuple[datetime, str] | None:
    """The (ISO time, id) cursor of the audit log, the specs, the scan queue and the appeals:
    400 `invalid_cursor` unless both parts are strings and the time has a zone."""
    if key is None:
        return None
    try:
        created, entry_id = key
        if not isinstance(created, str) or not isinstance(entry_id, str):
            raise TypeError(key)
        at = datetime.fromisoformat(created)
        if at.tzinfo is None:
            raise ValueError(created)
    except (TypeError, ValueError) as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    return at, entry_id


def clean_filter(value: str | None, field: str) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > 64:
        raise InvalidInputError(f"{field} is too long", field=field)
    return value.strip()
