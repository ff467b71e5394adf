"""Verifier settings: asymmetric algorithms only, issuers from JSON in the environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lintas_shared.identity import Agency, IdentitySettings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("alg", ["HS256", "none"])
def test_symmetric_and_unsigned_algorithms_cannot_be_allowed(alg: str) -> None:
    with pytest.raises(ValidationError, match="asymmetric only"):
        IdentitySettings(algorithms=frozenset({"EdDSA", alg}))


def test_trusted_issuers_come_from_the_environment_with_secret_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "LINTAS_IDENTITY_TRUSTED_ISSUERS",
        '[{"issuer": "https://sso.kemnaker.example/realms/lintas",'
        ' "agencies": ["KEMNAKER", "LSP"], "client_id": "enrollment",'
        ' "client_secret": "s3cret-value"}]',
    )
    settings = IdentitySettings()
    (trusted,) = settings.trusted_issuers
    assert (
        trusted.agencies == {Agency.KEMNAKER, Agency.LSP}
        and trusted.audience == "lintas"
    )
    assert trusted.discovery == (
        "https://sso.kemnaker.example/realms/lintas/.well-known/openid-configuration"
    )
    assert "s3cret-value" not in repr(settings)
    assert trusted.client_secret is not None
    assert trusted.client_secret.get_secret_value() == "s3cret-value"
    assert settings.issuer_for(trusted.issuer) is trusted
    assert settings.issuer_for("https://sso.kemnaker.example/realms/other") is None
