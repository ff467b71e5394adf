"""The reporting service's settings, read once from LINTAS_REPORTING_* variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from lintas_shared import topics
from lintas_shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Where the reporting service reads events from, stores read models and serves them."""

    model_config = SettingsConfigDict(
        env_prefix="LINTAS_REPORTING_", extra="ignore", frozen=True
    )

    http_port: int = Field(default=8003, description="Port of the query API/dashboard.")
    enrollment_topic: str = Field(
        default=topics.ENROLLMENT_EVENTS,
        title="Enrollment event topic",
        description="Topic carrying agreements, packages, enrollments, withdrawals.",
    )
    certification_topic: str = Field(
        default=topics.CERTIFICATION_EVENTS,
        title="Certification event topic",
        description="Topic carrying completions, assessments and certificates.",
    )
    projector_name: str = Field(
        default="reporting-projector",
        title="Projector consumer name",
        description="Consumer group and inbox name of the live projector.",
    )
    consumer_batch_size: int = Field(
        default=2000,
        ge=1,
        description="Records the live projector applies per transaction.",
    )
    rebuild_batch_size: int = Field(
        default=5000,
        ge=1,
        description="Records a rebuild applies per transaction.",
    )
    keep_generations: int = Field(
        default=2,
        ge=1,
        description="Read-model generations kept after a switch (current included).",
    )
    csv_row_cap: int = Field(
        default=100_000,
        ge=1,
        le=10_000_000,
        title="CSV row cap",
        description="At most this many rows per CSV export (X-Row-Cap header).",
    )
    dashboard_refresh_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the dashboard polls the query API.",
    )
    dashboard_client_id: str = Field(
        default="lintas-dashboard",
        min_length=1,
        title="Dashboard client id",
        description="The dashboard's public OAuth client id at the trusted issuers "
        "(authorization code with PKCE).",
    )

    @property
    def event_topics(self) -> tuple[str, str]:
        return (self.enrollment_topic, self.certification_topic)
