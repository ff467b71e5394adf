"""Agreement rules: a term that starts before it ends, unique numbers, one termination."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from enrollment.application.sign_agreement import sign_agreement
from enrollment.application.terminate_agreement import (
    TerminateAgreement,
    terminate_agreement,
)
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.domain import InvalidCommand, NotFound, RuleViolation
from tests.unit.enrollment import factories as f

pytestmark = pytest.mark.unit


async def test_signing_an_agreement_publishes_agreement_signed() -> None:
    h = f.Harness()
    cmd = f.sign_agreement(f.lapas(), f.blk(), kejuruan=[Kejuruan.MEUBEL] * 2)
    outcome = await sign_agreement(h.ctx, cmd, f.metadata(), None)
    assert await h.events() == [
        "lintas.AgreementSigned.v1",
        "enrollment.AgreementPartySigned.v1",  # private: the BLK's signature
        "enrollment.NameClaimed.v1",
    ]
    view = await h.queries.agreement(UUID(outcome.response["agreement_id"]))
    assert view is not None and view.kejuruan == [Kejuruan.MEUBEL]
    assert outcome.response["event_ids"] == [str(h.store.outbox[0][2].event_id)]


@pytest.mark.parametrize("until", [date(2026, 1, 1), date(2025, 12, 31)])
async def test_refuses_an_agreement_that_ends_before_it_starts(until: date) -> None:
    h = f.Harness()
    cmd = f.sign_agreement(
        f.lapas(), f.blk(), valid_from=date(2026, 1, 1), valid_until=until
    )
    with pytest.raises(InvalidCommand) as refused:
        await sign_agreement(h.ctx, cmd, f.metadata(), None)
    assert refused.value.rule == "agreement-dates-ordered"
    assert refused.value.violations[0].field == "valid_until"
    assert await h.events() == []


async def test_refuses_a_second_agreement_with_the_same_number_between_the_same_units() -> (
    None
):
    h = f.Harness()
    first = f.sign_agreement(f.lapas(), f.blk())
    await sign_agreement(h.ctx, first, f.metadata(), None)
    again = f.sign_agreement(first.lapas, first.blk, number=first.number.lower())
    with pytest.raises(RuleViolation) as refused:
        await sign_agreement(h.ctx, again, f.metadata(), None)
    assert refused.value.rule == "agreement-number-unique"


async def test_the_same_number_may_be_used_by_other_units() -> None:
    h = f.Harness()
    first = f.sign_agreement(f.lapas(), f.blk())
    await sign_agreement(h.ctx, first, f.metadata(), None)
    other = f.sign_agreement(f.lapas(), first.blk, number=first.number)
    await sign_agreement(h.ctx, other, f.metadata(), None)
    assert len(await h.queries.agreements(blk_code=first.blk.code)) == 2


async def test_terminating_records_the_day_and_reason() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = TerminateAgreement(
        agreement_id=s.agreement_id, reason="Anggaran dihentikan", terminated_on=None
    )
    await terminate_agreement(h.ctx, cmd, f.metadata(), None)
    view = await h.queries.agreement(s.agreement_id)
    assert view is not None, "the query must list what the command wrote"
    assert view.terminated_on == f.TODAY
    assert view.termination_reason == "Anggaran dihentikan"


async def test_refuses_to_terminate_an_agreement_twice() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = TerminateAgreement(agreement_id=s.agreement_id, reason="Selesai lebih awal")
    await terminate_agreement(h.ctx, cmd, f.metadata(), None)
    with pytest.raises(RuleViolation) as refused:
        await terminate_agreement(h.ctx, cmd, f.metadata(), None)
    assert refused.value.rule == "agreement-not-terminated"


async def test_refuses_a_termination_day_outside_the_term() -> None:
    h = f.Harness()
    s = await f.scene(h)
    cmd = TerminateAgreement(
        agreement_id=s.agreement_id,
        reason="Salah input",
        terminated_on=date(2030, 1, 1),
    )
    with pytest.raises(RuleViolation) as refused:
        await terminate_agreement(h.ctx, cmd, f.metadata(), None)
    assert refused.value.rule == "termination-within-term"
    assert refused.value.violations[0].field == "terminated_on"


async def test_refuses_to_terminate_an_unknown_agreement() -> None:
    h = f.Harness()
    cmd = TerminateAgreement(agreement_id=UUID(int=1), reason="Tidak ada")
    with pytest.raises(NotFound) as refused:
        await terminate_agreement(h.ctx, cmd, f.metadata(), None)
    assert refused.value.violations[0].field == "agreement_id"
