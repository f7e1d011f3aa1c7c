"""The moderation domain module."""
