"""Analytics adapters outside SQL and Redis (the Claude day summarizer)."""
