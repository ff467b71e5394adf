"""Adapters between the certification application and PostgreSQL, Kafka and HTTP."""
