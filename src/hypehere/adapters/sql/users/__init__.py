"""SQL adapters of the users module."""
