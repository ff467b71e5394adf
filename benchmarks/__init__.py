"""Lintas benchmark suite: kernel and service throughput against same-run raw baselines."""
