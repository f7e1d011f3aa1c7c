"""Batch feature extraction: all candidates -> one float32 matrix in one vectorized pass.

Mirrors `hypehere.domain.feed.features.feature_vector` column for column (a property test
holds them equal). Python touches each candidate once to pull its raw attributes out of the
dataclass; every feature is then computed on whole columns by numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from hypehere.domain.feed.features import (
    COMMENT_WEIGHT,
    ENGAGEMENT_RATE_CAP,
    ENGAGEMENT_RATE_FOLLOWER_PRIOR,
    FEATURE_COUNT,
    FEATURE_INDEX,
    LANGUAGE_FIT_NATIVE,
    LANGUAGE_FIT_TARGET,
    RECENCY_HALF_LIFE_HOURS,
    CandidateSignals,
)

FloatMatrix = npt.NDArray[np.float32]

# The numeric raw attributes, pulled out in one attrgetter call per candidate.
_NUMERIC = (
    "age_hours",
    "like_count",
    "comment_count",
    "author_follower_count",
    "affinity",
    "content_length",
    "author_posts_last_7d",
    "is_followed_author",
    "has_media",
    "is_trending",
    "author_is_native_of_viewer_target",
    "author_learns_viewer_native",
)
_raw = attrgetter(*_NUMERIC)
(
    _AGE,
    _LIKES,
    _COMMENTS,
    _FOLLOWERS,
    _AFFINITY,
    _LENGTH,
    _ACTIVITY,
    _FOLLOWED,
    _MEDIA,
    _TRENDING,
    _AUTHOR_NATIVE_OF_TARGET,
    _AUTHOR_LEARNS_NATIVE,
) = range(len(_NUMERIC))
_LN2_OVER_HALF_LIFE = math.log(2.0) / RECENCY_HALF_LIFE_HOURS


def extract_features(candidates: Sequence[CandidateSignals]) -> FloatMatrix:
    """Feature matrix of shape (len(candidates), FEATURE_COUNT), dtype float32."""
    n = len(candidates)
    out = np.empty((n, FEATURE_COUNT), dtype=np.float32)
    if n == 0:
        return out
    raw = np.array([_raw(c) for c in candidates], dtype=np.float64)
    post_lang = np.array([c.post_language for c in candidates], dtype=object)
    native = np.array([c.viewer_native_language for c in candidates], dtype=object)
    is_target = _in_targets(post_lang, [c.viewer_target_languages for c in candidates])

    likes = np.maximum(raw[:, _LIKES], 0.0)
    comments = np.maximum(raw[:, _COMMENTS], 0.0)
    followers = np.maximum(raw[:, _FOLLOWERS], 0.0)
    engagement = likes + COMMENT_WEIGHT * comments
    is_native = post_lang == native
    fit = np.where(is_target, LANGUAGE_FIT_TARGET, np.where(is_native, LANGUAGE_FIT_NATIVE, 0.0))

    col = FEATURE_INDEX
    out[:, col["recency"]] = np.exp(-_LN2_OVER_HALF_LIFE * np.maximum(raw[:, _AGE], 0.0))
    out[:, col["log_engagement"]] = np.log1p(engagement)
    out[:, col["log_comments"]] = np.log1p(comments)
    out[:, col["engagement_rate"]] = np.minimum(
        engagement / (followers + ENGAGEMENT_RATE_FOLLOWER_PRIOR), ENGAGEMENT_RATE_CAP
    )
    out[:, col["log_author_followers"]] = np.log1p(followers)
    out[:, col["log_affinity"]] = np.log1p(np.maximum(raw[:, _AFFINITY], 0.0))
    out[:, col["is_followed_author"]] = raw[:, _FOLLOWED]
    out[:, col["lang_is_target"]] = is_target
    out[:, col["lang_is_native"]] = is_native
    out[:, col["language_fit"]] = fit
    out[:, col["author_native_of_target"]] = raw[:, _AUTHOR_NATIVE_OF_TARGET]
    out[:, col["author_learns_native"]] = raw[:, _AUTHOR_LEARNS_NATIVE]
    out[:, col["has_media"]] = raw[:, _MEDIA]
    out[:, col["log_content_length"]] = np.log1p(np.maximum(raw[:, _LENGTH], 0.0))
    out[:, col["author_activity"]] = np.log1p(np.maximum(raw[:, _ACTIVITY], 0.0))
    out[:, col["is_trending"]] = raw[:, _TRENDING]
    return out


def _in_targets(
    post_lang: npt.NDArray[np.object_], targets: list[tuple[str, ...]]
) -> npt.NDArray[np.bool_]:
    """Row-wise `post_lang[i] in targets[i]`."""
    distinct = set(targets)
    if len(distinct) == 1:  # the usual case: one viewer per batch
        only = next(iter(distinct))
        if not only:
            return np.zeros(len(post_lang), dtype=np.bool_)
        return np.isin(post_lang, np.array(only, dtype=object))
    width = max(1, max(len(t) for t in distinct))
    grid = np.full((len(targets), width), None, dtype=object)
    for i, t in enumerate(targets):  # ragged -> padded grid (a few strings per row)
        grid[i, : len(t)] = t
    hit: npt.NDArray[np.bool_] = (grid == post_lang[:, None]).any(axis=1)
    return hit
