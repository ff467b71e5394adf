"""Pure, synchronous certification domain: no I/O, no settings, no clocks of its own."""
