"""What every WebSocket path shares, written for clients: served as the OpenAPI document's
description (OpenAPI cannot describe WebSocket paths themselves) and summarized in the
README."""

from __future__ import annotations

WEBSOCKETS_DESCRIPTION = """\
HypeHere's HTTP API (under `/api/v1`) and WebSockets (under `/ws/...`; frames are listed in
API.md "WebSockets").

## WebSockets: connection rules shared by every path

- **Authentication**: `Authorization: Bearer <access token>` or `?token=<access token>` on
  the handshake. A socket that is not allowed is accepted and then closed with **4401** (no,
  invalid or expired token) or **4403** (account suspended, banned or deleted; not a
  participant or member).
- **Heartbeat / liveness**: the server sends WebSocket *protocol* pings (every
  `HYPEHERE_WS_PING_INTERVAL_SECONDS`, default 20 s); browsers and WebSocket libraries
  answer them by themselves. A client that does not answer within
  `HYPEHERE_WS_PING_TIMEOUT_SECONDS` is dropped. A client never has to send anything to
  stay connected. A client may send `{"type": "ping"}` and gets `{"type": "pong"}`; the
  server never sends a JSON ping.
- **Token expiry**: a socket is closed with **4401** when its access token expires, unless
  the client sends `{"type": "auth", "token": "<fresh access token>"}` first (same user).
  The answer is `{"type": "auth_ok", "expires_at"}`; an invalid token or one of another
  user gets an error frame and a close with 4401 (4403 if the account may not act).
- **Live sessions**: logout (that session's sockets), password change, suspension, ban and
  deletion close the user's sockets on every server process (4401 or 4403). Every open
  socket also re-verifies its token and its membership (conversation participant, room
  member not kicked or banned) periodically (`HYPEHERE_WS_REVERIFY_SECONDS`).
- **Abuse limits**: client frames are rate limited per socket and per frame type
  (`message`, `typing`, `read`, every other type together). A frame over the limit is not
  handled and answered `{"type": "error", "code": "rate_limited", "message"}`; after
  `HYPEHERE_WS_RATE_LIMIT_STRIKES` such frames in a row the socket is closed with **1008**.
  Open sockets are capped per user and per client IP: one more is accepted and closed with
  **4429**. The handshake counts as one request of the HTTP rate-limit budget; over it the
  socket is closed with **4429**.
- Other close codes: **1001** server shutting down, **1009** frame over 64 KiB, **1011**
  internal error, **1013** client too slow to read its frames or service unavailable (try
  again later).
"""
