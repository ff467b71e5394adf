"""OfficerEnrolled events as the enrollment service stores them: package streams, seats filled."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from benchmarks.reference import KEJURUAN, Nation, build_nation, officer
from lintas_shared.contracts.base import Track
from lintas_shared.contracts.enrollment import OfficerEnrolled, OfficerRef
from lintas_shared.contracts.units import UnitRef
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import NewEvent


@dataclass(frozen=True, slots=True)
class Enrollment:
    """One OfficerEnrolled event with its stream position and the actor who recorded it."""

    stream_id: str
    version: int
    event: NewEvent
    metadata: EventMetadata


def officer_enrollments(
    count: int, topic: str, seed: int = 7, nation: Nation | None = None
) -> list[Enrollment]:
    """`count` OfficerEnrolled events over packages of 16-30 seats across the country.

    Each payload is built through the pydantic contract, so it is exactly what the
    enrollment service would store; a package's enrollments share the package stream.
    """
    rng = random.Random(seed)
    nation = nation or build_nation(rng)
    provinces = nation.provinces
    enrolled_at = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    out: list[Enrollment] = []
    while len(out) < count:
        province = rng.choice(provinces)
        blk = rng.choice(nation.blk[province])
        lapas_pool = nation.lapas[province]
        package_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        kejuruan = rng.choice(KEJURUAN)
        track = Track.INSTRUCTOR if rng.random() < 0.35 else Track.RESKILLING
        start = date(2026, 1, 12) + timedelta(days=rng.randint(0, 300))
        end = start + timedelta(days=59 if track is Track.INSTRUCTOR else 29)
        code = f"{kejuruan.value[:6]}-{start:%y%m}-{rng.randint(1, 99):02d}"
        agreements = {unit.code: uuid.uuid4() for unit in lapas_pool}
        for seat in range(1, rng.randint(16, 30) + 1):
            if len(out) >= count:
                break
            lapas = rng.choice(lapas_pool)
            enrolled_at += timedelta(seconds=rng.randint(1, 30))
            payload = OfficerEnrolled(
                enrollment_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                package_id=package_id,
                package_code=code,
                kejuruan=kejuruan,
                track=track,
                blk=UnitRef(**blk.ref()),
                lapas=UnitRef(**lapas.ref()),
                agreement_id=agreements[lapas.code],
                officer=OfficerRef(**officer(rng)),
                start_date=start,
                end_date=end,
                jp_total=480 if track is Track.INSTRUCTOR else 240,
                enrolled_at=enrolled_at,
            )
            out.append(
                Enrollment(
                    stream_id=f"package-{package_id}",
                    version=seat,
                    event=NewEvent(
                        OfficerEnrolled.type_name(),
                        payload.model_dump(mode="json"),
                        topic=topic,
                    ),
                    metadata=EventMetadata("DITJENPAS", lapas.code),
                )
            )
    return out
