"""The analytics domain module."""
