"""Settings come from LINTAS_CERTIFICATION_* variables and refuse meaningless policies."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from certification.settings import CertificationSettings

pytestmark = pytest.mark.unit


def test_defaults_follow_the_conventions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "HTTP_PORT", "MIN_ATTENDANCE_RATIO"):
        monkeypatch.delenv(f"LINTAS_CERTIFICATION_{name}", raising=False)

    settings = CertificationSettings()

    assert settings.http_port == 8002
    assert settings.database_url.endswith("/lintas_certification")
    assert settings.min_attendance_ratio == 0.9
    assert settings.certificate_validity_years == 3
    assert settings.command_topic == "lintas.certification.commands"


def test_environment_overrides_with_the_service_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LINTAS_CERTIFICATION_MIN_ATTENDANCE_RATIO", "0.75")
    monkeypatch.setenv("LINTAS_CERTIFICATION_EXPIRY_SCAN_INTERVAL_SECONDS", "5")
    monkeypatch.setenv("LINTAS_ENROLLMENT_HTTP_PORT", "9999")  # another service's

    settings = CertificationSettings()

    assert settings.min_attendance_ratio == 0.75
    assert settings.expiry_scan_interval_seconds == 5
    assert settings.http_port == 8002


@pytest.mark.parametrize("ratio", ["0", "1.5", "-0.2"])
def test_attendance_share_outside_zero_to_one_is_refused(
    monkeypatch: pytest.MonkeyPatch, ratio: str
) -> None:
    monkeypatch.setenv("LINTAS_CERTIFICATION_MIN_ATTENDANCE_RATIO", ratio)

    with pytest.raises(ValidationError, match="min_attendance_ratio"):
        CertificationSettings()


def test_the_verification_key_is_a_secret_of_at_least_32_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LINTAS_CERTIFICATION_VERIFICATION_KEY", "k" * 40)
    settings = CertificationSettings()
    monkeypatch.setenv("LINTAS_CERTIFICATION_VERIFICATION_KEY", "short")

    assert settings.verification_key is not None
    assert settings.verification_key.get_secret_value() == "k" * 40
    assert "k" * 40 not in repr(settings)
    with pytest.raises(ValidationError, match="32 bytes"):
        CertificationSettings()
