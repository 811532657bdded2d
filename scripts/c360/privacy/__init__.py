"""Privacy: the hashing key, the erasure ledger, and how a refresh applies erasures."""
