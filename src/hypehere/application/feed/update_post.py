"""Edit a post (author only); the previous text goes to the edit history."""

from __future__ import annotations

import msgspec

from hypehere.application.feed.access import OnPost, visible_post
from hypehere.application.feed.authoring import PostAuthoring
from hypehere.application.feed.mentions import resolve_mentions
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.events import PostUpdated
from hypehere.domain.feed.model import clean_post_content
from hypehere.domain.shared.languages import parse_language

UNSET = msgspec.UNSET


class UpdatePostCommand(OnPost, frozen=True):
    content: str | None = None
    language: str | None = None
    target_language: str | msgspec.UnsetType | None = msgspec.UNSET
    media_urls: list[str] | None = None


class UpdatePostResult(msgspec.Struct, frozen=True):
    post: PostView


class UpdatePost(PostAuthoring):
    async def execute(self, cmd: UpdatePostCommand) -> UpdatePostResult:
        now = self._clock.now()
        language = parse_language(cmd.language) if cmd.language else None
        target: str | None = None
        clear_target = False
        if isinstance(cmd.target_language, str):
            target = parse_language(cmd.target_language, field="target_language")
        elif cmd.target_language is None:
            clear_target = True
        async with self._uow:
            post = await visible_post(self._posts, self._audience, cmd.actor.user_id, cmd.post_id)
            post.ensure_author(cmd.actor.user_id)
            text = clean_post_content(cmd.content) if cmd.content is not None else None
            detection = self._detector.detect(text) if text is not None else None
            mentions = await resolve_mentions(self._audience, text) if text is not None else None
            post.edit(
                editor_id=cmd.actor.user_id,
                now=now,
                content=text,
                language=language,
                detection=detection,
                target_language=target,
                clear_target_language=clear_target,
                mentions=mentions,
                media_urls=tuple(cmd.media_urls) if cmd.media_urls is not None else None,
            )
            await self._posts.save(post)
            await self._outbox.add(
                PostUpdated(
                    occurred_at=now,
                    post_id=post.id,
                    author_id=post.author_id,
                    mentioned_user_ids=post.mentioned_user_ids,
                )
            )
        return UpdatePostResult(await self._view(cmd.actor, post.id))
