"""Synthetic interaction generator for the feed ranker.

Simulates a small HypeHere: users with a native language and 1-2 target languages at CEFR
levels, a follow graph that prefers native speakers of one's target languages and popular
authors, posts (mostly in the author's native language, sometimes learners writing in their
target language), and feed sessions: a viewer at time T is shown candidates from the last
72 hours and engages (likes/comments) with probability

    sigmoid(base + recency + language fit (rises with the viewer's level) + closeness to the
            author + follows + latent post quality + media + length (peaks near 140 chars)
            + native-speaker/helper bonuses + trending)

Latent quality is observed only through the like/comment counts and closeness only through
the affinity count, so the features are informative but not the truth: the task is learnable
and not trivial. Everything is drawn from one seeded numpy Generator: same config, same data.

The rows carry the same `CandidateSignals` that serving builds, so training goes through the
shared feature spec (`hypehere.domain.feed.features`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hypehere.domain.feed.features import CandidateSignals

LANGUAGES = ("ko", "en", "ja", "es", "zh", "fr")
LANGUAGE_WEIGHTS = (0.30, 0.25, 0.15, 0.15, 0.10, 0.05)
HORIZON_HOURS = 14 * 24.0
CANDIDATE_WINDOW_HOURS = 72.0


@dataclass(frozen=True, slots=True)
class SyntheticConfig:
    users: int = 2000
    posts: int = 20000
    sessions: int = 6000
    candidates_per_session: int = 30
    seed: int = 7


@dataclass(frozen=True, slots=True)
class SyntheticUser:
    id: str
    native: str
    targets: tuple[str, ...]
    levels: tuple[int, ...]  # CEFR rank 0 (A1) .. 5 (C2), one per target


@dataclass(frozen=True, slots=True)
class Impression:
    session_id: str
    user_id: str
    post_id: str
    position: int
    shown_at_hours: float
    signals: CandidateSignals
    label: int
    probability: float  # the simulator's true engagement probability (for diagnostics)


@dataclass(frozen=True, slots=True)
class SyntheticDataset:
    users: tuple[SyntheticUser, ...]
    impressions: tuple[Impression, ...]

    @property
    def positive_rate(self) -> float:
        if not self.impressions:
            return 0.0
        return sum(i.label for i in self.impressions) / len(self.impressions)


def generate(config: SyntheticConfig | None = None) -> SyntheticDataset:
    """A deterministic synthetic dataset (same config -> same impressions)."""
    cfg = config or SyntheticConfig()
    rng = np.random.default_rng(cfg.seed)
    n_users = cfg.users
    lang_p = np.asarray(LANGUAGE_WEIGHTS) / sum(LANGUAGE_WEIGHTS)

    # --- users: native language, 1-2 other target languages with levels
    natives = rng.choice(len(LANGUAGES), size=n_users, p=lang_p)
    users: list[SyntheticUser] = []
    targets_of: list[tuple[int, ...]] = []
    for u in range(n_users):
        k = 1 if rng.random() < 0.7 else 2
        p = lang_p.copy()
        p[natives[u]] = 0.0
        p /= p.sum()
        chosen = tuple(int(x) for x in rng.choice(len(LANGUAGES), size=k, replace=False, p=p))
        levels = tuple(int(x) for x in rng.integers(0, 6, size=k))
        targets_of.append(chosen)
        users.append(
            SyntheticUser(
                id=f"u{u}",
                native=LANGUAGES[natives[u]],
                targets=tuple(LANGUAGES[t] for t in chosen),
                levels=levels,
            )
        )
    # target membership matrix: learns[u, lang]
    learns = np.zeros((n_users, len(LANGUAGES)), dtype=bool)
    for u, ts in enumerate(targets_of):
        learns[u, list(ts)] = True

    # --- follow graph: popular authors and native speakers of my targets are followed more
    popularity = rng.lognormal(0.0, 1.0, size=n_users)
    follows = np.zeros((n_users, n_users), dtype=bool)
    for u in range(n_users):
        weight = popularity.copy()
        weight *= np.where(learns[u, natives], 3.0, 1.0)  # author is native in my target
        weight *= np.where(learns[:, natives[u]], 2.0, 1.0)  # author learns my language
        weight[u] = 0.0
        weight /= weight.sum()
        k = int(rng.integers(3, 30))
        follows[u, rng.choice(n_users, size=k, replace=False, p=weight)] = True
    followers = follows.sum(axis=0)
    author_quality = rng.normal(0.0, 0.5, size=n_users)

    # --- posts, sorted by creation time
    n_posts = cfg.posts
    activity = rng.lognormal(0.0, 0.8, size=n_users)
    post_author = rng.choice(n_users, size=n_posts, p=activity / activity.sum())
    created = np.sort(rng.uniform(0.0, HORIZON_HOURS, size=n_posts))
    post_lang = natives[post_author].copy()
    in_target = rng.random(n_posts) < 0.3  # learners practising their target language
    for idx in np.flatnonzero(in_target):
        post_lang[idx] = targets_of[post_author[idx]][0]
    has_media = rng.random(n_posts) < 0.3
    content_length = np.clip(rng.lognormal(math.log(140), 0.9, size=n_posts), 1, 2000).astype(int)
    quality = author_quality[post_author] + rng.normal(0.0, 1.0, size=n_posts)
    trending_tag = rng.random(n_posts) < 0.05

    closeness: dict[tuple[int, int], tuple[float, int]] = {}

    def pair(u: int, a: int) -> tuple[float, int]:
        """Latent closeness of viewer u to author a and its observable proxy (affinity)."""
        if (u, a) not in closeness:
            c = float(rng.gamma(2.0, 1.0) if follows[u, a] else rng.gamma(0.3, 1.0))
            closeness[(u, a)] = (c, int(rng.poisson(2.0 * c)))
        return closeness[(u, a)]

    level_of = np.full((n_users, len(LANGUAGES)), -1, dtype=np.int64)
    for u, user in enumerate(users):
        for t, level in zip(targets_of[u], user.levels, strict=True):
            level_of[u, t] = level
    # (author, time)-sorted keys: posts of author a in [t0, t1) by one vectorized searchsorted
    by_author = np.sort(post_author * 1000.0 + created)

    impressions: list[Impression] = []
    for s in range(cfg.sessions):
        u = int(rng.integers(0, n_users))
        now = float(rng.uniform(CANDIDATE_WINDOW_HOURS, HORIZON_HOURS))
        lo, hi = np.searchsorted(created, [now - CANDIDATE_WINDOW_HOURS, now])
        window = np.arange(lo, hi)
        window = window[post_author[window] != u]
        if window.size == 0:
            continue
        # candidate mix: followed authors, my languages, anything
        relevant = follows[u, post_author[window]] | learns[u, post_lang[window]]
        relevant |= post_lang[window] == natives[u]
        weight = np.where(relevant, 4.0, 1.0)
        size = min(cfg.candidates_per_session, window.size)
        c = rng.choice(window, size=size, replace=False, p=weight / weight.sum())
        rng.shuffle(c)  # shown in random order: no position bias to untangle

        a = post_author[c]
        age = now - created[c]
        like_rate = 0.08 * (followers[a] + 5) * np.exp(0.8 * quality[c]) * (1 - np.exp(-age / 12))
        likes = rng.poisson(like_rate)
        comments = rng.poisson(0.25 * like_rate)
        pairs = [pair(u, int(x)) for x in a]
        close = np.array([p[0] for p in pairs])
        affinity = [p[1] for p in pairs]
        recent = np.searchsorted(by_author, a * 1000.0 + now) - np.searchsorted(
            by_author, a * 1000.0 + now - 168.0
        )
        trending = trending_tag[c] & (age < 24.0)
        followed = follows[u, a]
        native_of_target = learns[u, natives[a]]
        learns_native = learns[a, natives[u]]
        lang = post_lang[c]
        level = level_of[u, lang]
        is_native = lang == natives[u]

        logit = -4.4 + 2.0 * np.exp(-age / 18.0)
        # language fit: the better I read a target language, the more I engage
        logit += np.where(level >= 0, 0.9 + 0.2 * level, np.where(is_native, 0.5, -1.5))
        logit += 0.8 * np.log1p(3.0 * close)
        logit += 0.5 * followed
        logit += 0.9 * quality[c]
        logit += 0.3 * has_media[c]
        logit -= 0.5 * (np.log(content_length[c]) - math.log(140.0)) ** 2
        logit += 0.4 * native_of_target
        logit += 0.6 * (learns_native & is_native)  # a learner of my language: I can help
        logit += 0.3 * trending
        prob = 1.0 / (1.0 + np.exp(-logit))
        labels = rng.random(size) < prob

        user = users[u]
        for pos in range(size):
            post = int(c[pos])
            impressions.append(
                Impression(
                    session_id=f"s{s}",
                    user_id=user.id,
                    post_id=f"p{post}",
                    position=pos,
                    shown_at_hours=now,
                    signals=CandidateSignals(
                        post_id=f"p{post}",
                        author_id=f"u{int(a[pos])}",
                        age_hours=float(age[pos]),
                        like_count=int(likes[pos]),
                        comment_count=int(comments[pos]),
                        author_follower_count=int(followers[a[pos]]),
                        affinity=float(affinity[pos]),
                        post_language=LANGUAGES[int(lang[pos])],
                        viewer_native_language=user.native,
                        viewer_target_languages=user.targets,
                        is_followed_author=bool(followed[pos]),
                        has_media=bool(has_media[post]),
                        content_length=int(content_length[post]),
                        author_posts_last_7d=int(recent[pos]),
                        is_trending=bool(trending[pos]),
                        author_is_native_of_viewer_target=bool(native_of_target[pos]),
                        author_learns_viewer_native=bool(learns_native[pos]),
                    ),
                    label=int(labels[pos]),
                    probability=float(prob[pos]),
                )
            )
    return SyntheticDataset(users=tuple(users), impressions=tuple(impressions))
