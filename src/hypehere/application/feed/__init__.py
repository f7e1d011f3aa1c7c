"""Use cases of the feed module."""
