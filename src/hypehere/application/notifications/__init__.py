"""Use cases of the notifications module."""
