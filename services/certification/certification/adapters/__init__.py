"""Adapters: PostgreSQL, Kafka, HTTP, clocks, and the in-memory twins of the ports."""
