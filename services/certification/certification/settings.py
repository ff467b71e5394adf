"""The certification service's settings, read once from LINTAS_CERTIFICATION_* variables."""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from certification.domain.verification import MIN_KEY_BYTES
from lintas_shared.settings import ServiceSettings
from lintas_shared.topics import CERTIFICATION_COMMANDS, CERTIFICATION_REPLIES


class CertificationSettings(ServiceSettings):
    """Connections plus the certification policy's knobs."""

    model_config = SettingsConfigDict(
        env_prefix="LINTAS_CERTIFICATION_", extra="ignore", frozen=True
    )

    database_url: str = Field(
        default="postgresql://lintas@127.0.0.1:55432/lintas_certification",
        title="Database URL",
        description="PostgreSQL URL of the certification service's own database.",
    )
    http_port: int = Field(
        default=8002, title="HTTP port", description="Port of the HTTP API."
    )
    min_attendance_ratio: float = Field(
        default=0.9,
        gt=0,
        le=1,
        title="Minimum attendance share",
        description=(
            "Share of the package's JP an officer must attend to be certified"
            " (no national minimum exists; 0.9 = 288 of 320 JP)."
        ),
    )
    certificate_validity_years: int = Field(
        default=3,
        ge=1,
        title="Certificate validity (years)",
        description="Years a certificate stays valid after its issue date (BNSP: 3).",
    )
    expiry_scan_interval_seconds: float = Field(
        default=300.0,
        gt=0,
        title="Expiry scan interval",
        description="Seconds between two passes of the expiry scheduler.",
    )
    timezone: str = Field(
        default="Asia/Jayapura",
        title="Time zone of 'today'",
        description=(
            "Zone whose date is 'today' for future-date checks and expiry. The default,"
            " Indonesia's easternmost, refuses a date only once no BLK has reached it."
        ),
    )
    consumer_group: str = Field(
        default="certification-enrollment-view",
        title="Enrollment consumer name",
        description="Consumer (and Kafka group) that builds the enrollment view.",
    )
    commands_enabled: bool = Field(
        default=True,
        title="Kafka command ingress",
        description="Serve commands from the command topic and answer on the reply topic.",
    )
    command_topic: str = Field(
        default=CERTIFICATION_COMMANDS,
        title="Command topic",
        description="Topic agency systems send CommandEnvelope JSON to.",
    )
    reply_topic: str = Field(
        default=CERTIFICATION_REPLIES,
        title="Reply topic",
        description="Topic each command's reply is published to, keyed by message id.",
    )
    command_group_id: str = Field(
        default="certification-commands",
        title="Command consumer group",
        description="Kafka consumer group of the command ingress.",
    )
    verification_key: SecretStr | None = Field(
        default=None,
        title="Verification code key",
        description=(
            "HMAC key (at least 32 characters) deriving certificates' public"
            " verification codes. Keep it for as long as certificates live: another key"
            " gives other codes. Unset: a random key made once and kept in the database."
        ),
    )
    verification_rate_per_minute: float = Field(
        default=30.0,
        gt=0,
        title="Public verification rate",
        description="Verifications per minute one client address may make on average.",
    )
    verification_burst: int = Field(
        default=10,
        ge=1,
        title="Public verification burst",
        description="Verifications one client address may make at once before waiting.",
    )

    @field_validator("verification_key")
    @classmethod
    def _long_enough(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and len(key.get_secret_value().encode()) < MIN_KEY_BYTES:
            raise ValueError(
                f"the verification key needs at least {MIN_KEY_BYTES} bytes"
            )
        return key
