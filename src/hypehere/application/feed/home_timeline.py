"""The following feed (`GET /feed/following`) served from fan-out-on-write home timelines
(Mastodon's design), chosen with `HYPEHERE_HOME_TIMELINE=redis`; the default (`sql`)
reads it with one SQL statement per page (fan-in at read time, `SqlPostReader.following`).

How it works:
- Write: the outbox hands each new post to `FanOutPost`, which puts its id in the timeline
  of every follower whose timeline exists (a Redis sorted set per user, trimmed to a
  horizon, `HYPEHERE_HOME_TIMELINE_HORIZON`). Authors with more followers than
  `HYPEHERE_HOME_TIMELINE_CELEBRITY_FOLLOWERS` are not fanned out: their posts are merged
  at read time from SQL (`celebrity_posts`): `FanOutPost` marks such an author a
  celebrity before anything else, and when a later post finds them back under the
  threshold it drops their followers' timelines (which never got the marked posts) before
  clearing the mark, so every post the outbox has handled is in the timelines or found
  through the mark. A deleted post is taken out of its author's followers' timelines
  (`RetractPost`); a follow or an unfollow drops the follower's timeline
  (`CoolHomeTimelines`), so the next read rebuilds it.
- Read: one Redis call (`HomeTimelines.page`) gives the ids after the cursor, whether the
  timeline is complete, and which of the people the viewer follows are celebrities (the
  followees are kept with the timeline at its rebuild). The first read asks for the page
  exactly (limit + 1 ids; more, doubling, only while the filters leave it short), then ONE
  SQL statement renders them by primary key under the feed's rules at the time of
  reading: the author is still followed, visible, not blocked either way, the language
  matches; deleted posts are gone and removed ones are placeholders, exactly as the SQL
  feed shows them. While the process's author-card cache is live
  (`application/common/author_cards.py`) the statement reads no author row: the cards,
  and whether each author is visible, come from the cache (misses in one more statement).
  So blocks, unfollows and deletions are right at once even before the outbox has run.
  The followed celebrities' posts after the cursor are merged in (one more statement,
  only for a viewer who follows one); a page that runs past the oldest entry of a
  trimmed timeline continues with the SQL feed from that entry (deep pages cost what they
  cost today). Order and cursor are the SQL feed's: (created_at DESC, id DESC),
  cursor (created_at ISO text, id).
- Cold (never read, evicted after `HYPEHERE_HOME_TIMELINE_IDLE_SECONDS` without reads, or
  dropped): `start_rebuild` empties it and marks it building (fan-out writes reach it from
  then on), the user's followees and newest `horizon` followed posts are read from SQL,
  and `rebuild` stores them if no other rebuild or drop happened meanwhile; a post
  committed during the rebuild is therefore either in the SQL read or fanned out into the
  building timeline.

Trade-offs against fan-in at read time (the other design of issue 19):
- Read cost is bounded by the page (one Redis call and a primary-key render of the page's
  ids), not by the number of followed authors or the planner's luck with the share of
  posts the viewer follows; it does not grow with the site.
- Write cost grows with the author's followers (one Redis write per follower per post,
  pipelined, 500 timelines per script call), bounded by the celebrity threshold; memory
  is horizon x active users (measured: 105 kB for a full 800-entry timeline, 4.5 kB more
  for its owner's 50 followees).
- Measured on `bench timeline` (bench/RESULTS.md, sessions 11 and 12: 50 follows each, one
  server process, 50 clients, a 2-core box, a read pool of 5, the author-card cache):
  700-810 pages/s, p99 73-94 ms, CPU per page 1.2-1.4 ms of the server and 0.22-0.26 ms of
  PostgreSQL, against 640-695 pages/s, p99 90-98 ms, 1.1-1.2 and 1.0-1.2 ms for the SQL
  fan-in; the same at 20,000 users / 500,000 posts as at 2,000 / 100,000. Measured
  before: a cold read (rebuild of 800 entries) 49 ms of PostgreSQL; a fan-out to 52 warm
  timelines 2.5 ms of handler CPU, 0.5 ms of PostgreSQL, 0.4 ms of Redis.
- A follow shows the new followee's older posts only once the outbox has dropped the
  follower's timeline (milliseconds in production), and the first read after a drop pays
  a rebuild: the fan-in statement once, limited to the horizon.
- A second store to run, and two ways a page can be built; fan-in needs neither.
- `?language=` filters at render time, so a rare language makes a page read more of the
  timeline (doubling rounds, at most the horizon) before it falls back to SQL.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from hypehere.application.feed.ports import (
    HomeTimelines,
    HomeTimelineSource,
    PostReader,
    TimelineEntry,
)
from hypehere.application.feed.views import PostView
from hypehere.domain.shared.clock import ensure_utc
from hypehere.domain.shared.pagination import (
    InvalidCursorError,
    Page,
    PageRequest,
    encode_cursor,
)


class HomeTimelineConfig(msgspec.Struct, frozen=True):
    """`enabled`: the following feed reads home timelines (and the outbox fills them)."""

    enabled: bool
    celebrity_followers: int = 10_000


def cursor_entry(cursor: tuple[object, ...] | None) -> TimelineEntry | None:
    """The (created_at, id) a following-feed cursor points after."""
    if cursor is None:
        return None
    try:
        at = ensure_utc(datetime.fromisoformat(str(cursor[0])))
    except ValueError as exc:
        raise InvalidCursorError("The cursor is not valid") from exc
    return TimelineEntry(str(cursor[1]), at)


def _order_key(view: PostView) -> tuple[datetime, str]:
    return (view.created_at, view.id)


class HomeTimelineFeed:
    """`following(...)` with the SQL reader's signature and results, from home timelines."""

    def __init__(
        self,
        timelines: HomeTimelines,
        source: HomeTimelineSource,
        fallback: PostReader,
        config: HomeTimelineConfig,
    ) -> None:
        self._timelines = timelines
        self._source = source
        self._fallback = fallback
        self._config = config

    async def warm(self, user_id: str) -> bool:
        """Rebuild a cold timeline from SQL; False when another rebuild or a drop raced it."""
        horizon = self._timelines.horizon
        token = await self._timelines.start_rebuild(user_id)
        followees = await self._source.followees(user_id)
        entries = await self._source.recent_followed(user_id, horizon)
        return await self._timelines.rebuild(
            user_id, token, entries, complete=len(entries) < horizon, followees=followees
        )

    async def following(
        self, viewer_id: str, language: str | None, page: PageRequest, *, staff: bool
    ) -> Page[PostView]:
        before = cursor_entry(page.cursor)
        want = page.limit + 1
        read = await self._from_timeline(viewer_id, language, before, want, staff)
        if read is None:  # cold and its rebuild raced another: serve this page from SQL
            return await self._fallback.following(viewer_id, language, page, staff=staff)
        found, celebrities = read
        if celebrities:
            found += await self._source.celebrity_posts(
                viewer_id, celebrities, language, before, want, staff=staff
            )
        unique = {view.id: view for view in found}
        items = sorted(unique.values(), key=_order_key, reverse=True)[:want]
        if len(items) <= page.limit:
            return Page(items, None)
        last = items[page.limit - 1]
        key = (ensure_utc(last.created_at).isoformat(), last.id)
        return Page(items[: page.limit], encode_cursor(key))

    async def _from_timeline(
        self,
        viewer_id: str,
        language: str | None,
        before: TimelineEntry | None,
        want: int,
        staff: bool,
    ) -> tuple[list[PostView], list[str]] | None:
        """At least `want` posts after `before` in order (or all there are), without the
        celebrities' posts that were never fanned out, and the followed celebrities; None
        when the timeline is cold and could not be rebuilt. The first read asks for the
        page exactly (usually nothing is filtered out), each further one for twice as many."""
        chunk = want
        first = await self._timelines.page(viewer_id, before, chunk)
        if first is None:
            if not await self.warm(viewer_id):
                return None
            first = await self._timelines.page(viewer_id, before, chunk)
            if first is None:
                return None
        found: list[PostView] = []
        last = before
        current, complete = first, first.complete
        while True:
            ids = [entry.post_id for entry in current.entries]
            found += await self._source.hydrate(viewer_id, ids, language, staff=staff)
            if current.entries:
                last = current.entries[-1]
            if len(current.entries) < chunk:
                break  # the timeline has nothing older
            if len(found) >= want:
                return found, first.celebrities
            chunk = min(chunk * 2, self._timelines.horizon)
            more = await self._timelines.page(viewer_id, last, chunk)
            if more is None:  # dropped meanwhile: the rest from SQL
                complete = False
                break
            current, complete = more, more.complete
        if len(found) < want and not complete:
            rest = PageRequest(limit=want, cursor=_cursor_of(last))
            tail = await self._fallback.following(viewer_id, language, rest, staff=staff)
            found += tail.items
        return found, first.celebrities


def _cursor_of(entry: TimelineEntry | None) -> tuple[str, str] | None:
    if entry is None:
        return None
    return (ensure_utc(entry.created_at).isoformat(), entry.post_id)
