"""What the HTTP and WebSocket entry points share (they never import each other): token
extraction, the one error table, and the public schemas both send."""
