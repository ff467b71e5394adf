"""Kafka adapters: the command topic of the enrollment service."""
