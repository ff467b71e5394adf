"""The certification command topic: each envelope runs the command its name selects."""

from __future__ import annotations

from certification.application.catalogue import CATALOGUE
from certification.application.context import CertificationContext
from certification.settings import CertificationSettings
from lintas_shared.identity import TokenVerifier
from lintas_shared.messaging.command_ingress import CommandIngress
from lintas_shared.messaging.command_ingress import command_ingress as ingress_for


def command_ingress(
    ctx: CertificationContext,
    settings: CertificationSettings,
    verifier: TokenVerifier | None = None,
) -> CommandIngress:
    """Envelopes' access tokens are checked by `verifier` (default: LINTAS_IDENTITY_*)."""
    return ingress_for("certification", CATALOGUE, ctx, settings, verifier)
