"""HTTP API of the certification service (FastAPI)."""
