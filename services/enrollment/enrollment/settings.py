"""Settings of the enrollment service, from LINTAS_ENROLLMENT_* environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from enrollment.application.context import EnrollmentPolicy
from lintas_shared import topics
from lintas_shared.settings import ServiceSettings


class EnrollmentSettings(ServiceSettings):
    """One typed settings object, built once in ``__main__`` and passed to the root."""

    model_config = SettingsConfigDict(
        env_prefix="LINTAS_ENROLLMENT_", extra="ignore", frozen=True
    )

    database_url: str = Field(
        default="postgresql://lintas@127.0.0.1:55432/lintas_enrollment",
        title="Database URL",
        description="PostgreSQL URL of the enrollment database (event store, outbox, "
        "query tables).",
    )
    http_port: int = Field(default=8001, description="Port of the HTTP API.")
    enrollment_grace_days: int = Field(
        default=0,
        ge=0,
        le=60,
        title="Late-enrollment grace",
        description="First training days during which an officer may still be "
        "enrolled; 0 means enrollment closes the day before the start date.",
    )
    enrollment_backdate_days: int = Field(
        default=366,
        ge=0,
        title="Backdate window",
        description="How many days before today a paper enrollment recorded late may "
        "say it was made (enrolled_on); 0 refuses any backdating.",
    )
    command_attempts: int = Field(
        default=30,
        ge=1,
        title="Optimistic retries",
        description="Attempts per command when concurrent writers touch the same "
        "stream (seat races); each retry reloads and decides again.",
    )
    command_max_backoff: float = Field(
        default=0.1,
        gt=0,
        title="Retry backoff ceiling",
        description="Longest random wait in seconds between two optimistic retries.",
    )
    timezone: str = Field(
        default="Asia/Jakarta",
        description="Time zone that defines 'today' for the date rules (WIB).",
    )
    commands_enabled: bool = Field(
        default=True, description="Consume the Kafka command topic in this process."
    )
    command_topic: str = Field(
        default=topics.ENROLLMENT_COMMANDS,
        description="Topic agency systems send commands to.",
    )
    reply_topic: str = Field(
        default=topics.ENROLLMENT_REPLIES,
        description="Topic the result of each command is published to.",
    )
    command_group_id: str = Field(
        default="lintas-enrollment-commands",
        description="Consumer group of the command ingestion (shared by replicas).",
    )

    def policy(self) -> EnrollmentPolicy:
        return EnrollmentPolicy(
            grace_days=self.enrollment_grace_days,
            backdate_days=self.enrollment_backdate_days,
            command_attempts=self.command_attempts,
            max_backoff=self.command_max_backoff,
            timezone=self.timezone,
        )
