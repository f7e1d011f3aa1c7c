"""`/matching/*` and `/anonymous-conversations/*` over HTTP."""
