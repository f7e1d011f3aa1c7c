from __future__ import annotations

import pytest

from hypehere.application.common.views import UserCard
from hypehere.entrypoints.common.notification_texts import all_msgids, render_text
from hypehere.entrypoints.i18n import gettext

pytestmark = pytest.mark.unit

BOB = UserCard(id="b", handle="bob", nickname="Bob")
CAROL = UserCard(id="c", handle="carol", nickname="Carol")


@pytest.mark.parametrize("language", ["ko", "ja", "es"])
def test_every_text_is_translated(language: str) -> None:
    for msgid in all_msgids():
        assert gettext(language, msgid) != msgid, (language, msgid)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "Carol liked your post."),
        ("en", 2, "Carol and 1 other liked your post."),
        ("en", 5, "Carol and 4 others liked your post."),
        ("ko", 1, "Carol님이 회원님의 게시물을 좋아합니다."),
        ("ko", 5, "Carol님 외 4명이 회원님의 게시물을 좋아합니다."),
        ("ja", 3, "Carolさんと他2人があなたの投稿にいいねしました。"),
        ("es", 3, "A Carol y a 2 personas más les gustó tu publicación."),
    ],
)
def test_grouped_like_texts(language: str, count: int, expected: str) -> None:
    assert render_text(language, "like", "post", [CAROL, BOB], count) == expected


def test_texts_by_kind_and_target() -> None:
    assert render_text("en", "like", "comment", [BOB], 1) == "Bob liked your comment."
    assert render_text("en", "follow", "user", [BOB, CAROL], 2) == (
        "Bob and 1 other started following you."
    )
    assert render_text("en", "mention", "comment", [BOB], 1) == "Bob mentioned you in a comment."
    assert render_text("en", "mention", "post", [BOB], 1) == "Bob mentioned you in a post."
    assert render_text("en", "message", "message", [BOB], 1) == "Bob sent you a message."
    assert render_text("en", "post", "post", [BOB], 1) == "Bob published a new post."
    assert render_text("en", "comment", "comment", [BOB], 1) == "Bob commented on your post."
    assert render_text("en", "moderation", "post", [], 0) == "Your post was removed by moderation."
    assert render_text("ko", "moderation", "comment", [], 0) == (
        "회원님의 댓글이 운영 정책에 따라 삭제되었습니다."
    )
    assert (
        render_text("ko", "comment", "comment", [], 1)
        == "알 수 없는 사용자님이 회원님의 게시물에 댓글을 남겼습니다."
    )
