"""Search: what a searchable document is and when a query matches it."""
