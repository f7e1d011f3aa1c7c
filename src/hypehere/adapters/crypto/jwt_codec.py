"""HS256 JWT access tokens: claims sub, exp, iat, jti, role, sid.

`iat` keeps microseconds (a NumericDate may be fractional, RFC 7519 section 2): a token
issued in the same second as a password change, but after it, must stay valid while one
issued before it is refused. `sid` is the session (refresh-token family) id.

Verifying the signature is most of the cost of an authenticated request's own work (a
client sends the same token for minutes): tokens whose signature and claims checked out
are remembered (at most `VERIFIED_CACHE_SIZE`, oldest dropped first) and only their times
are checked again against `now`. A token is the cache key, so nothing is remembered that
the signature did not vouch for; revocation is the account-status cache's business, as
before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from hypehere.application.users.ports import AccessClaims, IssuedAccessToken
from hypehere.domain.shared.ids import new_id
from hypehere.domain.users.errors import InvalidAccessTokenError

ALGORITHM = "HS256"
CLOCK_SKEW = timedelta(seconds=60)
VERIFIED_CACHE_SIZE = 10_000


class JwtAccessTokenCodec:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = ttl_seconds
        self._verified: dict[str, AccessClaims] = {}

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
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify(token)
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                del self._verified[next(iter(self._verified))]
            self._verified[token] = claims
        if claims.expires_at <= now:
            raise InvalidAccessTokenError("The access token has expired")
        if claims.issued_at > now + CLOCK_SKEW:
            raise InvalidAccessTokenError("The access token is not valid yet")
        return claims

    def _verify(self, token: str) -> AccessClaims:
        """The signature and the claims' shape (the times are checked by `decode`)."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={
                    "require": ["sub", "exp", "iat", "jti"],
                    # exp and iat are checked by `decode` against the injected clock
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
        try:
            expires_at = datetime.fromtimestamp(exp, UTC)
            issued_at = datetime.fromtimestamp(iat, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise InvalidAccessTokenError("The access token is not valid") from exc
        return AccessClaims(
            user_id=sub,
            role=str(claims.get("role", "user")),
            jti=str(claims["jti"]),
            issued_at=issued_at,
            expires_at=expires_at,
            session_id=sid,
        )
