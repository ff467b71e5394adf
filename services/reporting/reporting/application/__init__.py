"""Use cases: project a batch of deliveries, rebuild a generation, query a model."""
