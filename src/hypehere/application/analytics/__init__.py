"""Use cases of the analytics module."""
