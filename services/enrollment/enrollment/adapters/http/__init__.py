"""HTTP API of the enrollment service (FastAPI)."""
