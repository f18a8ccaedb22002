"""Per-store stock: the append-only movement ledger, lots with expiry, and the cached balances."""
