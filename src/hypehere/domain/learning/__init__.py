"""The learning domain module."""
