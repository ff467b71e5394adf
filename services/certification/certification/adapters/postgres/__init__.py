"""PostgreSQL adapters: the enrollment view, the certificate projection, index and queries."""
