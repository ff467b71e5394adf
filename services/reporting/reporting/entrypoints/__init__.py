"""HTTP query API, dashboard and CLI."""
