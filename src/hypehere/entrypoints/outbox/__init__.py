"""The outbox dispatcher: drives outbox handlers (a driving adapter, like HTTP and jobs)."""
