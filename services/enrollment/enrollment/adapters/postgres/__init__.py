"""PostgreSQL adapters: inline projection into the query tables and the queries on them."""
