"""What a service needs to trust the local issuers: its LINTAS_IDENTITY_* settings."""

import json
from collections.abc import Mapping

from lintas_deploy.issuer.config import AUDIENCE, ISSUERS
from lintas_shared.identity import IdentitySettings, TrustedIssuer


def identity_settings(issuer_urls: Mapping[str, str]) -> IdentitySettings:
    """Token verification trusting the local issuers (name -> URL), by discovery."""
    return IdentitySettings(
        trusted_issuers=tuple(
            TrustedIssuer(
                issuer=url, agencies=ISSUERS[name].agencies, audience=AUDIENCE
            )
            for name, url in sorted(issuer_urls.items())
        )
    )


def identity_env(issuer_urls: Mapping[str, str]) -> dict[str, str]:
    """The LINTAS_IDENTITY_* environment of a service trusting the local issuers."""
    settings = identity_settings(issuer_urls)
    issuers = [
        t.model_dump(mode="json", exclude_none=True) for t in settings.trusted_issuers
    ]
    return {"LINTAS_IDENTITY_TRUSTED_ISSUERS": json.dumps(issuers)}
