"""Shared SQL pieces of the notifications module: its table handles, the actor columns,
chunked IN lists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table

from hypehere.adapters.sql.notifications.tables import (
    NotificationCounterRow,
    NotificationGroupActorRow,
    NotificationRow,
    NotificationSettingsRow,
)
from hypehere.domain.notifications.model import MAX_ACTORS

notifications_t: Table = NotificationRow.__table__  # type: ignore[attr-defined]
group_actors_t: Table = NotificationGroupActorRow.__table__  # type: ignore[attr-defined]
settings_t: Table = NotificationSettingsRow.__table__  # type: ignore[attr-defined]
counters_t: Table = NotificationCounterRow.__table__  # type: ignore[attr-defined]

ACTOR_COLUMNS = ("actor_1_id", "actor_2_id", "actor_3_id")
assert len(ACTOR_COLUMNS) == MAX_ACTORS
IN_CHUNK = 500  # ids per IN (...) list


def chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = list(dict.fromkeys(ids))
    return [unique[i : i + IN_CHUNK] for i in range(0, len(unique), IN_CHUNK)]
