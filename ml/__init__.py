"""Offline ranker pipeline: synthetic data (`ml.synthetic`), training (`ml.train`),
evaluation (`ml.evaluate`), the promotion gate and model pointer (`ml.registry`); see
`ml/MODEL_CARD.md`.

Imports only `hypehere.domain` from the service (the shared feature spec); the service never
imports this package and runs it as `python -m ml.train` (import-linter contracts)."""
