"""In-memory twins of the query adapters, folded from the in-memory event store."""
