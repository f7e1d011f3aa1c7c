"""The chat domain module."""
