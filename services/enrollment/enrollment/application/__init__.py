"""Use cases of the enrollment service, one module each, run through the command executor."""
