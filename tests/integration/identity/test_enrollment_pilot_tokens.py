"""The pilot's tokens (`make up` loads the pilot with them) verify against the issuers."""

from __future__ import annotations

import pytest

from lintas_deploy.pilot import local_tokens
from lintas_deploy.pilot_data import AGREEMENTS, BLK, ENROLLMENTS
from lintas_shared.identity import Role
from tests.support.identity import Identity

pytestmark = pytest.mark.integration


async def test_every_unit_the_pilot_acts_for_gets_a_token_of_its_own_persona(
    identity: Identity,
) -> None:
    run_dir = identity.issuers["ditjenpas"].run_dir
    tokens = local_tokens(run_dir)
    units = {BLK["code"], "LSP-P2-BPVP-PADANG"}
    units |= {a.signed_by for a in AGREEMENTS} | {
        e.officer.lapas_code for e in ENROLLMENTS
    }
    verifier = identity.verifier()
    try:
        for unit in sorted(units):
            principal = await verifier.verify(tokens(unit))
            assert principal.unit == unit
            expected = Role.ASSESSOR if unit.startswith("LSP-") else Role.OPERATOR
            assert principal.roles == {expected}
    finally:
        await verifier.aclose()
    assert tokens(BLK["code"]) is tokens(BLK["code"])  # minted once per unit
