"""Ranking feature spec, shared by serving and training so the two cannot drift.

`CandidateSignals` holds the raw inputs for one (viewer, post) candidate, gathered by the
feed's candidate queries. `feature_vector` is the pure-Python reference that turns them into
the model's input row, in `FEATURE_NAMES` order. Serving uses a numpy batch version
(`hypehere.adapters.ranking.features`) that a property test holds equal to this reference;
the training pipeline (`ml/`) calls this reference directly.

The heuristic ranker's weights live here too (`HEURISTIC_WEIGHTS`), so the offline
evaluation in `ml/evaluate.py` and the serving fallback score with the same formula.

Pure stdlib: no numpy here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Recency: exp(-ln2 * age / half-life); a post loses half its freshness every 12 hours.
RECENCY_HALF_LIFE_HOURS = 12.0
# A comment is worth this many likes in the engagement count.
COMMENT_WEIGHT = 2.0
# Smoothing for the engagement rate, so a brand-new author with 0 followers is not infinite.
ENGAGEMENT_RATE_FOLLOWER_PRIOR = 10.0
# Engagement rate is capped: a 3-follower author with 30 likes is "very engaging", not 10x more.
ENGAGEMENT_RATE_CAP = 5.0


@dataclass(slots=True)
class CandidateSignals:
    """Raw inputs about one candidate post, as seen by one viewer at ranking time.

    Treat it as immutable. It is not `frozen` because a feed request builds ~500 of them
    and a frozen dataclass pays an `object.__setattr__` per field (2.6x slower to build).

    Counts are non-negative; `age_hours` is measured from the post's creation to "now" at
    ranking time (negative values, from clock skew, are treated as 0).
    """

    post_id: str
    author_id: str
    # Hours since the post was created.
    age_hours: float
    like_count: int
    comment_count: int
    # The author's follower count right now.
    author_follower_count: int
    # The viewer's past interactions with this author: likes on their posts + comments and
    # replies on their posts (real interactions, not a constant). 0 when none.
    affinity: float
    # ISO 639-1 code the post is written in (its stored `language`).
    post_language: str
    viewer_native_language: str
    viewer_target_languages: tuple[str, ...]
    is_followed_author: bool
    has_media: bool
    # Characters in the post's content.
    content_length: int
    # Posts the author published in the 7 days before ranking time.
    author_posts_last_7d: int
    # The post carries a hashtag currently in the trending top 10.
    is_trending: bool = False
    # The author's native language is one of the viewer's target languages.
    author_is_native_of_viewer_target: bool = False
    # The author learns the viewer's native language (the viewer can help them).
    author_learns_viewer_native: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (for impression logs that feed training)."""
        return {
            "post_id": self.post_id,
            "author_id": self.author_id,
            "age_hours": self.age_hours,
            "like_count": self.like_count,
            "comment_count": self.comment_count,
            "author_follower_count": self.author_follower_count,
            "affinity": self.affinity,
            "post_language": self.post_language,
            "viewer_native_language": self.viewer_native_language,
            "viewer_target_languages": list(self.viewer_target_languages),
            "is_followed_author": self.is_followed_author,
            "has_media": self.has_media,
            "content_length": self.content_length,
            "author_posts_last_7d": self.author_posts_last_7d,
            "is_trending": self.is_trending,
            "author_is_native_of_viewer_target": self.author_is_native_of_viewer_target,
            "author_learns_viewer_native": self.author_learns_viewer_native,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CandidateSignals:
        """Inverse of `to_dict`; missing optional flags default to False."""
        return cls(
            post_id=str(data["post_id"]),
            author_id=str(data["author_id"]),
            age_hours=float(data["age_hours"]),
            like_count=int(data["like_count"]),
            comment_count=int(data["comment_count"]),
            author_follower_count=int(data["author_follower_count"]),
            affinity=float(data["affinity"]),
            post_language=str(data["post_language"]),
            viewer_native_language=str(data["viewer_native_language"]),
            viewer_target_languages=tuple(str(x) for x in data["viewer_target_languages"]),
            is_followed_author=bool(data["is_followed_author"]),
            has_media=bool(data["has_media"]),
            content_length=int(data["content_length"]),
            author_posts_last_7d=int(data["author_posts_last_7d"]),
            is_trending=bool(data.get("is_trending", False)),
            author_is_native_of_viewer_target=bool(
                data.get("author_is_native_of_viewer_target", False)
            ),
            author_learns_viewer_native=bool(data.get("author_learns_viewer_native", False)),
        )


FEATURE_NAMES: tuple[str, ...] = (
    "recency",  # exp(-ln2 * max(age_hours, 0) / 12)
    "log_engagement",  # log1p(likes + 2 * comments)
    "log_comments",  # log1p(comments)
    "engagement_rate",  # min((likes + 2 * comments) / (followers + 10), 5)
    "log_author_followers",  # log1p(followers)
    "log_affinity",  # log1p(affinity)
    "is_followed_author",  # 0/1
    "lang_is_target",  # post language is one of the viewer's target languages
    "lang_is_native",  # post language is the viewer's native language
    "language_fit",  # 1 target, 0.5 native, 0 neither
    "author_native_of_target",  # 0/1
    "author_learns_native",  # 0/1
    "has_media",  # 0/1
    "log_content_length",  # log1p(characters)
    "author_activity",  # log1p(author posts in the last 7 days)
    "is_trending",  # 0/1
)
FEATURE_COUNT = len(FEATURE_NAMES)
FEATURE_INDEX: Mapping[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}

LANGUAGE_FIT_TARGET = 1.0
LANGUAGE_FIT_NATIVE = 0.5


def recency(age_hours: float) -> float:
    return math.exp(-math.log(2.0) * max(age_hours, 0.0) / RECENCY_HALF_LIFE_HOURS)


def engagement(like_count: int, comment_count: int) -> float:
    return float(like_count) + COMMENT_WEIGHT * float(comment_count)


def engagement_rate(like_count: int, comment_count: int, follower_count: int) -> float:
    rate = engagement(like_count, comment_count) / (
        float(follower_count) + ENGAGEMENT_RATE_FOLLOWER_PRIOR
    )
    return min(rate, ENGAGEMENT_RATE_CAP)


def _flag(value: bool) -> float:
    return 1.0 if value else 0.0


def feature_vector(signals: CandidateSignals) -> tuple[float, ...]:
    """The reference feature row for one candidate, in `FEATURE_NAMES` order."""
    s = signals
    is_target = s.post_language in s.viewer_target_languages
    is_native = s.post_language == s.viewer_native_language
    if is_target:
        fit = LANGUAGE_FIT_TARGET
    elif is_native:
        fit = LANGUAGE_FIT_NATIVE
    else:
        fit = 0.0
    likes = max(s.like_count, 0)
    comments = max(s.comment_count, 0)
    followers = max(s.author_follower_count, 0)
    return (
        recency(s.age_hours),
        math.log1p(engagement(likes, comments)),
        math.log1p(comments),
        engagement_rate(likes, comments, followers),
        math.log1p(followers),
        math.log1p(max(s.affinity, 0.0)),
        _flag(s.is_followed_author),
        _flag(is_target),
        _flag(is_native),
        fit,
        _flag(s.author_is_native_of_viewer_target),
        _flag(s.author_learns_viewer_native),
        _flag(s.has_media),
        math.log1p(max(s.content_length, 0)),
        math.log1p(max(s.author_posts_last_7d, 0)),
        _flag(s.is_trending),
    )


# Hand-set weights of the heuristic ranker (a linear score over the features). Fresh,
# engaged posts in a language the viewer learns, from authors they follow and talk to, first.
HEURISTIC_WEIGHTS: Mapping[str, float] = {
    "recency": 3.0,
    "log_engagement": 0.6,
    "log_comments": 0.2,
    "engagement_rate": 0.4,
    "log_author_followers": 0.05,
    "log_affinity": 0.8,
    "is_followed_author": 1.0,
    "lang_is_target": 1.0,
    "lang_is_native": 0.2,
    "language_fit": 1.0,
    "author_native_of_target": 0.5,
    "author_learns_native": 0.3,
    "has_media": 0.2,
    "log_content_length": 0.05,
    "author_activity": 0.1,
    "is_trending": 0.5,
}
HEURISTIC_WEIGHT_VECTOR: tuple[float, ...] = tuple(HEURISTIC_WEIGHTS[n] for n in FEATURE_NAMES)


def heuristic_score(signals: CandidateSignals) -> float:
    """Reference heuristic score for one candidate (the dot product with the weights)."""
    return math.fsum(
        w * x for w, x in zip(HEURISTIC_WEIGHT_VECTOR, feature_vector(signals), strict=True)
    )
