"""Adapters: PostgreSQL generations and fact writes, model queries, Kafka replay."""
