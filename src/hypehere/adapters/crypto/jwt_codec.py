"""HS256 JWT access tokens: claims sub, exp, iat, jti, role, sid.

`iat` keeps microseconds (a NumericDate may be fractional, RFC 7519 section 2): a token
issued in the same second as a password change, but after it, must stay valid while one
issued before it is refused. `sid` is the session (refresh-token family) id."""

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

    def issue(
        self, user_id: str, role: str, now: datetime, session_id: str | None = None
    ) -> IssuedAccessToken:
        claims: dict[str, object] = {
            "sub": user_id,
            "role": role,
            "jti": new_id(),
            "iat": now.timestamp(),
            "exp": int((now + timedelta(seconds=self._ttl)).timestamp()),
        }
        if session_id is not None:
            claims["sid"] = session_id
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
        sid = claims.get("sid")
        if (
            not isinstance(exp, int)
            or isinstance(iat, bool)
            or not isinstance(iat, int | float)
            or not isinstance(sub, str)
            or not (sid is None or isinstance(sid, str))
        ):
            raise InvalidAccessTokenError("The access token is not valid")
        expires_at = datetime.fromtimestamp(exp, UTC)
        if expires_at <= now:
            raise InvalidAccessTokenError("The access token has expired")
        try:
            issued_at = datetime.fromtimestamp(iat, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidAccessTokenError("The access token is not valid") from exc
        if issued_at > now + CLOCK_SKEW:
            raise InvalidAccessTokenError("The access token is not valid yet")
        return AccessClaims(
            user_id=sub,
            role=str(claims.get("role", "user")),
            jti=str(claims["jti"]),
            issued_at=issued_at,
            expires_at=expires_at,
            session_id=sid,
        )
