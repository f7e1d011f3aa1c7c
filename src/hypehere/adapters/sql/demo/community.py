"""The demo community: users with native and target languages (CEFR levels), a skewed
follow graph, posts over the last week in the author's native or target language with
hashtags from a shared pool, likes (with matching counters and engagement log rows).

Plain dicts with the tables' column names, from one seeded `random.Random`: the same seed
gives the same community (only the generated ids and the clock differ)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hypehere.domain.feed.rules import extract_hashtags
from hypehere.domain.shared.ids import new_id

DEMO_EMAIL = "demo{n}@example.com"
DEFAULT_PASSWORD = "demo-password-123"
LANGUAGES = ("ko", "en", "ja", "es", "zh", "fr", "de", "pt")
LANGUAGE_WEIGHTS = (30, 25, 15, 12, 6, 5, 4, 3)
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
HASHTAGS = (
    "kpop", "kdrama", "study", "grammar", "travel", "food", "music", "anime", "daily",
    "vocabulary", "pronunciation", "exchange", "seoul", "tokyo", "madrid", "coffee",
    "books", "movies", "weekend", "question", "공부", "한국어", "日本語", "español",
)  # fmt: skip
SENTENCES = {
    "ko": ["오늘은 한국어 공부를 했어요.", "같이 언어 교환하실 분 있나요?",
           "주말에 친구들이랑 카페에 갔어요.", "이 표현이 자연스러운지 알려주세요.",
           "요즘 드라마를 보면서 듣기 연습을 해요."],
    "en": ["Today I practiced my speaking for an hour.", "Can someone check my grammar please?",
           "I watched a great movie last night.", "Looking for a language exchange partner!",
           "What is the difference between these two words?"],
    "ja": ["今日は日本語を勉強しました。", "週末に友達と映画を見ました。", "この表現は自然ですか？",
           "言語交換のパートナーを探しています。", "最近、料理を始めました。"],
    "es": ["Hoy estudié español durante una hora.", "¿Alguien quiere practicar conmigo?",
           "El fin de semana fui a la playa.", "¿Esta frase suena natural?",
           "Estoy aprendiendo palabras nuevas cada día."],
    "zh": ["今天我学习了中文。", "有人想做语言交换吗？", "周末我去了咖啡店。", "这个表达自然吗？"],
    "fr": ["Aujourd'hui j'ai étudié le français.", "Quelqu'un veut pratiquer avec moi ?",
           "Ce week-end je suis allé au cinéma.", "Cette phrase est-elle naturelle ?"],
    "de": ["Heute habe ich Deutsch gelernt.", "Möchte jemand mit mir üben?",
           "Am Wochenende war ich im Kino.", "Klingt dieser Satz natürlich?"],
    "pt": ["Hoje eu estudei português.", "Alguém quer praticar comigo?",
           "No fim de semana fui à praia.", "Essa frase soa natural?"],
}  # fmt: skip


Rows = list[dict[str, Any]]


@dataclass
class DemoCommunity:
    users: Rows = field(default_factory=list)
    user_languages: Rows = field(default_factory=list)
    follows: Rows = field(default_factory=list)
    posts: Rows = field(default_factory=list)
    post_hashtags: Rows = field(default_factory=list)
    post_likes: Rows = field(default_factory=list)
    engagements: Rows = field(default_factory=list)


def _pick_language(rng: random.Random, exclude: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    while True:
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        if language not in exclude:
            return language


def generate_community(
    rng: random.Random, now: datetime, users: int, posts: int, password_hash: str
) -> DemoCommunity:
    """`users` accounts (`demo<N>@example.com`, all with `password_hash`) and `posts` posts."""
    user_rows: list[dict[str, Any]] = []
    language_rows: list[dict[str, Any]] = []
    natives: list[str] = []
    targets_of: list[tuple[str, ...]] = []
    for n in range(users):
        native = _pick_language(rng)
        targets: list[str] = []
        for _ in range(rng.choice((1, 1, 1, 2))):
            targets.append(_pick_language(rng, {native, *targets}))
        created = now - timedelta(days=rng.uniform(8, 365))
        user_rows.append(
            {
                "id": new_id(),
                "email": DEMO_EMAIL.format(n=n),
                "handle": f"demo{n}",
                "nickname": f"Demo {n}",
                "bio": "",
                "native_language": native,
                "interface_language": native if native in ("ko", "en", "ja", "es") else "en",
                "password_hash": password_hash,
                "role": "user",
                "state": "active",
                "show_followers_list": "everyone",
                "show_following_list": "everyone",
                "chat_policy": "everyone",
                "send_read_receipts": True,
                "follower_count": 0,
                "following_count": 0,
                "post_count": 0,
                "report_count": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
        natives.append(native)
        targets_of.append(tuple(targets))
        for position, language in enumerate(targets):
            language_rows.append(
                {
                    "user_id": user_rows[-1]["id"],
                    "language": language,
                    "level": rng.choice(LEVELS),
                    "position": position,
                }
            )
    ids = [u["id"] for u in user_rows]
    # Popularity is skewed: a few people have many followers.
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(users)]
    follow_pairs: set[tuple[int, int]] = set()
    for a in range(users):
        for b in rng.choices(range(users), popularity, k=min(users - 1, rng.randint(5, 30))):
            if a != b:
                follow_pairs.add((a, b))
    follow_rows = [
        {"follower_id": ids[a], "followee_id": ids[b], "created_at": now - timedelta(days=7)}
        for a, b in follow_pairs
    ]
    followers = [0] * users
    following = [0] * users
    for a, b in follow_pairs:
        following[a] += 1
        followers[b] += 1

    activity = [rng.paretovariate(1.2) for _ in range(users)]
    post_rows: list[dict[str, Any]] = []
    tag_rows: list[dict[str, Any]] = []
    like_rows: list[dict[str, Any]] = []
    engagement_rows: list[dict[str, Any]] = []
    post_counts = [0] * users
    authors = rng.choices(range(users), activity, k=posts)
    for author in authors:
        language = natives[author]
        if targets_of[author] and rng.random() < 0.35:
            language = rng.choice(targets_of[author])
        sentences = SENTENCES[language]
        body = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(1, 3))))
        tags = rng.sample(HASHTAGS, k=rng.choice((0, 1, 1, 2, 3)))
        content = body + "".join(f" #{t}" for t in tags)
        created = now - timedelta(hours=168 * rng.random() ** 2)
        post_id = new_id()
        hashtags = list(extract_hashtags(content))
        likers = {rng.randrange(users) for _ in range(min(int(rng.expovariate(0.6)), 40))} - {
            author
        }
        post_rows.append(
            {
                "id": post_id,
                "author_id": ids[author],
                "content": content,
                "language": language,
                "detected_language": language,
                "language_confidence": round(rng.uniform(0.6, 1.0), 3),
                "target_language": None,
                "hashtags": hashtags,
                "mentioned_user_ids": [],
                "mentions": [],
                "media_urls": ["https://picsum.photos/600"] if rng.random() < 0.15 else [],
                "like_count": len(likers),
                "comment_count": 0,
                "created_at": created,
                "edited_at": None,
                "removed_at": None,
                "removed_reason": None,
            }
        )
        post_counts[author] += 1
        for tag in hashtags:
            tag_rows.append({"post_id": post_id, "tag": tag, "created_at": created})
        for liker in likers:
            liked_at = created + timedelta(minutes=rng.uniform(1, 120))
            like_rows.append({"post_id": post_id, "user_id": ids[liker], "created_at": liked_at})
            engagement_rows.append(
                {
                    "id": new_id(),
                    "user_id": ids[liker],
                    "post_id": post_id,
                    "author_id": ids[author],
                    "kind": "like",
                    "occurred_at": liked_at,
                }
            )
    for i, row in enumerate(user_rows):
        row["follower_count"] = followers[i]
        row["following_count"] = following[i]
        row["post_count"] = post_counts[i]
    return DemoCommunity(
        users=user_rows,
        user_languages=language_rows,
        follows=follow_rows,
        posts=post_rows,
        post_hashtags=tag_rows,
        post_likes=like_rows,
        engagements=engagement_rows,
    )
