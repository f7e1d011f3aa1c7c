"""The feed domain module."""
