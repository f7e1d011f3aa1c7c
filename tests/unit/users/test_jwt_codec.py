"""The JWT access-token codec: the session id travels in `sid`, and the issue time keeps
microseconds, so a token issued just after a password change (same second) stays valid
while one issued just before it does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from hypehere.adapters.crypto.jwt_codec import JwtAccessTokenCodec
from hypehere.domain.users.errors import InvalidAccessTokenError

pytestmark = pytest.mark.unit

SECRET = "a-test-secret-of-more-than-32-bytes-0123456789"
NOW = datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=UTC)


def test_session_id_and_issue_time_round_trip() -> None:
    codec = JwtAccessTokenCodec(SECRET, 900)
    claims = codec.decode(codec.issue("u1", "member", NOW, session_id="fam-1").token, NOW)
    assert (claims.user_id, claims.session_id) == ("u1", "fam-1")
    assert claims.issued_at == NOW
    assert claims.expires_at == (NOW + timedelta(seconds=900)).replace(microsecond=0)
    without = codec.decode(codec.issue("u1", "member", NOW).token, NOW)
    assert without.session_id is None


def test_tokens_issued_within_one_second_are_ordered() -> None:
    codec = JwtAccessTokenCodec(SECRET, 900)
    before = codec.decode(codec.issue("u1", "member", NOW).token, NOW)
    after = NOW + timedelta(microseconds=1)
    later = codec.decode(codec.issue("u1", "member", after).token, after)
    assert before.issued_at < after <= later.issued_at


@pytest.mark.parametrize(
    "extra",
    [{"sid": 5}, {"iat": True}, {"iat": 1e300}, {"iat": "yesterday"}],
)
def test_malformed_claims_are_an_invalid_token(extra: dict[str, object]) -> None:
    claims = {"sub": "u1", "role": "member", "jti": "j", "iat": 1, "exp": 4102444800, **extra}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(InvalidAccessTokenError):
        JwtAccessTokenCodec(SECRET, 900).decode(token, NOW)


def test_a_remembered_token_still_expires_and_is_not_valid_before_its_time() -> None:
    codec = JwtAccessTokenCodec(SECRET, 900)
    token = codec.issue("u1", "user", NOW).token
    assert codec.decode(token, NOW).user_id == "u1"  # verified once, now remembered
    with pytest.raises(InvalidAccessTokenError, match="expired"):
        codec.decode(token, NOW + timedelta(seconds=901))
    with pytest.raises(InvalidAccessTokenError, match="not valid yet"):
        codec.decode(token, NOW - timedelta(seconds=61))
    assert codec.decode(token, NOW + timedelta(seconds=899)).user_id == "u1"


def test_a_token_signed_with_another_secret_is_refused_even_after_a_good_one() -> None:
    codec = JwtAccessTokenCodec(SECRET, 900)
    good = codec.issue("u1", "user", NOW).token
    codec.decode(good, NOW)
    forged = JwtAccessTokenCodec("another-secret-of-more-than-32-bytes-xyz", 900)
    with pytest.raises(InvalidAccessTokenError):
        codec.decode(forged.issue("u1", "admin", NOW).token, NOW)
    with pytest.raises(InvalidAccessTokenError):  # a refused token is never remembered
        codec.decode(forged.issue("u1", "admin", NOW).token, NOW)


def test_the_remembered_tokens_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from hypehere.adapters.crypto import jwt_codec

    monkeypatch.setattr(jwt_codec, "VERIFIED_CACHE_SIZE", 3)
    codec = JwtAccessTokenCodec(SECRET, 900)
    tokens = [codec.issue(f"u{i}", "user", NOW).token for i in range(5)]
    for token in tokens:
        codec.decode(token, NOW)
    assert list(codec._verified) == tokens[2:]
    assert [codec.decode(t, NOW).user_id for t in tokens] == [f"u{i}" for i in range(5)]


def test_an_out_of_range_expiry_is_refused_not_an_error() -> None:
    token = jwt.encode(
        {"sub": "u1", "jti": "j", "iat": NOW.timestamp(), "exp": 10**20}, SECRET, "HS256"
    )
    with pytest.raises(InvalidAccessTokenError):
        JwtAccessTokenCodec(SECRET, 900).decode(token, NOW)
