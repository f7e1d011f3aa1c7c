"""Input validators backed by libraries (email-validator)."""
