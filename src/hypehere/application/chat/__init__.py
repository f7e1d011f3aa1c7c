"""Use cases of the chat module."""
