"""Lintas event kernel shared by every service: contracts, envelope, store, outbox, inbox."""
