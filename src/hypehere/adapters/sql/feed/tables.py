"""Posts, comments, likes, hashtags, edit history, language spans, the impression and
engagement log (ranker training data + the per-user "seen" window) and trending.

Only the feed module writes these tables. Other modules may read `posts` (search
indexes `content`, `language`, `hashtags`, `author_id`, `created_at`, `removed_at`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from hypehere.adapters.sql.metadata import metadata as _metadata  # noqa: F401
from hypehere.adapters.sql.types import JsonDocument, UtcDateTime


def _user_fk(**kwargs: Any) -> Column[Any]:
    return Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), **kwargs)


class PostRow(SQLModel, table=True):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_created_at", "created_at"),
        Index("ix_posts_language_created_at", "language", "created_at"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    author_id: str = Field(sa_column=_user_fk(nullable=False))
    content: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(sa_column=Column(String(2), nullable=False))
    detected_language: str | None = Field(default=None, sa_column=Column(String(2)))
    language_confidence: float = Field(
        default=0.0, sa_column=Column(Float, nullable=False, server_default="0")
    )
    target_language: str | None = Field(default=None, sa_column=Column(String(2)))
    hashtags: list[str] = Field(
        default_factory=list, sa_column=Column(JsonDocument, nullable=False)
    )
    mentioned_user_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JsonDocument, nullable=False)
    )
    # [{"id", "handle"}] as written (the handle at the time), for rendering without a join.
    mentions: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JsonDocument, nullable=False)
    )
    media_urls: list[str] = Field(
        default_factory=list, sa_column=Column(JsonDocument, nullable=False)
    )
    like_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    comment_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    removed_reason: str | None = Field(default=None, sa_column=Column(String(16)))
    # visible | held (fail-closed moderation: its author only until a verdict); see
    # `queries.post_visible_to`, the one condition every read of other people's posts uses
    moderation_state: str = Field(
        default="visible",
        sa_column=Column(String(8), nullable=False, server_default="visible"),
    )


# An author's posts newest first, in page order: `/users/{id}/posts` is one range scan,
# and the following timeline probes it once per followed author (readers.py). On
# PostgreSQL it carries the columns those probes filter on, so they stay index-only.
Index(
    "ix_posts_author_id_created_at_id",
    PostRow.__table__.c.author_id,  # type: ignore[attr-defined]
    PostRow.__table__.c.created_at.desc(),  # type: ignore[attr-defined]
    PostRow.__table__.c.id.desc(),  # type: ignore[attr-defined]
    postgresql_include=["moderation_state", "removed_at"],
)


class PostEditRow(SQLModel, table=True):
    """The content a post had before each edit."""

    __tablename__ = "post_edits"
    __table_args__ = (Index("ix_post_edits_post_id_edited_at", "post_id", "edited_at"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    post_id: str = Field(
        sa_column=Column(String(36), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    )
    previous_content: str = Field(sa_column=Column(Text, nullable=False))
    edited_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class PostLanguageSpanRow(SQLModel, table=True):
    """Per-sentence languages of a post written in more than one language."""

    __tablename__ = "post_language_spans"

    post_id: str = Field(
        sa_column=Column(String(36), ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    )
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    start_index: int = Field(sa_column=Column(Integer, nullable=False))
    end_index: int = Field(sa_column=Column(Integer, nullable=False))
    language: str = Field(sa_column=Column(String(2), nullable=False))
    confidence: float = Field(default=0.0, sa_column=Column(Float, nullable=False))


class PostHashtagRow(SQLModel, table=True):
    __tablename__ = "post_hashtags"
    post_id: str = Field(
        sa_column=Column(String(36), ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(64), primary_key=True))
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


# A tag's page is one range scan of this index, newest first (the feed's reader walks it
# and stops after the page; `created_at` is the post's).
Index(
    "ix_post_hashtags_tag_created_at_post_id",
    PostHashtagRow.__table__.c.tag,  # type: ignore[attr-defined]
    PostHashtagRow.__table__.c.created_at.desc(),  # type: ignore[attr-defined]
    PostHashtagRow.__table__.c.post_id.desc(),  # type: ignore[attr-defined]
)


class CommentRow(SQLModel, table=True):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_post_id_created_at", "post_id", "created_at"),)

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    post_id: str = Field(
        sa_column=Column(String(36), ForeignKey("posts.id", ondelete="CASCADE"), nullable=False)
    )
    author_id: str = Field(sa_column=_user_fk(nullable=False))
    content: str = Field(sa_column=Column(Text, nullable=False))
    mentions: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JsonDocument, nullable=False)
    )
    like_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    removed_reason: str | None = Field(default=None, sa_column=Column(String(16)))
    # visible | held (a new account's first comments); see `queries.comment_visible_to`
    moderation_state: str = Field(
        default="visible",
        sa_column=Column(String(8), nullable=False, server_default="visible"),
    )


class PostLikeRow(SQLModel, table=True):
    __tablename__ = "post_likes"
    __table_args__ = (Index("ix_post_likes_user_id_created_at", "user_id", "created_at"),)

    post_id: str = Field(
        sa_column=Column(String(36), ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class CommentLikeRow(SQLModel, table=True):
    __tablename__ = "comment_likes"

    comment_id: str = Field(
        sa_column=Column(
            String(36), ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
        )
    )
    user_id: str = Field(
        sa_column=Column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    )
    created_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class FeedImpressionRow(SQLModel, table=True):
    """What the ranked feed showed to whom, at which position, in which feed session.

    Training data for the ranker and the per-user "seen" window (the candidate query reads
    only the newest rows per user; retention-cleanup trims old ones). No foreign keys: the
    log outlives deleted posts."""

    __tablename__ = "feed_impressions"
    __table_args__ = (
        Index("ix_feed_impressions_user_id_shown_at", "user_id", "shown_at"),
        Index("ix_feed_impressions_post_id", "post_id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(sa_column=Column(String(36), nullable=False))
    post_id: str = Field(sa_column=Column(String(36), nullable=False))
    author_id: str = Field(sa_column=Column(String(36), nullable=False))
    feed_session_id: str = Field(sa_column=Column(String(36), nullable=False))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    score: float = Field(default=0.0, sa_column=Column(Float, nullable=False))
    # The candidate's raw `CandidateSignals.to_dict()` at ranking time (training input).
    signals: dict[str, Any] | None = Field(default=None, sa_column=Column(JsonDocument))
    ranker: str = Field(default="", sa_column=Column(String(64), nullable=False))
    shown_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class FeedEngagementRow(SQLModel, table=True):
    """A like or comment by a user on a post (labels for training; author affinity)."""

    __tablename__ = "feed_engagements"
    __table_args__ = (
        Index("ix_feed_engagements_user_id_occurred_at", "user_id", "occurred_at"),
        Index("ix_feed_engagements_post_id", "post_id"),
    )

    id: str = Field(sa_column=Column(String(36), primary_key=True))
    user_id: str = Field(sa_column=Column(String(36), nullable=False))
    post_id: str = Field(sa_column=Column(String(36), nullable=False))
    author_id: str = Field(sa_column=Column(String(36), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    occurred_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class TrendingHashtagRow(SQLModel, table=True):
    """The last trending computation (top 10), written by the `trending` job."""

    __tablename__ = "trending_hashtags"

    tag: str = Field(sa_column=Column(String(64), primary_key=True))
    rank: int = Field(sa_column=Column(Integer, nullable=False))
    post_count: int = Field(sa_column=Column(Integer, nullable=False))
    score: float = Field(sa_column=Column(Float, nullable=False))
    computed_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
