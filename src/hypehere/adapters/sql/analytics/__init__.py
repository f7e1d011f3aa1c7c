"""Analytics tables (private to this package) and the counts read from other modules."""
