"""The notifications domain module: kinds, grouping, per-user settings."""
