"""SQL adapters of the feed module (Postgres and SQLite)."""
