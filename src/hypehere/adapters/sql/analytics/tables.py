"""`analytics_daily`: one row per UTC day, written by the `analytics-rollup` job. A prefixed
table (not a PostgreSQL schema), so SQLite and PostgreSQL share one migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, Integer
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import UtcDateTime


class DailyStatsRow(SQLModel, table=True):
    __tablename__ = "analytics_daily"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    visitors: int = Field(sa_column=Column(Integer, nullable=False))
    active_users: int = Field(sa_column=Column(Integer, nullable=False))
    new_users: int = Field(sa_column=Column(Integer, nullable=False))
    posts: int = Field(sa_column=Column(Integer, nullable=False))
    comments: int = Field(sa_column=Column(Integer, nullable=False))
    messages: int = Field(sa_column=Column(Integer, nullable=False))
    matches: int = Field(sa_column=Column(Integer, nullable=False))
    computed_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
