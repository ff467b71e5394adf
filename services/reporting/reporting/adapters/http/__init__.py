"""HTTP adapters: the query API, CSV export and the dashboard page."""
