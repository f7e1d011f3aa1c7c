"""Use cases of the moderation module."""
