"""Use cases of the learning module."""
