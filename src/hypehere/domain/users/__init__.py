"""The users domain module."""
