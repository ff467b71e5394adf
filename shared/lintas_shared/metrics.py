"""Prometheus metrics the kernel keeps: relay throughput and backlog, consumer lag and errors."""

from prometheus_client import Counter, Gauge, Histogram

RELAY_PUBLISHED = Counter(
    "lintas_relay_published_total", "Events published from the outbox", ["service"]
)
RELAY_BACKLOG = Gauge(
    "lintas_relay_backlog", "Unpublished outbox rows seen at the last pass", ["service"]
)
RELAY_FAILURES = Counter(
    "lintas_relay_failures_total",
    "Relay passes that failed and will retry",
    ["service"],
)
RELAY_LEADER = Gauge(
    "lintas_relay_leader", "1 while this process holds the relay lock", ["service"]
)
CONSUMED = Counter(
    "lintas_consumer_events_total",
    "Events applied by a consumer (duplicates excluded)",
    ["consumer", "topic"],
)
DUPLICATES = Counter(
    "lintas_consumer_duplicates_total",
    "Redelivered events skipped because already processed",
    ["consumer", "topic"],
)
DEAD_LETTERED = Counter(
    "lintas_consumer_dead_lettered_total",
    "Messages sent to the dead-letter topic",
    ["consumer", "topic"],
)
RETRIES = Counter(
    "lintas_consumer_retries_total",
    "Handler attempts that failed",
    ["consumer", "topic"],
)
LAG = Gauge(
    "lintas_consumer_lag",
    "Messages behind the partition's high watermark",
    ["consumer", "topic", "partition"],
)
BATCH_SECONDS = Histogram(
    "lintas_consumer_batch_seconds", "Time to apply one partition batch", ["consumer"]
)
