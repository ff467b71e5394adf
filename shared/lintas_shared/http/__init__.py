"""HTTP helpers shared by the services: problem responses and command headers."""
