"""The analytics tables, all prefixed `analytics_` (not a PostgreSQL schema: migration 0018
chose prefixed tables, so SQLite and PostgreSQL share one migration; the read-only role of
`HYPEHERE_ANALYTICS_DATABASE_URL` is granted SELECT on the aggregate tables only).

- `analytics_daily`: one row per UTC day, written by the `analytics-rollup` job;
- `analytics_matching_daily` / `analytics_learning_daily`: per day and language pair;
- `analytics_trending_posts`: the day's ten most engaged-with posts (ids and counts);
- `analytics_cohorts`: one row per sign-up day, day 1/7/30 retention counts;
- `analytics_insights`: the `daily-insights` summary per day (staff only);
- `analytics_events`: the activity log (raw product events, no content), written from the
  outbox, read only by the rollup, pruned by retention-cleanup."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, Float, Index, Integer, String, Text
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
    dau: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    wau: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    mau: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    anonymous_chats: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    lessons_completed: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    reviews: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    corrections: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    reports_opened: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    reports_resolved: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    resolution_p50_seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    computed_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class MatchingDayRow(SQLModel, table=True):
    __tablename__ = "analytics_matching_daily"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    language_pair: str = Field(sa_column=Column(String(16), primary_key=True))
    matches: int = Field(sa_column=Column(Integer, nullable=False))
    wait_p50_seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    wait_p90_seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    chats_ended: int = Field(sa_column=Column(Integer, nullable=False))
    duration_p50_seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    duration_p90_seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    reveals: int = Field(sa_column=Column(Integer, nullable=False))


class LearningDayRow(SQLModel, table=True):
    __tablename__ = "analytics_learning_daily"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    language_pair: str = Field(sa_column=Column(String(16), primary_key=True))
    lessons_completed: int = Field(sa_column=Column(Integer, nullable=False))
    reviews: int = Field(sa_column=Column(Integer, nullable=False))
    corrections: int = Field(sa_column=Column(Integer, nullable=False))


class TrendingPostRow(SQLModel, table=True):
    __tablename__ = "analytics_trending_posts"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    rank: int = Field(sa_column=Column(Integer, primary_key=True))
    post_id: str = Field(sa_column=Column(String(36), nullable=False))
    likes: int = Field(sa_column=Column(Integer, nullable=False))
    comments: int = Field(sa_column=Column(Integer, nullable=False))


class CohortRow(SQLModel, table=True):
    __tablename__ = "analytics_cohorts"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    size: int = Field(sa_column=Column(Integer, nullable=False))
    day1: int | None = Field(sa_column=Column(Integer, nullable=True))
    day7: int | None = Field(sa_column=Column(Integer, nullable=True))
    day30: int | None = Field(sa_column=Column(Integer, nullable=True))


class InsightRow(SQLModel, table=True):
    __tablename__ = "analytics_insights"

    day: date = Field(sa_column=Column(Date, primary_key=True))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(sa_column=Column(String(16), nullable=False))
    model: str | None = Field(sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class ActivityEventRow(SQLModel, table=True):
    __tablename__ = "analytics_events"
    __table_args__ = (
        Index("ix_analytics_events_kind_occurred_at", "kind", "occurred_at"),
        Index("ix_analytics_events_occurred_at_user_id", "occurred_at", "user_id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))  # the outbox event id
    kind: str = Field(sa_column=Column(String(24), nullable=False))
    occurred_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    user_id: str | None = Field(sa_column=Column(String(36), nullable=True))
    language_pair: str | None = Field(sa_column=Column(String(16), nullable=True))
    seconds: float | None = Field(sa_column=Column(Float, nullable=True))
    seconds_other: float | None = Field(sa_column=Column(Float, nullable=True))
    flag: bool | None = Field(sa_column=Column(Boolean, nullable=True))
    detail: str | None = Field(sa_column=Column(String(32), nullable=True))
