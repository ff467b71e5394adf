"""Settings every service has; each service subclasses with its own env prefix."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from lintas_shared.kafka_security import KafkaSecurity


class ServiceSettings(BaseSettings):
    """Connection and runtime settings common to the Lintas services."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    database_url: str = Field(
        title="Database URL",
        description="PostgreSQL URL of this service's own database.",
    )
    kafka_bootstrap: str = Field(
        default="127.0.0.1:9092",
        title="Kafka bootstrap servers",
        description="Comma-separated host:port list of Kafka brokers.",
    )
    kafka_security: KafkaSecurity = Field(
        default_factory=KafkaSecurity,
        title="Kafka security",
        description="This service's Kafka principal as JSON: security_protocol "
        "(PLAINTEXT, SASL_PLAINTEXT, SASL_SSL), username, password (a secret), "
        "ca_file. PLAINTEXT (the default) only reaches an open broker; `make up`, "
        "the tests and compose run a broker that requires SASL.",
    )
    http_host: str = Field(
        default="127.0.0.1", description="Interface the HTTP API binds."
    )
    http_port: int = Field(default=8000, description="Port of the HTTP API.")
    http_max_body_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        title="Request body limit",
        description="Largest request body accepted, in bytes; a larger one gets 413.",
    )
    log_level: str = Field(default="INFO", description="Log level (DEBUG, INFO, ...).")
    db_pool_size: int = Field(
        default=10, ge=1, description="Max PostgreSQL connections."
    )
    relay_batch_size: int = Field(
        default=500,
        ge=1,
        description="Outbox rows the relay publishes per Kafka round.",
    )
    consumer_batch_size: int = Field(
        default=500, ge=1, description="Records a consumer applies per transaction."
    )
