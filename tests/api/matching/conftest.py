"""The synchronous WebSocket test client of the chat tests, for the matching sockets."""

from tests.api.chat.conftest import ws_client

__all__ = ["ws_client"]
