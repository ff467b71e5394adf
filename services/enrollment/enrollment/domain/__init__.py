"""Pure, synchronous enrollment domain: aggregates, validators and the rules they enforce."""
