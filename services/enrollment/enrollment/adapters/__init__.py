"""Adapters between the enrollment application and PostgreSQL, Kafka and HTTP."""
