"""Who may read analytics: the `analyst` role and staff."""

from __future__ import annotations

from hypehere.application.common.actor import Actor, Role
from hypehere.domain.shared.errors import StaffOnlyError


def require_analytics_reader(actor: Actor) -> None:
    if actor.role is not Role.ANALYST and not actor.is_staff:
        raise StaffOnlyError("Only analysts and staff can read analytics")
