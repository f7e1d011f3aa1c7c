"""The matching domain module."""
