"""SQL adapters of the search module: its tables (private; the SQL full-text index in
`adapters/search/sql.py` owns them) and the read side over posts and users."""
