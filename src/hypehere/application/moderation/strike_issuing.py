"""Gives a user a strike, inside the caller's open transaction, and stages `StrikeIssued`
(the user's `moderation` notification) in the same transaction."""

from __future__ import annotations

from datetime import datetime

from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.moderation.strike_ports import StrikeRepository
from hypehere.domain.moderation.events import StrikeIssued
from hypehere.domain.moderation.strikes import Strike, StrikeAction
from hypehere.domain.shared.ids import new_id

DIRECT_REASON = "other"  # a staff action outside a report carries no reason category


async def issue_strike(
    strikes: StrikeRepository,
    outbox: OutboxWriter,
    *,
    user_id: str,
    action: StrikeAction,
    issued_by: str,
    at: datetime,
    reason: str = DIRECT_REASON,
    excerpt: str | None = None,
    content_type: str | None = None,
    content_id: str | None = None,
    report_id: str | None = None,
) -> Strike:
    strike = Strike(
        id=new_id(),
        user_id=user_id,
        action=action,
        reason=reason,
        excerpt=excerpt,
        issued_by=issued_by,
        created_at=at,
        content_type=content_type,
        content_id=content_id,
        report_id=report_id,
    )
    await strikes.add(strike)
    await outbox.add(
        StrikeIssued(
            occurred_at=at,
            strike_id=strike.id,
            user_id=user_id,
            action=action.value,
            content_type=content_type,
        )
    )
    return strike
