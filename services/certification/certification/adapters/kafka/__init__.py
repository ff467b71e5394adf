"""Kafka adapters: the certification command topic."""
