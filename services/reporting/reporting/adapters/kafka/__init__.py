"""Kafka adapters: bounded replay of the event topics for rebuilds."""
