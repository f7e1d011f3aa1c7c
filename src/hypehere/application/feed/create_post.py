"""Write a post: detect its language, extract hashtags and mentions, announce it."""

from __future__ import annotations

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.feed.authoring import PostAuthoring
from hypehere.application.feed.mentions import resolve_mentions
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.events import PostCreated
from hypehere.domain.feed.model import Post, clean_post_content
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


class CreatePost(PostAuthoring):
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
        return CreatePostResult(await self._view(cmd.actor, post.id))
