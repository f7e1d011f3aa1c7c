"""Posts, comments, likes, the feeds, hashtags and trending; staff removal hooks."""

from __future__ import annotations

from typing import Any

from dishka import FromDishka
from dishka.integrations.litestar import inject
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.background_tasks import BackgroundTask, BackgroundTasks
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from hypehere.application.common.actor import Actor
from hypehere.application.common.deferred import Later
from hypehere.application.feed.create_comment import CreateComment, CreateCommentCommand
from hypehere.application.feed.create_post import CreatePost, CreatePostCommand
from hypehere.application.feed.delete_comment import DeleteComment, DeleteCommentCommand
from hypehere.application.feed.delete_post import DeletePost, DeletePostCommand
from hypehere.application.feed.get_feed import GetFeedQuery, GetRankedFeed
from hypehere.application.feed.get_following_feed import GetFollowingFeed, GetFollowingFeedQuery
from hypehere.application.feed.get_post import GetPost, GetPostQuery
from hypehere.application.feed.get_trending_hashtags import (
    GetTrendingHashtags,
    GetTrendingHashtagsQuery,
)
from hypehere.application.feed.like_comment import LikeComment, LikeCommentCommand
from hypehere.application.feed.like_post import LikePost, LikePostCommand
from hypehere.application.feed.list_comments import ListComments, ListCommentsQuery
from hypehere.application.feed.list_hashtag_posts import ListHashtagPosts, ListHashtagPostsQuery
from hypehere.application.feed.list_post_edits import ListPostEdits, ListPostEditsQuery
from hypehere.application.feed.list_user_posts import ListUserPosts, ListUserPostsQuery
from hypehere.application.feed.unlike_comment import UnlikeComment, UnlikeCommentCommand
from hypehere.application.feed.unlike_post import UnlikePost, UnlikePostCommand
from hypehere.application.feed.update_post import UpdatePost, UpdatePostCommand
from hypehere.application.feed.views import CommentView, PostView
from hypehere.application.moderation.remove_content import (
    RemoveContent,
    RemoveContentCommand,
)
from hypehere.domain.moderation.model import ReportTargetType
from hypehere.domain.shared.pagination import Page
from hypehere.entrypoints.http.errors import request_language
from hypehere.entrypoints.http.feed.schemas import (
    CommentIn,
    CommentOut,
    CommentPageOut,
    PostEditListOut,
    PostIn,
    PostOut,
    PostPageOut,
    PostPatchIn,
    TrendingListOut,
)
from hypehere.entrypoints.i18n import gettext

Limit = Parameter(query="limit", required=False)
Cursor = Parameter(query="cursor", required=False)
Language = Parameter(query="language", required=False)

POST_PLACEHOLDER = "This post was removed because it was reported."
COMMENT_PLACEHOLDER = "This comment was removed because it was reported."
Req = Request[Any, Any, Any]


def _post(request: Req, view: PostView) -> PostOut:
    return PostOut.of(view, gettext(request_language(request), POST_PLACEHOLDER))


def _comment(request: Req, view: CommentView) -> CommentOut:
    return CommentOut.of(view, gettext(request_language(request), COMMENT_PLACEHOLDER))


def _posts(request: Req, page: Page[PostView]) -> PostPageOut:
    text = gettext(request_language(request), POST_PLACEHOLDER)
    return PostPageOut([PostOut.of(v, text) for v in page.items], page.next_cursor)


class PostsController(Controller):
    path = "/posts"
    tags = ["posts"]

    @post("/", status_code=HTTP_201_CREATED, opt={"rate_limit": "post"})
    @inject
    async def create_post(
        self, request: Req, actor: Actor, data: PostIn, uc: FromDishka[CreatePost]
    ) -> PostOut:
        result = await uc.execute(
            CreatePostCommand(
                actor=actor,
                content=data.content,
                language=data.language,
                target_language=data.target_language,
                media_urls=list(data.media_urls),
            )
        )
        return _post(request, result.post)

    @get("/{post_id:str}")
    @inject
    async def get_post(
        self, request: Req, maybe_actor: Actor | None, post_id: str, uc: FromDishka[GetPost]
    ) -> PostOut:
        return _post(request, await uc.execute(GetPostQuery(maybe_actor, post_id)))

    @patch("/{post_id:str}")
    @inject
    async def update_post(
        self,
        request: Req,
        actor: Actor,
        post_id: str,
        data: PostPatchIn,
        uc: FromDishka[UpdatePost],
    ) -> PostOut:
        result = await uc.execute(
            UpdatePostCommand(
                actor=actor,
                post_id=post_id,
                content=data.content,
                language=data.language,
                target_language=data.target_language,
                media_urls=list(data.media_urls) if data.media_urls is not None else None,
            )
        )
        return _post(request, result.post)

    @delete("/{post_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_post(self, actor: Actor, post_id: str, uc: FromDishka[DeletePost]) -> None:
        await uc.execute(DeletePostCommand(actor, post_id))

    @get("/{post_id:str}/edits")
    @inject
    async def list_edits(
        self, maybe_actor: Actor | None, post_id: str, uc: FromDishka[ListPostEdits]
    ) -> PostEditListOut:
        edits = await uc.execute(ListPostEditsQuery(maybe_actor, post_id))
        return PostEditListOut(list(edits))

    @put("/{post_id:str}/like", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def like(self, actor: Actor, post_id: str, uc: FromDishka[LikePost]) -> None:
        await uc.execute(LikePostCommand(actor, post_id))

    @delete("/{post_id:str}/like", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def unlike(self, actor: Actor, post_id: str, uc: FromDishka[UnlikePost]) -> None:
        await uc.execute(UnlikePostCommand(actor, post_id))

    @get("/{post_id:str}/comments")
    @inject
    async def list_comments(
        self,
        request: Req,
        maybe_actor: Actor | None,
        post_id: str,
        uc: FromDishka[ListComments],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
    ) -> CommentPageOut:
        page = await uc.execute(ListCommentsQuery(maybe_actor, post_id, limit, cursor))
        text = gettext(request_language(request), COMMENT_PLACEHOLDER)
        return CommentPageOut([CommentOut.of(c, text) for c in page.items], page.next_cursor)

    @post("/{post_id:str}/comments", status_code=HTTP_201_CREATED, opt={"rate_limit": "post"})
    @inject
    async def create_comment(
        self,
        request: Req,
        actor: Actor,
        post_id: str,
        data: CommentIn,
        uc: FromDishka[CreateComment],
    ) -> CommentOut:
        view = await uc.execute(CreateCommentCommand(actor, post_id, data.content))
        return _comment(request, view)


class CommentsController(Controller):
    path = "/comments"
    tags = ["posts"]

    @delete("/{comment_id:str}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_comment(
        self, actor: Actor, comment_id: str, uc: FromDishka[DeleteComment]
    ) -> None:
        await uc.execute(DeleteCommentCommand(actor, comment_id))

    @put("/{comment_id:str}/like", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def like(self, actor: Actor, comment_id: str, uc: FromDishka[LikeComment]) -> None:
        await uc.execute(LikeCommentCommand(actor, comment_id))

    @delete("/{comment_id:str}/like", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def unlike(self, actor: Actor, comment_id: str, uc: FromDishka[UnlikeComment]) -> None:
        await uc.execute(UnlikeCommentCommand(actor, comment_id))


class FeedController(Controller):
    tags = ["feed"]

    @get("/feed")
    @inject
    async def ranked(
        self,
        request: Req,
        actor: Actor,
        uc: FromDishka[GetRankedFeed],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
        language: str | None = Language,
    ) -> Response[PostPageOut]:
        later: list[Later] = []
        page = await uc.execute(GetFeedQuery(actor, limit, cursor, language, defer=later.append))
        # The impressions are written after the response has gone out.
        background = BackgroundTasks([BackgroundTask(work) for work in later]) if later else None
        return Response(_posts(request, page), background=background)

    @get("/feed/following")
    @inject
    async def following(
        self,
        request: Req,
        actor: Actor,
        uc: FromDishka[GetFollowingFeed],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
        language: str | None = Language,
    ) -> PostPageOut:
        query = GetFollowingFeedQuery(actor, limit, cursor, language)
        return _posts(request, await uc.execute(query))

    @get("/hashtags/{tag:str}/posts")
    @inject
    async def hashtag_posts(
        self,
        request: Req,
        maybe_actor: Actor | None,
        tag: str,
        uc: FromDishka[ListHashtagPosts],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
        language: str | None = Language,
    ) -> PostPageOut:
        query = ListHashtagPostsQuery(maybe_actor, tag, limit, cursor, language)
        return _posts(request, await uc.execute(query))

    @get("/users/{user_id:str}/posts")
    @inject
    async def user_posts(
        self,
        request: Req,
        maybe_actor: Actor | None,
        user_id: str,
        uc: FromDishka[ListUserPosts],
        limit: int | None = Limit,
        cursor: str | None = Cursor,
        language: str | None = Language,
    ) -> PostPageOut:
        query = ListUserPostsQuery(maybe_actor, user_id, limit, cursor, language)
        return _posts(request, await uc.execute(query))

    @get("/trending/hashtags")
    @inject
    async def trending(self, uc: FromDishka[GetTrendingHashtags]) -> TrendingListOut:
        hashtags = await uc.execute(GetTrendingHashtagsQuery())
        return TrendingListOut(list(hashtags))


class AdminFeedController(Controller):
    """Staff hooks: remove a post or comment by moderation (placeholder for everyone else),
    through the moderation module's `RemoveContent` (audited)."""

    path = "/admin"
    tags = ["admin"]

    @post("/posts/{post_id:str}/remove", status_code=HTTP_200_OK)
    @inject
    async def remove_post(
        self,
        request: Req,
        actor: Actor,
        post_id: str,
        uc: FromDishka[RemoveContent],
        get_post: FromDishka[GetPost],
    ) -> PostOut:
        await uc.execute(
            RemoveContentCommand(actor=actor, target_type=ReportTargetType.POST, target_id=post_id)
        )
        return _post(request, await get_post.execute(GetPostQuery(actor, post_id)))

    @post("/comments/{comment_id:str}/remove", status_code=HTTP_200_OK)
    @inject
    async def remove_comment(
        self, actor: Actor, comment_id: str, uc: FromDishka[RemoveContent]
    ) -> dict[str, Any]:
        result = await uc.execute(
            RemoveContentCommand(
                actor=actor, target_type=ReportTargetType.COMMENT, target_id=comment_id
            )
        )
        return {"id": comment_id, "removed": True, "changed": result.changed}
