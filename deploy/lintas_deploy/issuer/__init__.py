"""Local OpenID Connect issuer for development and tests (one per ministry)."""
