"""The ranked personal feed: candidates -> signals -> ranker -> diversity -> page.

The first page of a feed session ranks a candidate snapshot once and stores it in the
cache; later pages (the cursor names the session and the page number) are cut from that
snapshot, so there are no duplicates or gaps across pages while new posts arrive. A
retried page returns the same posts. When a session has expired or was invalidated, a
fresh one is ranked; posts already shown are in the "seen" window and are not repeated.
"""

from __future__ import annotations

import asyncio
import functools
import time

import msgspec
import structlog

from hypehere.application.common.actor import Actor
from hypehere.application.common.deferred import Defer
from hypehere.application.common.uow import UnitOfWork
from hypehere.application.feed.ports import FeedCandidates, FeedLog, Impression, PostReader
from hypehere.application.feed.ranker import Ranker
from hypehere.application.feed.snapshots import FeedSnapshot, FeedSnapshots, RankedItem
from hypehere.application.feed.views import PostView
from hypehere.domain.feed.features import CandidateSignals
from hypehere.domain.shared.clock import Clock
from hypehere.domain.shared.ids import is_valid_id, new_id
from hypehere.domain.shared.languages import parse_language
from hypehere.domain.shared.pagination import InvalidCursorError, Page, PageRequest, encode_cursor

logger = structlog.get_logger(__name__)

CANDIDATE_LIMIT = 500


class GetFeedQuery(msgspec.Struct, frozen=True):
    actor: Actor
    limit: int | None = None
    cursor: str | None = None
    language: str | None = None
    # Given: the page's impressions are logged after the answer, by work handed to `defer`
    # (two round trips and a commit off the reader's wait; training data and the seen
    # window may then miss a page if the process dies in between). None: logged inline.
    defer: Defer | None = None


class GetRankedFeed:
    def __init__(
        self,
        uow: UnitOfWork,
        candidates: FeedCandidates,
        ranker: Ranker,
        snapshots: FeedSnapshots,
        reader: PostReader,
        log: FeedLog,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._candidates = candidates
        self._ranker = ranker
        self._snapshots = snapshots
        self._reader = reader
        self._log = log
        self._clock = clock

    async def execute(self, query: GetFeedQuery) -> Page[PostView]:
        request = PageRequest.of(query.limit, query.cursor, arity=2)
        language = parse_language(query.language) if query.language is not None else None
        user_id = query.actor.user_id
        snapshot: FeedSnapshot | None = None
        page_index = 0
        if request.cursor is not None:
            session_id, page_index = request.cursor
            if not isinstance(session_id, str) or not is_valid_id(session_id):
                raise InvalidCursorError("The cursor is not valid")
            if not isinstance(page_index, int) or isinstance(page_index, bool) or page_index < 1:
                raise InvalidCursorError("The cursor is not valid")
            snapshot = await self._snapshots.load(user_id, session_id)
            if snapshot is not None and page_index > snapshot.page_count:
                raise InvalidCursorError("The cursor is not valid")
        new = snapshot is None
        if snapshot is None:
            snapshot = await self._rank(user_id, language)
            page_index = 0

        fresh = page_index == snapshot.page_count
        saving: asyncio.Task[None] | None = None
        if fresh:
            position = snapshot.served_count
            items = snapshot.serve_next(request.limit)
            # The cache write and the page's database read do not wait for each other.
            saving = asyncio.create_task(self._snapshots.save(snapshot, new=new))
        else:
            items = snapshot.page(page_index)
            position = sum(len(cut) for cut in snapshot.cuts[:page_index])

        try:
            views = await self._reader.get_many(
                user_id, [i.post_id for i in items], staff=query.actor.is_staff
            )
        finally:
            if saving is not None:
                await saving
        if fresh and items:
            now = self._clock.now()
            shown = [
                Impression(
                    user_id=user_id,
                    post_id=item.post_id,
                    author_id=item.author_id,
                    feed_session_id=snapshot.session_id,
                    position=position + offset,
                    score=item.score,
                    ranker=snapshot.ranker,
                    shown_at=now,
                    signals=item.signals_dict(),
                )
                for offset, item in enumerate(items)
            ]
            if query.defer is None:
                await self._record(shown)
            else:
                query.defer(functools.partial(self._record_after_answer, shown))
        has_more = snapshot.has_more_after(page_index)
        next_cursor = encode_cursor((snapshot.session_id, page_index + 1)) if has_more else None
        return Page(items=views, next_cursor=next_cursor)

    async def _record(self, shown: list[Impression]) -> None:
        async with self._uow:
            await self._log.record_impressions(shown)

    async def _record_after_answer(self, shown: list[Impression]) -> None:
        try:
            await self._record(shown)
        except Exception:  # the answer has gone out: nobody to tell but the log
            logger.exception("feed_impressions_not_logged", count=len(shown))

    def _score_and_order(
        self, candidates: list[CandidateSignals]
    ) -> tuple[list[RankedItem], float]:
        started = time.perf_counter()
        scores = self._ranker.score(candidates)
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        ranked = [RankedItem.of(candidates[i], scores[i]) for i in order]
        return ranked, time.perf_counter() - started

    async def _rank(self, user_id: str, language: str | None) -> FeedSnapshot:
        now = self._clock.now()
        started = time.perf_counter()
        # One wait for both. The generation request goes out first, before the candidates'
        # first statement: a follow or block that lands after it makes this session stale
        # at its next page, never the other way round (pages also drop blocked authors).
        generation, candidates = await asyncio.gather(
            self._snapshots.generation(user_id),
            self._candidates.gather(user_id, now, language, CANDIDATE_LIMIT),
        )
        gathered = time.perf_counter()
        # Scoring and ordering the candidates (features, the model's predict, one item each)
        # is a first page's largest piece of synchronous work: it runs in the loop's default
        # executor (a bounded pool of threads), so the event loop keeps serving other
        # requests meanwhile (LightGBM's predict releases the GIL).
        ranked, rank_seconds = await asyncio.to_thread(self._score_and_order, candidates)
        logger.info(
            "feed_ranked",
            candidates=len(candidates),
            ranker=self._ranker.name,
            gather_ms=round((gathered - started) * 1000, 2),
            rank_ms=round(rank_seconds * 1000, 3),
        )
        return FeedSnapshot(
            session_id=new_id(),
            user_id=user_id,
            generation=generation,
            language=language,
            created_at=now,
            ranker=f"{self._ranker.name}:{self._ranker.version}",
            ranked=ranked,
        )
