"""outbox: partial index of the events still due (the dispatcher's claim query)

The claim (`delivered_at IS NULL AND dead_at IS NULL ORDER BY available_at, id LIMIT n FOR
UPDATE SKIP LOCKED`) walked every index entry with a NULL `delivered_at` in the old
(delivered_at, available_at) index, including the entries of delivered events that vacuum
had not yet removed: under chat load that is tens of milliseconds per poll. The partial
index holds only pending events, in claim order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("delivered_at IS NULL AND dead_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_events_due",
            ["available_at", "id"],
            unique=False,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )
        batch_op.drop_index("ix_outbox_events_pending")


def downgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_events_pending", ["delivered_at", "available_at"], unique=False
        )
        batch_op.drop_index("ix_outbox_events_due")
