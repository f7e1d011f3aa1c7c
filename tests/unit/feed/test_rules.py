"""Feed domain rules: hashtags and mentions (property tests), media URLs, diversity,
trending score, posts and comments."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hypehere.domain.feed.errors import ContentRemovedError, InvalidMediaUrlError, NotAuthorError
from hypehere.domain.feed.model import Comment, DetectedLanguage, Post, RemovalReason
from hypehere.domain.feed.rules import (
    MAX_HASHTAGS,
    HashtagUsage,
    diversify,
    extract_hashtags,
    extract_mention_handles,
    is_tag_char,
    normalize_hashtag,
    rank_trending,
    trending_score,
    validate_media_urls,
)
from hypehere.domain.shared.errors import InvalidInputError

pytestmark = pytest.mark.unit
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)

tag_chars = st.characters(categories=("Lu", "Ll", "Lo", "Nd"), exclude_characters="#@")
words = st.text(tag_chars, min_size=1, max_size=12)


def test_hashtags_any_script_lower_cased_deduplicated() -> None:
    text = "#Kpop 좋아요 #한국어_공부 #KPOP #日本語 #Español! #हिन्दी a#not #_ok #123"
    assert extract_hashtags(text) == (
        "kpop",
        "한국어_공부",
        "日本語",
        "español",
        "हिन्दी",
        "_ok",
        "123",
    )
    assert extract_hashtags("no tags # here ##double") == ("double",)
    assert extract_hashtags("https://x.com/page#anchor") == ()


def test_at_most_ten_hashtags() -> None:
    text = " ".join(f"#t{i}" for i in range(15))
    assert extract_hashtags(text) == tuple(f"t{i}" for i in range(MAX_HASHTAGS))


@given(st.lists(words, min_size=0, max_size=20), st.text(max_size=40))
def test_hashtag_properties(tags: list[str], noise: str) -> None:
    # Post content is NFC-normalized before extraction (clean_text), so are the tags here.
    text = unicodedata.normalize("NFC", noise + " " + " ".join("#" + t for t in tags))
    found = extract_hashtags(text)
    assert len(found) <= MAX_HASHTAGS
    assert len(set(found)) == len(found)
    for tag in found:
        assert tag == unicodedata.normalize("NFC", tag.lower())
        assert tag and all(is_tag_char(c) for c in tag)
    if "#" not in noise:
        expected = dict.fromkeys(unicodedata.normalize("NFC", t).lower() for t in tags)
        assert list(found) == [unicodedata.normalize("NFC", t) for t in expected][:MAX_HASHTAGS]


@given(st.text(max_size=200))
def test_hashtag_extraction_never_fails_and_tags_normalize_to_themselves(text: str) -> None:
    for tag in extract_hashtags(text):
        assert normalize_hashtag(tag) == tag
        assert normalize_hashtag("#" + tag.upper()) in (tag, normalize_hashtag(tag.upper()))


def test_mentions() -> None:
    text = (
        "hi @Alice_1 and @bob, mail me at x@example.com, @al @alice_1 "
        "@way_too_long_handle_over_thirty_chars"
    )
    assert extract_mention_handles(text) == ("alice_1", "bob")


@given(
    st.lists(st.from_regex(r"[a-z0-9_]{3,30}", fullmatch=True), max_size=25), st.text(max_size=30)
)
def test_mention_properties(handles: list[str], noise: str) -> None:
    text = noise + " " + " ".join("@" + h for h in handles)
    found = extract_mention_handles(text)
    assert len(found) <= 20 and len(set(found)) == len(found)
    for handle in found:
        assert 3 <= len(handle) <= 30 and handle == handle.lower()
        assert "@" + handle in text.lower()
    if "@" not in noise:
        assert list(found) == list(dict.fromkeys(handles))[:20]


def test_media_urls() -> None:
    assert validate_media_urls(["https://a.example/x.png"]) == ("https://a.example/x.png",)
    for bad in (
        ["http://a.example/x.png"],
        ["https:///nohost"],
        ["javascript:alert(1)"],
        ["https://a b"],
    ):
        with pytest.raises(InvalidMediaUrlError):
            validate_media_urls(bad)
    with pytest.raises(InvalidMediaUrlError) as info:
        validate_media_urls([f"https://a.example/{i}" for i in range(5)])
    assert info.value.field == "media_urls"


@given(
    st.lists(st.sampled_from("abcdef"), max_size=60),
    st.integers(min_value=1, max_value=25),
)
def test_diversify_caps_authors_and_loses_nothing(authors: list[str], limit: int) -> None:
    items = list(enumerate(authors))
    page, rest = diversify(items, lambda i: i[1], limit)
    assert len(page) <= limit
    counts: dict[str, int] = {}
    for _, author in page:
        counts[author] = counts.get(author, 0) + 1
    assert all(n <= 3 for n in counts.values())
    assert sorted(page + rest) == items
    assert [i for i in items if i in rest] == rest  # rank order kept
    assert page == sorted(page)


def test_trending_score_and_ranking() -> None:
    assert trending_score(3, NOW - timedelta(hours=2), NOW) == pytest.approx(2 / 4**1.5)
    usages = [
        HashtagUsage("old", 10, NOW - timedelta(hours=20)),
        HashtagUsage("fresh", 4, NOW - timedelta(hours=1)),
        HashtagUsage("rare", 2, NOW),
    ]
    ranked = rank_trending(usages, NOW)
    assert [t.tag for t in ranked] == ["fresh", "old"]
    assert ranked[0].score == pytest.approx(3 / 3**1.5)
    many = [HashtagUsage(f"t{i}", 3 + i, NOW) for i in range(15)]
    assert len(rank_trending(many, NOW)) == 10


def _post(author: str = "a") -> Post:
    return Post.write(
        author_id=author,
        content="  hello #World  ",
        language="en",
        detection=DetectedLanguage("en", 0.9),
        target_language=None,
        mentions=(),
        media_urls=(),
        now=NOW,
    )


def test_post_edit_history_removal_and_comments() -> None:
    post = _post()
    assert post.content == "hello #World" and post.hashtags == ("world",)
    with pytest.raises(NotAuthorError):
        post.edit(editor_id="b", now=NOW, content="hijack")
    assert post.edit(editor_id="a", now=NOW, content="hello #World") is None  # same text
    record = post.edit(editor_id="a", now=NOW + timedelta(minutes=1), content="new #Text")
    assert record is not None and record.previous_content == "hello #World"
    assert post.hashtags == ("text",) and post.edited_at == NOW + timedelta(minutes=1)
    with pytest.raises(InvalidInputError):
        post.edit(editor_id="a", now=NOW, content="x" * 2001)
    assert post.remove_by_moderation(NOW, RemovalReason.REPORT) is True
    assert post.remove_by_moderation(NOW, RemovalReason.REPORT) is False
    with pytest.raises(ContentRemovedError):
        post.edit(editor_id="a", now=NOW, content="sneaky")
    with pytest.raises(ContentRemovedError):
        Comment.write(post=post, author_id="b", content="hi", mentions=(), now=NOW)
    comment = Comment.write(post=_post(), author_id="b", content=" hi ", mentions=(), now=NOW)
    assert comment.content == "hi"
    comment.ensure_can_delete("b", "a")
    comment.ensure_can_delete("a", "a")
    with pytest.raises(NotAuthorError):
        comment.ensure_can_delete("c", "a")
    with pytest.raises(InvalidInputError):
        Comment.write(post=_post(), author_id="b", content="y" * 1001, mentions=(), now=NOW)
