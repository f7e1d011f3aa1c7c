"""The outbox (platform): its tables (private), the dispatcher's store, and the writer
every module stages its events with inside its own transaction."""
