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
