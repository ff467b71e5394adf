"""Use cases of the certification service, one module each: load, decide in the domain, append."""
