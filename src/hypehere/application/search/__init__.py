"""Search use cases: query the index, keep it in step with posts and users."""
