"""What the strike and appeal use cases return."""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.domain.moderation.strikes import Appeal, Strike


class AppealView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    text: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    note: str | None

    @classmethod
    def of(cls, appeal: Appeal) -> AppealView:
        return cls(
            id=appeal.id,
            text=appeal.text,
            status=appeal.status.value,
            created_at=appeal.created_at,
            decided_at=appeal.decided_at,
            note=appeal.note,
        )


class StrikeView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    user_id: str
    action: str
    reason: str
    excerpt: str | None
    issued_by: str
    created_at: datetime
    appeal_deadline: datetime
    content_type: str | None
    content_id: str | None
    report_id: str | None
    appeal: AppealView | None
    appeal_decided_by: str | None

    @classmethod
    def of(cls, strike: Strike) -> StrikeView:
        return cls(
            id=strike.id,
            user_id=strike.user_id,
            action=strike.action.value,
            reason=strike.reason,
            excerpt=strike.excerpt,
            issued_by=strike.issued_by,
            created_at=strike.created_at,
            appeal_deadline=strike.appeal_deadline(),
            content_type=strike.content_type,
            content_id=strike.content_id,
            report_id=strike.report_id,
            appeal=AppealView.of(strike.appeal) if strike.appeal else None,
            appeal_decided_by=strike.appeal.decided_by if strike.appeal else None,
        )


class StrikePageView(msgspec.Struct, frozen=True):
    items: list[StrikeView]
    next_cursor: str | None
