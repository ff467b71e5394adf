"""Lintas reporting service: cross-agency read models projected from the event topics."""
