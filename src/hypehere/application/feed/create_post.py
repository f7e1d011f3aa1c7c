"""Write a post: detect its language, extract hashtags and mentions, announce it.

The fail-closed moderation tier: a new account's first posts (`HoldPolicy`) are stored
held, seen by their author only, and announced as `PostHeld` (the moderation module checks
them and releases them with `ReleasePost`, which announces `PostCreated` then); every other
post is announced as `PostCreated` at once (and scanned after publication, fail-open)."""

from __future__ import annotations

from datetime import datetime

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.authoring import PostAuthoring
from hypehere.application.feed.holding import held_at_creation
from hypehere.application.feed.mentions import resolve_mentions
from hypehere.application.feed.ports import (
    FeedAudience,
    LanguageDetector,
    PostReader,
    PostRepository,
)
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.events import PostCreated, PostHeld
from hypehere.domain.feed.model import Post, clean_post_content
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
from hypehere.domain.shared.holding import HoldPolicy
from hypehere.domain.shared.languages import parse_language

logger = structlog.get_logger(__name__)


class CreatePostCommand(msgspec.Struct, frozen=True):
    actor: Actor
    content: str
    language: str | None = None
    target_language: str | None = None
    media_urls: list[str] = []


class CreatePostResult(msgspec.Struct, frozen=True):
    post: PostView


class CreatePost(PostAuthoring):
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        reader: PostReader,
        audience: FeedAudience,
        detector: LanguageDetector,
        outbox: OutboxWriter,
        clock: Clock,
        hold_policy: HoldPolicy,
    ) -> None:
        super().__init__(uow, posts, reader, audience, detector, outbox, clock)
        self._hold_policy = hold_policy

    async def execute(self, cmd: CreatePostCommand) -> CreatePostResult:
        text = clean_post_content(cmd.content)
        language = parse_language(cmd.language) if cmd.language else None
        target = (
            parse_language(cmd.target_language, field="target_language")
            if cmd.target_language
            else None
        )
        detection = self._detector.detect(text)
        language = language or detection.language
        if language is None:
            raise InvalidInputError(
                "The language could not be detected; please set it.", field="language"
            )
        now = self._clock.now()
        async with self._uow:
            mentions = await resolve_mentions(self._audience, text)
            post = Post.write(
                author_id=cmd.actor.user_id,
                content=text,
                language=language,
                detection=detection,
                target_language=target,
                mentions=mentions,
                media_urls=tuple(cmd.media_urls),
                now=now,
            )
            post.held = await held_at_creation(
                self._hold_policy, self._audience, post.author_id, now
            )
            await self._posts.add(post)
            if post.held:
                await self._outbox.add(
                    PostHeld(
                        occurred_at=now,
                        post_id=post.id,
                        author_id=post.author_id,
                        language=post.language,
                    )
                )
            else:
                await self._outbox.add(post_created(post, now))
        logger.info(
            "post_created",
            post_id=post.id,
            language=post.language,
            detected_language=post.detected_language,
            hashtags=len(post.hashtags),
            held=post.held,
        )
        return CreatePostResult(await self._view(cmd.actor, post.id))


def post_created(post: Post, now: datetime) -> PostCreated:
    """The announcement of a published post (at creation, or when a held one is released)."""
    return PostCreated(
        occurred_at=now,
        post_id=post.id,
        author_id=post.author_id,
        language=post.language,
        hashtags=post.hashtags,
        mentioned_user_ids=post.mentioned_user_ids,
    )
