"""HS256 JWT access tokens: claims sub, exp, iat, jti, role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from hypehere.application.users.ports import AccessClaims, IssuedAccessToken
from hypehere.domain.shared.ids import new_id
from hypehere.domain.users.errors import InvalidAccessTokenError

ALGORITHM = "HS256"
CLOCK_SKEW = timedelta(seconds=60)


class JwtAccessTokenCodec:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = ttl_seconds

    def issue(self, user_id: str, role: str, now: datetime) -> IssuedAccessToken:
        claims = {
            "sub": user_id,
            "role": role,
            "jti": new_id(),
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self._ttl)).timestamp()),
        }
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedAccessToken(token=token, expires_in=self._ttl)

    def decode(self, token: str, now: datetime) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={
                    "require": ["sub", "exp", "iat", "jti"],
                    # exp and iat are checked below against the injected clock
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidAccessTokenError("The access token is not valid") from exc
        exp, iat, sub = claims.get("exp"), claims.get("iat"), claims.get("sub")
        if not isinstance(exp, int) or not isinstance(iat, int) or not isinstance(sub, str):
            raise InvalidAccessTokenError("The access token is not valid")
        expires_at = datetime.fromtimestamp(exp, UTC)
        if expires_at <= now:
            raise InvalidAccessTokenError("The access token has expired")
        issued_at = datetime.fromtimestamp(iat, UTC)
        if issued_at > now + CLOCK_SKEW:
            raise InvalidAccessTokenError("The access token is not valid yet")
        return AccessClaims(
            user_id=sub,
            role=str(claims.get("role", "member")),
            jti=str(claims["jti"]),
            issued_at=issued_at,
            expires_at=expires_at,
        )
