"""SQL adapters of the chat module: tables (private), repositories, readers, the users
lookups chat needs (`peers`, over the users module's published queries) and the write
paths of a message (`send_paths`, `pg_writer`; the provider picks one)."""
