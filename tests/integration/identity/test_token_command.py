"""`python -m lintas_deploy token --unit U --role R` prints a token the issuer vouches for."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lintas_deploy.issuer.process import IssuerProcess
from lintas_shared.identity import Role, TokenVerifier
from tests.integration.identity.conftest import trust

pytestmark = pytest.mark.integration


def _token_command(
    issuer: IssuerProcess, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINTAS_RUN_DIR": str(issuer.run_dir)}
    return subprocess.run(
        [sys.executable, "-m", "lintas_deploy", "token", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("ministry", "unit", "role"),
    [
        ("ditjenpas", "LAPAS-IIA-PADANG", "operator"),
        ("kemnaker", "LSP-P2-BPVP-PADANG", "assessor"),
    ],
)
async def test_the_printed_token_verifies_against_the_running_issuer(
    issuers: dict[str, IssuerProcess], ministry: str, unit: str, role: str
) -> None:
    done = _token_command(issuers[ministry], "--unit", unit, "--role", role)
    assert done.returncode == 0, done.stderr
    verifier = TokenVerifier(trust(*issuers.values()))
    try:
        principal = await verifier.verify(done.stdout.strip())
    finally:
        await verifier.aclose()
    assert principal.unit == unit and Role(role) in principal.roles
    assert principal.issuer == issuers[ministry].url


def test_a_unit_without_that_role_lists_what_the_pilot_offers(
    issuers: dict[str, IssuerProcess],
) -> None:
    done = _token_command(
        issuers["ditjenpas"], "--unit", "LAPAS-IIA-PADANG", "--role", "auditor"
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "no persona for LAPAS-IIA-PADANG / auditor" in done.stderr
    assert "--unit KANWIL-DITJENPAS-SUMBAR --role analyst" in done.stderr
