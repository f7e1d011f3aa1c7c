"""Write a post: detect its language, extract hashtags and mentions, announce it."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.outbox import OutboxWriter
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.mentions import resolve_mentions
from hypehere.application.feed.ports import (
    FeedAudience,
    LanguageDetector,
    PostReader,
    PostRepository,
)
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.errors import PostNotFoundError
from hypehere.domain.feed.events import PostCreated
from hypehere.domain.feed.model import Post, clean_post_content
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.errors import InvalidInputError
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


class CreatePost:
    def __init__(
        self,
        uow: UnitOfWork,
        posts: PostRepository,
        reader: PostReader,
        audience: FeedAudience,
        detector: LanguageDetector,
        outbox: OutboxWriter,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._posts = posts
        self._reader = reader
        self._audience = audience
        self._detector = detector
        self._outbox = outbox
        self._clock = clock

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
            await self._posts.add(post)
            await self._outbox.add(
                PostCreated(
                    occurred_at=now,
                    post_id=post.id,
                    author_id=post.author_id,
                    language=post.language,
                    hashtags=post.hashtags,
                    mentioned_user_ids=post.mentioned_user_ids,
                )
            )
        logger.info(
            "post_created",
            post_id=post.id,
            language=post.language,
            detected_language=post.detected_language,
            hashtags=len(post.hashtags),
        )
        view = await self._reader.get(cmd.actor.user_id, post.id, staff=cmd.actor.is_staff)
        if view is None:  # deleted in between
            raise PostNotFoundError("The post was not found.")
        return CreatePostResult(view)
