"""Use case: a BLK opens a training package (TrainingPackageOpened)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from pydantic import Field

from enrollment.application.context import Context
from enrollment.application.repository import append_pending, event_ids, load_claim
from enrollment.domain.claim import NameClaim
from enrollment.domain.package import TrainingPackage
from enrollment.domain.package_terms import PackageTerms
from lintas_shared.application import Command
from lintas_shared.commands import Decision, Outcome
from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.contracts.units import UnitRef
from lintas_shared.envelope import EventMetadata


class OpenTrainingPackage(Command):
    """Publish one class of one trade at a BLK, with its dates, lesson hours and seats."""

    code: str = Field(min_length=2, max_length=64, description="BLK's package code.")
    title: str = Field(min_length=2, max_length=200, description="Package title.")
    blk: UnitRef = Field(description="The training centre running the package.")
    kejuruan: Kejuruan = Field(description="Trade taught.")
    track: Track = Field(
        description="INSTRUCTOR (certifies instructors) or RESKILLING."
    )
    start_date: date = Field(description="First training day.")
    end_date: date = Field(description="Last training day.")
    jp_technical: int = Field(ge=0, description="Technical lesson hours (JP, 45 min).")
    jp_methodology: int = Field(ge=0, description="Training-methodology lesson hours.")
    seats: int = Field(gt=0, description="Maximum number of officers (typically 16).")
    skkni_units: list[str] = Field(
        default_factory=list, description="SKKNI unit codes, e.g. C.25LAS01.001.1."
    )


async def open_package(
    ctx: Context, cmd: OpenTrainingPackage, metadata: EventMetadata, key: str | None
) -> Outcome:
    terms = PackageTerms(
        code=cmd.code,
        title=cmd.title,
        blk=cmd.blk,
        kejuruan=cmd.kejuruan,
        track=cmd.track,
        start_date=cmd.start_date,
        end_date=cmd.end_date,
        jp_technical=cmd.jp_technical,
        jp_methodology=cmd.jp_methodology,
        seats=cmd.seats,
        skkni_units=tuple(cmd.skkni_units),
    )

    async def decide() -> Decision:
        package_id = uuid4()
        package = TrainingPackage.open(package_id, terms)
        name = NameClaim.package_code(cmd.blk.code, cmd.code)
        claim = await load_claim(ctx.store, name)
        claim.claim(package_id, "package-code-unique", "code")
        appends = [
            append_pending(TrainingPackage.stream_id(package_id), package),
            append_pending(name, claim),
        ]
        response = {"package_id": str(package_id), "event_ids": event_ids(appends)}
        return Decision(appends, response)

    return await ctx.runner.run(cmd, decide, metadata, key)
