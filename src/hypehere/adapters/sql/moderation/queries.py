"""The moderation module's published read-only queries: what other modules' SQL may compose
(the staff dashboard counts open reports). See `users/queries.py` for what a read handle is."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table

from hypehere.adapters.sql.moderation.tables import ReportRow
from hypehere.adapters.sql.read_handle import read_handle
from hypehere.domain.moderation.model import OPEN_STATUSES

public_reports: Table = read_handle(
    ReportRow.__table__,  # type: ignore[attr-defined]
    ("id", "status", "created_at"),
)
"""`moderation_reports`: id, status, created_at (never who reported whom)."""


def report_is_open() -> ColumnElement[bool]:
    """A report still waiting for a decision (pending or under review)."""
    return public_reports.c.status.in_(sorted(OPEN_STATUSES))
