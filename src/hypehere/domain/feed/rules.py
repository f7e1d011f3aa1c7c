"""Named policies of the feed: text limits, hashtags, mentions, media, diversity, trending."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from hypehere.domain.feed.errors import InvalidMediaUrlError

T = TypeVar("T")

POST_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 1000
MAX_HASHTAGS = 10
HASHTAG_MAX_LENGTH = 64
MAX_MENTIONS = 20
MAX_MEDIA_URLS = 4
MEDIA_URL_MAX_LENGTH = 2048
MAX_POSTS_PER_AUTHOR_PER_PAGE = 3
TRENDING_WINDOW = timedelta(hours=24)
TRENDING_MIN_POSTS = 3
TRENDING_TOP = 10

_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_HANDLE_MIN, _HANDLE_MAX = 3, 30


def is_tag_char(ch: str) -> bool:
    """Letters, digits (any script), combining marks (so Hindi or Thai words stay whole)
    and the underscore."""
    if ch == "_":
        return True
    return unicodedata.category(ch)[0] in ("L", "N", "M")


def extract_hashtags(text: str) -> tuple[str, ...]:
    """`#word` tags in order of first appearance, lower-cased, deduplicated, at most 10.

    A `#` counts only at the start or after a character that cannot be part of a tag
    (so `a#b` and URL fragments glued to words are not tags); a tag ends at the first
    character that is not a letter, digit, mark or underscore."""
    tags: list[str] = []
    seen: set[str] = set()
    n = len(text)
    i = 0
    while i < n and len(tags) < MAX_HASHTAGS:
        if text[i] == "#" and (i == 0 or not is_tag_char(text[i - 1])):
            j = i + 1
            while j < n and is_tag_char(text[j]):
                j += 1
            raw = text[i + 1 : j]
            if raw and not unicodedata.category(raw[0]).startswith("M"):
                tag = unicodedata.normalize("NFC", raw.lower())[:HASHTAG_MAX_LENGTH]
                if tag not in seen:
                    seen.add(tag)
                    tags.append(tag)
            i = max(j, i + 1)
        else:
            i += 1
    return tuple(tags)


def normalize_hashtag(raw: str) -> str | None:
    """A tag as given in a URL (`/hashtags/{tag}`), with or without `#`; None if invalid."""
    value = unicodedata.normalize("NFC", raw.strip().removeprefix("#")).lower()
    if not value or len(value) > HASHTAG_MAX_LENGTH or not all(is_tag_char(c) for c in value):
        return None
    return value


def extract_mention_handles(text: str) -> tuple[str, ...]:
    """`@handle` mentions (3-30 of a-z, 0-9, _; case-insensitive), deduplicated, at most 20.

    `@` must start the text or follow a character that cannot be part of a word, so email
    addresses are not mentions. Resolution to existing users is the use case's job."""
    handles: list[str] = []
    seen: set[str] = set()
    n = len(text)
    i = 0
    while i < n and len(handles) < MAX_MENTIONS:
        if text[i] == "@" and (i == 0 or not is_tag_char(text[i - 1])):
            j = i + 1
            while j < n and text[j].lower() in _HANDLE_CHARS and text[j].isascii():
                j += 1
            followed_by_word = j < n and is_tag_char(text[j])
            handle = text[i + 1 : j].lower()
            valid = _HANDLE_MIN <= len(handle) <= _HANDLE_MAX and not followed_by_word
            if valid and handle not in seen:
                seen.add(handle)
                handles.append(handle)
            i = max(j, i + 1)
        else:
            i += 1
    return tuple(handles)


def validate_media_urls(urls: Sequence[str]) -> tuple[str, ...]:
    """Up to 4 absolute https URLs with a host."""
    if len(urls) > MAX_MEDIA_URLS:
        raise InvalidMediaUrlError(
            f"at most {MAX_MEDIA_URLS} media URLs are allowed", field="media_urls"
        )
    out: list[str] = []
    for index, raw in enumerate(urls):
        url = raw.strip()
        field = f"media_urls[{index}]"
        if len(url) > MEDIA_URL_MAX_LENGTH or any(ch.isspace() for ch in url):
            raise InvalidMediaUrlError("the media URL is not valid", field=field)
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise InvalidMediaUrlError("the media URL is not valid", field=field) from exc
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise InvalidMediaUrlError("media URLs must be absolute https URLs", field=field)
        out.append(url)
    return tuple(out)


def diversify(
    ranked: Sequence[T],
    author_of: Callable[[T], Hashable],
    limit: int,
    max_per_author: int = MAX_POSTS_PER_AUTHOR_PER_PAGE,
) -> tuple[list[T], list[T]]:
    """Take the best `limit` items keeping at most `max_per_author` per author.

    Returns (page, rest): `rest` keeps every item not taken, in rank order, so the next
    page starts from it and nothing is lost or repeated."""
    page: list[T] = []
    rest: list[T] = []
    per_author: dict[Hashable, int] = {}
    for item in ranked:
        author = author_of(item)
        if len(page) < limit and per_author.get(author, 0) < max_per_author:
            per_author[author] = per_author.get(author, 0) + 1
            page.append(item)
        else:
            rest.append(item)
    return page, rest


def trending_score(post_count: int, first_used_at: datetime, now: datetime) -> float:
    """(count - 1) / (age_hours + 2) ** 1.5, age from the tag's first use in the window."""
    age_hours = max((now - first_used_at).total_seconds() / 3600.0, 0.0)
    return float((post_count - 1) / (age_hours + 2.0) ** 1.5)


@dataclass(frozen=True, slots=True)
class HashtagUsage:
    tag: str
    post_count: int
    first_used_at: datetime


@dataclass(frozen=True, slots=True)
class TrendingHashtag:
    tag: str
    post_count: int
    score: float


def rank_trending(
    usages: Iterable[HashtagUsage],
    now: datetime,
    *,
    min_posts: int = TRENDING_MIN_POSTS,
    top: int = TRENDING_TOP,
) -> list[TrendingHashtag]:
    """Tags used in at least `min_posts` posts in the window, best score first."""
    scored = [
        TrendingHashtag(u.tag, u.post_count, trending_score(u.post_count, u.first_used_at, now))
        for u in usages
        if u.post_count >= min_posts
    ]
    scored.sort(key=lambda t: (-t.score, -t.post_count, t.tag))
    return scored[:top]
