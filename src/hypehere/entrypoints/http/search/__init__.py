"""`GET /search`."""
