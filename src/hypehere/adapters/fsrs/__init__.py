"""Spaced repetition with the `fsrs` package (FSRS-6, the published algorithm)."""
