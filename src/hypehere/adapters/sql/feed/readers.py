"""Read side of the feed: posts and comments rendered for a viewer, one query per page.

Timeline pages (issue 19): the database work of a page is bounded by the page, not by
the site. The chronological lists order by (created_at DESC, id DESC) and page with a
cursor on that pair; each is now a range scan of an index in exactly that order, bounded
on both ends by the cursor (a row comparison `(created_at, id) < (:ts, :id)`, which both
databases use as an index bound; the `OR` form used before was a filter PostgreSQL applied
to every row from the newest one on, so page N re-read pages 1..N-1).

- `/feed/following`, fan-in at read time: for each followed author (visible, not blocked
  either way) one probe of `ix_posts_author_id_created_at_id` (author_id, created_at DESC,
  id DESC) for their newest `limit + 1` posts after the cursor (a LATERAL subquery on
  PostgreSQL, a correlated `IN (... LIMIT)` on SQLite, which has no LATERAL), merged and
  cut to `limit + 1`; only then are the page's posts read and rendered. Work: one index
  descent and at most `limit + 1` index entries per followed author, whatever the size
  of the site and however deep the cursor. Over `FAN_IN_MAX_AUTHORS` (400) followed
  authors, the same statement takes its other branch, the walk of the global time index
  probing `follows` per post (the definition before issue 19): for someone who follows
  thousands, a large share of all posts is followed, so the walk finds a page quickly,
  while the fan-in would cost thousands of probes. A bounded count of the viewer's
  follows (at most 401 index entries) picks the branch inside the statement (one-time
  filters: the other branch is never executed), so a page is still one round trip.
- `/hashtags/{tag}/posts`: a range scan of `ix_post_hashtags_tag_created_at_post_id`
  (tag, created_at DESC, post_id DESC) (the link row carries its post's created_at),
  joined to each post and its author until the page is full. Before, PostgreSQL walked
  the posts' time index and probed the tag per post.
- `/users/{id}/posts`: a range scan of the author index.
- `?language=` is a filter on the rows these scans return (the indexes do not hold the
  language): a probe, or a tag's range, also passes over the posts in other languages,
  which bounds it by those authors' (that tag's) posts rather than by the page; hidden and
  blocked authors' posts are passed over the same way on a tag's page.
- The ranked feed's followed-authors source (candidates.py) uses the same fan-in on
  PostgreSQL for its newest `over_fetch` posts in the candidate window.
- The three timelines are pure reads: their use cases get a reader on the request's read
  session (`engine.ReadSession`: AUTOCOMMIT on PostgreSQL), so a page is one statement
  and no BEGIN / ROLLBACK round trips around it.
- Author cards: while the process's author-card cache is live
  (`application/common/author_cards.py`), `get_many` (the ranked feed's page) and the
  Redis home timelines' render (home_timeline.py) do not join `users`: the cards, and
  whether each author may be seen, come from the cache, and the misses from one more
  statement (`author_cards.py` here). The SQL following timeline keeps its join: without
  it, on `bench timeline` (session 12), PostgreSQL's CPU per page did not move (0.85-1.0
  ms either way, the fan-in's probes dominate) while cache misses cost a second round trip.

Measured with EXPLAIN (ANALYZE, BUFFERS) on `bench timeline`'s small dataset (2,000
users, 50 uniform follows each, 100,000 posts uniform over 7 days; PostgreSQL 15, a
shared 2-core box, so times are noisy; buffers are the figure to compare), limit 20:

| statement | before: buffers (time) | after: buffers (time) |
|---|---:|---:|
| following, page 1 | 2,164: walked 583 posts of the time index (1.9 ms) | 471 (1.3 ms) |
| following, page 2 | 3,605: walked 862 posts, 571 more filtered (11.4 ms) | 471 (1.4 ms) |
| following, page 3 | 4,409 (18.0 ms) | 472 (1.4 ms) |
| tag, pages 1 / 2 / 3 (~500 posts) | 13,224 / 17,663 / 23,182 (32-66 ms) | 151 each (0.4 ms) |
| author page 1 / 2 | 174 / 97 (0.4 ms) | 175 / 95 (0.3 ms) |
| ranked feed, followed source (*) | 12,116: walked 6,328 posts (70 ms) | 2,660 (19 ms) |

The fan-in's 471 buffers: 12 to list and count (once per branch) the follows, 150 for
the 50 followees' states (a primary-key probe each), 162 for the 50 index-only probes
(1,050 entries), then 84 + 63 to read the 21 posts and their authors. The probes are
index-only because the index carries `moderation_state` (migration 0026): filtering on it
from the heap cost 1,517 buffers a page and twice the PostgreSQL CPU (1.6 against 0.8 ms
per statement, measured with a backend's own CPU time over 1,000 executions). It stays the same
at page 3 (the walk grows with the depth), and it does not grow with the site: it depends
on the follows and the page. (*) The newest 150 posts of the 50 followed authors' week:
the fan-in reads 2,512 rows in 50 probes (each author's week, under the 150 limit).

Why fan-in at read time is the default rather than fan-out on write (a timeline per
follower kept in Redis, `application/feed/home_timeline.py`, `HYPEHERE_HOME_TIMELINE=redis`):
it needs no second copy of the follow graph's reach, nothing to fill, trim, rebuild or
invalidate on a block, a removal, a deletion or an unfollow, shows a new follow's posts at
once (fan-out shows them after the outbox has run), works unchanged on the embedded SQLite
default, and keeps `?language=` and the cursor exact (they are the same statement's
conditions); its cost per page is the number of followed authors, which the cap bounds.
Fan-out makes a page one Redis call and a primary-key render of the page, but multiplies
every post's writes by the author's followers and needs the celebrity exception. Measured
on `bench timeline` (bench/RESULTS.md, sessions 11 and 12, one process on a 2-core box, a
read pool of 5): the fan-in serves 640-695 pages/s with p99 90-98 ms and 1.0-1.2 ms of
PostgreSQL CPU a page; the Redis timelines, with the author-card cache, 700-810 pages/s,
p99 73-94 ms, 0.22-0.26 ms of PostgreSQL a page, the same at 20,000 users as at 2,000.
So a deployment that has Redis should set `redis` (the README says so, and
deploy/compose.yaml does); the default stays `sql` for the reasons above.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    func,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hypehere.adapters.sql.errors import translate_errors
from hypehere.adapters.sql.feed.author_cards import live, visible_cards
from hypehere.adapters.sql.feed.common import (
    Viewer,
    comment_likes,
    comments,
    cursor_time,
    follows,
    ids_in,
    keyset,
    post_edits,
    post_hashtags,
    post_likes,
    post_spans,
    posts,
    time_key,
    users,
)
from hypehere.adapters.sql.feed.queries import comment_visible_to, post_visible_to
from hypehere.adapters.sql.types import UtcDateTime
from hypehere.adapters.sql.users.queries import author_visible, followees_of, unblocked
from hypehere.application.common.author_cards import AuthorCardCache
from hypehere.application.common.views import MentionCard, UserCard
from hypehere.application.feed.views import CommentView, LanguageSpanView, PostEditView, PostView
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import Page, PageRequest, page_from_rows


def _liked(viewer_id: Viewer, table: Any, fk: str, target: Any) -> ColumnElement[bool]:
    if viewer_id is None:
        return literal(False)
    return exists().where(table.c[fk] == target, table.c.user_id == viewer_id)


# What `_post_view` reads of a post: not `mentioned_user_ids` (the notifications' copy of
# the mentions), a JSON column that would be sent and decoded for nothing on every row.
_VIEW_COLUMNS = tuple(c for c in posts.c if c.name != "mentioned_user_ids")


def _post_columns(viewer_id: Viewer) -> Select[Any]:
    """A post as rendered (with its author's card and the viewer's like); no FROM yet."""
    return select(
        *_VIEW_COLUMNS,
        users.c.handle,
        users.c.nickname,
        users.c.avatar_url,
        _liked(viewer_id, post_likes, "post_id", posts.c.id).label("liked_by_me"),
    )


def _post_select(viewer_id: Viewer) -> Select[Any]:
    return (
        _post_columns(viewer_id)
        .select_from(posts.join(users, users.c.id == posts.c.author_id))
        .where(
            author_visible(viewer_id, posts.c.author_id, users.c.state),
            post_visible_to(viewer_id, posts),
        )
    )


def _post_cardless_select(viewer_id: Viewer) -> Select[Any]:
    """`_post_select` without the users join: no author card and no check of the author's
    state (`_render_posts` takes both from the author-card cache); blocks still apply."""
    stmt = select(
        *_VIEW_COLUMNS, _liked(viewer_id, post_likes, "post_id", posts.c.id).label("liked_by_me")
    ).where(post_visible_to(viewer_id, posts))
    if viewer_id is not None:
        stmt = stmt.where(unblocked(viewer_id, posts.c.author_id))
    return stmt


# --- timeline pages: statements built once per shape, run with bind parameters -----------

# Over this many followed authors the following timeline walks the time index instead of
# probing each author (see the module docstring).
FAN_IN_MAX_AUTHORS = 400

_VIEWER: BindParameter[str] = bindparam("viewer_id", type_=String)
_FETCH: BindParameter[int] = bindparam("fetch", type_=Integer)  # the page's limit + 1
_AFTER_TS: BindParameter[Any] = bindparam("after_ts", type_=UtcDateTime())
_AFTER_ID: BindParameter[str] = bindparam("after_id", type_=String)
_LANGUAGE: BindParameter[str] = bindparam("language", type_=String)
_PROBE: BindParameter[int] = bindparam("max_authors_probe", type_=Integer)
_MAX_AUTHORS: BindParameter[int] = bindparam("max_authors", type_=Integer)


def _page_params(viewer_id: str | None, language: str | None, page: PageRequest) -> dict[str, Any]:
    params: dict[str, Any] = {"fetch": page.limit + 1}
    if viewer_id is not None:
        params["viewer_id"] = viewer_id
    if page.cursor is not None:
        params["after_ts"] = cursor_time(page.cursor[0])
        params["after_id"] = str(page.cursor[1])
    if language:
        params["language"] = language
    return params


def _older(created_at: Any, item_id: Any) -> ColumnElement[bool]:
    """Strictly after the cursor in (created_at DESC, id DESC) order, as a row comparison:
    both databases use it as the bound of an index range scan (the `OR` form of `keyset`
    is a filter PostgreSQL applies to every row from the newest one on)."""
    return tuple_(created_at, item_id) < tuple_(_AFTER_TS, _AFTER_ID)


def _post_filters(source: Any, after: bool, language: bool) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if after:
        conditions.append(_older(source.c.created_at, source.c.id))
    if language:
        conditions.append(source.c.language == _LANGUAGE)
    return conditions


@functools.cache
def _following_statement(dialect: str, after: bool, language: bool) -> Select[Any]:
    """The following timeline's page: fan-in per followed author when the viewer follows
    at most `max_authors` people, else the walk of the time index; one statement either
    way (the branch not taken is cut by a one-time filter before it runs)."""
    followed = followees_of(_VIEWER)
    how_many = select(func.count()).select_from(followed.limit(_PROBE).subquery()).scalar_subquery()
    followee = users.alias("followee")
    # The followee's state as a scalar subquery: one primary-key probe per followed author
    # (a join let PostgreSQL hash the whole users table, a cost that grows with the site).
    followee_state = (
        select(followee.c.state).where(followee.c.id == follows.c.followee_id).scalar_subquery()
    )
    authors = (
        select(follows.c.followee_id.label("author_id"))
        .where(
            follows.c.follower_id == _VIEWER,
            author_visible(_VIEWER, follows.c.followee_id, followee_state),
            how_many <= _MAX_AUTHORS,
        )
        .subquery("authors")
    )
    if dialect == "postgresql":
        newest = (
            select(posts.c.id, posts.c.created_at)
            .where(
                posts.c.author_id == authors.c.author_id,
                post_visible_to(None, posts),  # never the viewer's own: only released posts
                *_post_filters(posts, after, language),
            )
            .order_by(posts.c.created_at.desc(), posts.c.id.desc())
            .limit(_FETCH)
            .lateral("newest")
        )
        fan_in = select(newest.c.id, newest.c.created_at).select_from(authors.join(newest, true()))
        fan_in_order = (newest.c.created_at.desc(), newest.c.id.desc())
    else:  # SQLite has no LATERAL: the same per-author probe as a correlated IN
        mine = posts.alias("per_author")
        newest_ids = (
            select(mine.c.id)
            .where(
                mine.c.author_id == authors.c.author_id,
                post_visible_to(None, mine),
                *_post_filters(mine, after, language),
            )
            .order_by(mine.c.created_at.desc(), mine.c.id.desc())
            .limit(_FETCH)
        )
        fan_in = select(posts.c.id, posts.c.created_at).select_from(
            authors.join(posts, posts.c.id.in_(newest_ids))
        )
        fan_in_order = (posts.c.created_at.desc(), posts.c.id.desc())
    fan_in_page = fan_in.order_by(*fan_in_order).limit(_FETCH).subquery("fan_in")
    walk_page = (
        select(posts.c.id, posts.c.created_at)
        .select_from(posts.join(users, users.c.id == posts.c.author_id))
        .where(
            posts.c.author_id.in_(followed),
            author_visible(_VIEWER, posts.c.author_id, users.c.state),
            how_many > _MAX_AUTHORS,
            post_visible_to(None, posts),
            *_post_filters(posts, after, language),
        )
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(_FETCH)
        .subquery("walk")
    )
    chosen = union_all(select(fan_in_page.c.id), select(walk_page.c.id)).subquery("chosen")
    return (
        _post_columns(_VIEWER)
        .select_from(
            chosen.join(posts, posts.c.id == chosen.c.id).join(
                users, users.c.id == posts.c.author_id
            )
        )
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(_FETCH)
    )


@functools.cache
def _hashtag_statement(signed_in: bool, after: bool, language: bool) -> Select[Any]:
    """A tag's page: the tag's index range, newest first (the link row carries the post's
    created_at), joined to each post until the page is full."""
    viewer = _VIEWER if signed_in else None
    tagged = post_hashtags
    conditions = [tagged.c.tag == bindparam("tag", type_=String)]
    if after:
        conditions.append(_older(tagged.c.created_at, tagged.c.post_id))
    if language:
        conditions.append(posts.c.language == _LANGUAGE)
    return (
        _post_columns(viewer)
        .select_from(
            tagged.join(posts, posts.c.id == tagged.c.post_id).join(
                users, users.c.id == posts.c.author_id
            )
        )
        .where(
            author_visible(viewer, posts.c.author_id, users.c.state),
            post_visible_to(viewer, posts),
            *conditions,
        )
        .order_by(tagged.c.created_at.desc(), tagged.c.post_id.desc())
        .limit(_FETCH)
    )


@functools.cache
def _author_statement(signed_in: bool, after: bool, language: bool) -> Select[Any]:
    """An author's page: one range scan of (author_id, created_at DESC, id DESC)."""
    viewer = _VIEWER if signed_in else None
    return (
        _post_select(viewer)
        .where(
            posts.c.author_id == bindparam("author_id", type_=String),
            *_post_filters(posts, after, language),
        )
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(_FETCH)
    )


@functools.cache
def _posts_by_ids(dialect: str, cards: bool) -> Select[Any]:
    """The feed's page render, built once (building it per request cost more than running
    it); with `cards`, without the users join (`_render_posts`)."""
    select_posts = _post_cardless_select if cards else _post_select
    return select_posts(bindparam("viewer_id")).where(ids_in(posts.c.id, "post_ids", dialect))


async def _render_posts(
    session: AsyncSession, rows: Sequence[Any], staff: bool, cards: AuthorCardCache | None
) -> list[PostView]:
    """Rows rendered: with `cards` (a live cache), rows of a cardless statement with their
    authors' cards, leaving out a post whose author is hidden (or was hidden since the
    statement ran), as `author_visible` leaves it out in SQL; without, rows that carry
    their cards."""
    if cards is None:
        return [_post_view(r, staff) for r in rows]
    authors = await visible_cards(session, cards, (r.author_id for r in rows))
    return [
        _post_view(r, staff, author=authors[r.author_id]) for r in rows if r.author_id in authors
    ]


def _post_view(
    row: Any,
    staff: bool,
    spans: list[LanguageSpanView] | None = None,
    *,
    author: UserCard | None = None,
) -> PostView:
    """A post row as the API shows it; `author` for a row read without its author's card
    (`_post_cardless_select`)."""
    # By key through the row's mapping: a quarter of the cost of attribute access, which
    # adds up over a page of posts of twenty-odd columns each.
    r = row._mapping
    removed = r["removed_at"] is not None
    content = r["content"]
    edited_at = r["edited_at"]
    return PostView(
        id=r["id"],
        author=author or UserCard(r["author_id"], r["handle"], r["nickname"], r["avatar_url"]),
        content="" if removed and not staff else content,
        language=r["language"],
        detected_language=r["detected_language"],
        language_confidence=float(r["language_confidence"]),
        target_language=r["target_language"],
        hashtags=list(r["hashtags"] or ()),
        mentions=[MentionCard(str(m["id"]), str(m["handle"])) for m in r["mentions"] or ()],
        media_urls=list(r["media_urls"] or ()),
        like_count=int(r["like_count"]),
        comment_count=int(r["comment_count"]),
        liked_by_me=bool(r["liked_by_me"]),
        created_at=ensure_utc(r["created_at"]),
        edited_at=ensure_utc(edited_at) if edited_at else None,
        removed=removed,
        removed_reason=r["removed_reason"],
        original_content=content if removed and staff else None,
        language_spans=spans or [],
        moderation=r["moderation_state"],
    )


class SqlPostReader:
    """`cards`: this process's author-card cache; while it is live, `get_many` (the ranked
    feed's page) renders without the users join."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        fan_in_max_authors: int = FAN_IN_MAX_AUTHORS,
        cards: AuthorCardCache | None = None,
    ) -> None:
        self._session = session
        self._fan_in_max_authors = fan_in_max_authors
        self._cards = cards

    async def get(self, viewer_id: str | None, post_id: str, *, staff: bool) -> PostView | None:
        async with translate_errors():
            row = (
                await self._session.execute(_post_select(viewer_id).where(posts.c.id == post_id))
            ).first()
            if row is None:
                return None
            spans = [
                LanguageSpanView(s.start_index, s.end_index, s.language, float(s.confidence))
                for s in await self._session.execute(
                    select(post_spans)
                    .where(post_spans.c.post_id == post_id)
                    .order_by(post_spans.c.position)
                )
            ]
        return _post_view(row, staff, spans)

    async def get_many(
        self, viewer_id: str, post_ids: Sequence[str], *, staff: bool
    ) -> list[PostView]:
        if not post_ids:
            return []
        cards = live(self._cards)
        async with translate_errors():
            rows = list(
                await self._session.execute(
                    _posts_by_ids(self._session.get_bind().dialect.name, cards is not None),
                    {"viewer_id": viewer_id, "post_ids": list(post_ids)},
                )
            )
        views = await _render_posts(self._session, rows, staff, cards)
        by_id = {view.id: view for view in views}
        return [by_id[i] for i in post_ids if i in by_id]

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]:
        stmt = _following_statement(
            self._session.get_bind().dialect.name, page.cursor is not None, language is not None
        )
        params = _page_params(viewer_id, language, page)
        params["max_authors"] = self._fan_in_max_authors
        params["max_authors_probe"] = self._fan_in_max_authors + 1
        return await self._run_page(stmt, params, page, staff)

    async def by_hashtag(
        self,
        viewer_id: str | None,
        tag: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        stmt = _hashtag_statement(
            viewer_id is not None, page.cursor is not None, language is not None
        )
        params = _page_params(viewer_id, language, page)
        params["tag"] = tag
        return await self._run_page(stmt, params, page, staff)

    async def by_author(
        self,
        viewer_id: str | None,
        author_id: str,
        language: str | None,
        page: PageRequest,
        *,
        staff: bool,
    ) -> Page[PostView]:
        stmt = _author_statement(
            viewer_id is not None, page.cursor is not None, language is not None
        )
        params = _page_params(viewer_id, language, page)
        params["author_id"] = author_id
        return await self._run_page(stmt, params, page, staff)

    async def _run_page(
        self, stmt: Select[Any], params: dict[str, Any], page: PageRequest, staff: bool
    ) -> Page[PostView]:
        async with translate_errors():
            rows = list(await self._session.execute(stmt, params))
        result = page_from_rows(rows, page.limit, lambda r: time_key(r.created_at, r.id))
        return Page([_post_view(r, staff) for r in result.items], result.next_cursor)

    async def edits(self, post_id: str) -> list[PostEditView]:
        async with translate_errors():
            rows = await self._session.execute(
                select(post_edits.c.previous_content, post_edits.c.edited_at)
                .where(post_edits.c.post_id == post_id)
                .order_by(post_edits.c.edited_at.desc(), post_edits.c.id.desc())
            )
        return [PostEditView(r.previous_content, ensure_utc(r.edited_at)) for r in rows]


def _comment_select(viewer_id: str | None) -> Select[Any]:
    return (
        select(
            comments,
            users.c.handle,
            users.c.nickname,
            users.c.avatar_url,
            _liked(viewer_id, comment_likes, "comment_id", comments.c.id).label("liked_by_me"),
        )
        .select_from(comments.join(users, users.c.id == comments.c.author_id))
        .where(
            author_visible(viewer_id, comments.c.author_id, users.c.state),
            comment_visible_to(viewer_id, comments),
        )
    )


def _comment_view(row: Any, staff: bool) -> CommentView:
    removed = row.removed_at is not None
    return CommentView(
        id=row.id,
        post_id=row.post_id,
        author=UserCard(row.author_id, row.handle, row.nickname, row.avatar_url),
        content="" if removed and not staff else row.content,
        like_count=int(row.like_count),
        liked_by_me=bool(row.liked_by_me),
        created_at=ensure_utc(row.created_at),
        removed=removed,
        removed_reason=row.removed_reason,
        original_content=row.content if removed and staff else None,
        moderation=row.moderation_state,
    )


class SqlCommentReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_post(
        self, viewer_id: str | None, post_id: str, page: PageRequest, *, staff: bool
    ) -> Page[CommentView]:
        stmt = (
            _comment_select(viewer_id)
            .where(
                comments.c.post_id == post_id,
                keyset(comments.c.created_at, comments.c.id, page.cursor, desc=False),
            )
            .order_by(comments.c.created_at, comments.c.id)
            .limit(page.limit + 1)
        )
        async with translate_errors():
            rows = list(await self._session.execute(stmt))
        result = page_from_rows(rows, page.limit, lambda r: time_key(r.created_at, r.id))
        return Page([_comment_view(r, staff) for r in result.items], result.next_cursor)

    async def get(
        self, viewer_id: str | None, comment_id: str, *, staff: bool
    ) -> CommentView | None:
        post_author = users.alias("post_author")
        post_visible = (
            exists()
            .select_from(posts.join(post_author, post_author.c.id == posts.c.author_id))
            .where(
                posts.c.id == comments.c.post_id,
                author_visible(viewer_id, posts.c.author_id, post_author.c.state),
                post_visible_to(viewer_id, posts),
            )
        )
        stmt = _comment_select(viewer_id).where(comments.c.id == comment_id, post_visible)
        async with translate_errors():
            row = (await self._session.execute(stmt)).first()
        return _comment_view(row, staff) if row is not None else None
