"""Query: an enrollment's training record as BLK operators see it, with what is still missing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from certification.application.context import CertificationContext
from certification.application.evaluate import summary
from certification.application.repository import load_certification, load_record
from certification.domain.enrollment import require_known


async def show_training_record(
    ctx: CertificationContext, enrollment_id: UUID
) -> dict[str, Any]:
    """Read from the streams themselves; refuses (retryably) an enrollment not seen yet."""
    facts = require_known(await ctx.directory.get(enrollment_id), enrollment_id)
    record = await load_record(ctx.store, enrollment_id)
    certification = await load_certification(ctx.store, facts.nip, facts.kejuruan)
    view = summary(ctx, facts, record, certification, ctx.clock.today())
    completion = record.completion
    view.update(
        {
            "package_id": str(facts.package_id),
            "officer_name": facts.officer_name,
            "nip": facts.nip,
            "kejuruan": facts.kejuruan.value,
            "track": facts.track.value,
            "blk": facts.blk.model_dump(),
            "lapas": facts.lapas.model_dump(),
            "start_date": facts.start_date.isoformat(),
            "end_date": facts.end_date.isoformat(),
            "jp_total": facts.jp_total,
            "required_jp": ctx.policy.required_jp(facts.jp_total),
            "withdrawn": facts.withdrawn,
            "package_cancelled": facts.package_cancelled,
            "completion": None
            if completion is None
            else {
                "completed_on": completion.completed_on.isoformat(),
                "attended_jp": completion.attended_jp,
            },
            "assessments": [
                {
                    "assessment_id": str(a.assessment_id),
                    "kind": a.kind.value,
                    "result": a.result.value,
                    "lsp": a.lsp,
                    "assessed_on": a.assessed_on.isoformat(),
                    "skkni_units": list(a.skkni_units),
                }
                for a in record.assessments
            ],
        }
    )
    return view
