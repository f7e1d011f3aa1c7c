"""Use cases of the users module."""
