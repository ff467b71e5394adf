"""Pure projection rules and the read-model catalogue (no I/O)."""
