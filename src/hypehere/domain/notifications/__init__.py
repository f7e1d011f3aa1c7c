"""The notifications domain module."""
