"""Use cases of the matching module."""
