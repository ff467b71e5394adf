"""PostgreSQL adapters: generations, fact writes and read-model queries."""
