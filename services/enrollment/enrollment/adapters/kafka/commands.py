"""The enrollment command topic: each envelope runs the command its name selects."""

from __future__ import annotations

from enrollment.application.catalogue import CATALOGUE
from enrollment.application.context import Context
from enrollment.settings import EnrollmentSettings
from lintas_shared.identity import TokenVerifier
from lintas_shared.messaging.command_ingress import CommandIngress
from lintas_shared.messaging.command_ingress import command_ingress as ingress_for


def command_ingress(
    ctx: Context, settings: EnrollmentSettings, verifier: TokenVerifier
) -> CommandIngress:
    """Envelopes' access tokens are checked with the service's own verifier."""
    return ingress_for("enrollment", CATALOGUE, ctx, settings, verifier)
