"""Lintas local infrastructure: real Kafka and PostgreSQL, and the up/down/status CLI."""
