"""The matching module's SQL: anonymous conversations (its own tables) and what it reads
about users (through the users module's published queries)."""
