"""Synthetic, internally consistent event histories for tests, demos and benchmarks.

Built from the real contract models and CloudEvent envelopes; every name, NIP and
certificate number is made up. The same seed gives the same history.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from lintas_shared import topics
from lintas_shared.contracts.base import (
    AssessmentKind,
    CompetencyResult,
    IntegrationEvent,
    Kejuruan,
    Track,
)
from lintas_shared.contracts.certification import (
    CertificationExpired,
    CertificationRevoked,
    CompetencyAssessed,
    InstructorCertified,
    TrainingCompleted,
)
from lintas_shared.contracts.enrollment import (
    AgreementSigned,
    EnrollmentWithdrawn,
    OfficerEnrolled,
    OfficerRef,
    TrainingPackageClosed,
    TrainingPackageOpened,
)
from lintas_shared.contracts.units import UnitRef
from lintas_shared.envelope import CloudEvent, EventMetadata

LAPAS = [
    UnitRef(code=c, name=n, province=p)
    for c, n, p in (
        ("LAPAS-IIA-PADANG", "Lapas Kelas IIA Padang", "Sumatera Barat"),
        ("LAPAS-IIA-BUKITTINGGI", "Lapas Kelas IIA Bukittinggi", "Sumatera Barat"),
        ("LAPAS-IIB-LUBUK-BASUNG", "Lapas Kelas IIB Lubuk Basung", "Sumatera Barat"),
        ("LAPAS-I-CIPINANG", "Lapas Kelas I Cipinang", "DKI Jakarta"),
        ("LAPAS-I-MEDAN", "Lapas Kelas I Medan", "Sumatera Utara"),
        ("LAPAS-I-MALANG", "Lapas Kelas I Malang", "Jawa Timur"),
        ("LAPAS-IIA-BANJARMASIN", "Lapas Kelas IIA Banjarmasin", "Kalimantan Selatan"),
        ("LAPAS-IIB-MEULABOH", "Lapas Kelas IIB Meulaboh", "Aceh"),
    )
]
BLK = [
    UnitRef(code=c, name=n, province=p)
    for c, n, p in (
        ("BPVP-PADANG", "BPVP Padang", "Sumatera Barat"),
        ("BBPVP-MEDAN", "BBPVP Medan", "Sumatera Utara"),
        ("BBPVP-BEKASI", "BBPVP Bekasi", "Jawa Barat"),
        ("UPT-BLK-SURABAYA", "UPT BLK Surabaya", "Jawa Timur"),
        ("BPVP-BANDA-ACEH", "BPVP Banda Aceh", "Aceh"),
    )
]
# The central BLKs were renamed BPVP/BBPVP (BLK Padang is now BPVP Padang): events
# before this day carry the old name, so unit names change within one history.
RENAMED_ON = date(2023, 1, 1)
INSTRUCTOR_TRADES = (Kejuruan.MEUBEL, Kejuruan.TEKNIK_LAS, Kejuruan.BARISTA)
RESKILLING_TRADES = (Kejuruan.PROCESSING, Kejuruan.TIK, Kejuruan.TEKNIK_OTOMOTIF)
NAMES = ("Andi", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah")
SURNAMES = ("Saputra", "Wijaya", "Lestari", "Siregar", "Nasution", "Putri", "Hakim")


@dataclass(frozen=True, slots=True)
class SyntheticEvent:
    """An event as a producer would publish it: topic, key, envelope, parsed payload."""

    topic: str
    key: str
    event: CloudEvent
    payload: IntegrationEvent


@dataclass(frozen=True, slots=True)
class SyntheticDelivery:
    """A delivery as the consumer hands it to the projector (without a Kafka record)."""

    event: CloudEvent
    payload: IntegrationEvent
    topic: str
    partition: int
    offset: int


class HistoryBuilder:
    """Generates packages, enrollments and their outcomes with plausible dates."""

    def __init__(
        self,
        seed: int,
        *,
        today: date = date(2025, 6, 30),
        blks: list[UnitRef] | None = None,
        lapas: list[UnitRef] | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.blks = blks or BLK
        self.lapas = lapas or LAPAS
        self.today = today
        self.events: list[SyntheticEvent] = []
        self._versions: dict[str, int] = {}
        self._cert_seq = 0

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def emit(self, payload: IntegrationEvent, stream: str, when: datetime) -> None:
        version = self._versions.get(stream, 0) + 1
        self._versions[stream] = version
        enrollment_side = payload.type_name().split(".")[1] in _ENROLLMENT_NAMES
        event = CloudEvent(
            id=self.uuid(),
            source="lintas-enrollment" if enrollment_side else "lintas-certification",
            type=payload.type_name(),
            subject=stream,
            time=when,
            stream_version=version,
            metadata=EventMetadata("KEMNAKER", "BPVP-PADANG", str(self.uuid())),
            data=payload.model_dump(mode="json"),
        )
        topic = (
            topics.ENROLLMENT_EVENTS if enrollment_side else topics.CERTIFICATION_EVENTS
        )
        self.events.append(SyntheticEvent(topic, stream, event, payload))

    def nip(self) -> str:
        born = date(1975, 1, 1) + timedelta(days=self.rng.randrange(20 * 365))
        hired = born.year + 19 + self.rng.randrange(10)
        return (
            f"{born:%Y%m%d}{hired}{self.rng.randrange(1, 13):02d}"
            f"{self.rng.choice('12')}{self.rng.randrange(1, 1000):03d}"
        )

    def blk_as_of(self, blk: UnitRef, day: date) -> UnitRef:
        if day < RENAMED_ON and blk.name.startswith(("BPVP ", "BBPVP ")):
            old = "BLK " + blk.name.split(" ", 1)[1]
            return UnitRef(code=blk.code, name=old, province=blk.province)
        return blk

    def package(self, *, officers: int, instructor: bool | None = None) -> None:
        """One package with ``officers`` enrollments and random outcomes."""
        rng = self.rng
        instructor = rng.random() < 0.5 if instructor is None else instructor
        trade = rng.choice(INSTRUCTOR_TRADES if instructor else RESKILLING_TRADES)
        start = date(2021, 1, 4) + timedelta(days=rng.randrange(4 * 365))
        end = start + timedelta(days=55)
        opened = _at(start - timedelta(days=30), rng)
        blk = self.blk_as_of(rng.choice(self.blks), opened.date())
        package_id = self.uuid()
        seats = 16
        jp = 320 if instructor else 240
        self.emit(
            TrainingPackageOpened(
                package_id=package_id, code=f"{trade.value[:4]}-{start:%y%m}-{rng.randrange(100)}",
                title=f"Pelatihan {trade.value.title()}", blk=blk, kejuruan=trade,
                track=Track.INSTRUCTOR if instructor else Track.RESKILLING,
                start_date=start, end_date=end, jp_technical=240 if instructor else jp,
                jp_methodology=80 if instructor else 0, seats=seats, skkni_units=(),
            ),
            f"package-{package_id}",
            opened,
        )  # fmt: skip
        lapas = rng.choice(self.lapas)
        agreement_id = self.uuid()
        self.emit(
            AgreementSigned(
                agreement_id=agreement_id, number=f"PKS/{rng.randrange(1000)}/{start.year}",
                lapas=lapas, blk=blk, kejuruan=(trade,), valid_from=date(start.year, 1, 1),
                valid_until=date(start.year + 2, 12, 31),
            ),
            f"agreement-{agreement_id}",
            opened - timedelta(days=1),
        )  # fmt: skip
        for _ in range(min(officers, seats)):
            self._enrollment(package_id, trade, instructor, blk, lapas, agreement_id,
                             start, end, jp, opened)  # fmt: skip
        self.emit(TrainingPackageClosed(package_id=package_id), f"package-{package_id}",
                  _at(start, rng))  # fmt: skip

    def _enrollment(
        self, package_id: UUID, trade: Kejuruan, instructor: bool, blk: UnitRef,
        lapas: UnitRef, agreement_id: UUID, start: date, end: date, jp: int,
        opened: datetime,
    ) -> None:  # fmt: skip
        rng = self.rng
        enrollment_id = self.uuid()
        nip = self.nip()
        name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)}"
        at = opened + timedelta(days=rng.randrange(1, 25), minutes=rng.randrange(600))
        stream = f"enrollment-{enrollment_id}"
        self.emit(
            OfficerEnrolled(
                enrollment_id=enrollment_id, package_id=package_id,
                package_code="P", kejuruan=trade,
                track=Track.INSTRUCTOR if instructor else Track.RESKILLING, blk=blk,
                lapas=lapas, agreement_id=agreement_id,
                officer=OfficerRef(nip=nip, name=name, position="Petugas Pengamanan"),
                start_date=start, end_date=end, jp_total=jp, enrolled_at=at,
            ),
            stream,
            at,
        )  # fmt: skip
        if rng.random() < 0.08:
            self.emit(
                EnrollmentWithdrawn(enrollment_id=enrollment_id, package_id=package_id,
                                    nip=nip, reason="Mutasi tugas",
                                    withdrawn_at=at + timedelta(days=3)),
                stream,
                at + timedelta(days=3),
            )  # fmt: skip
            return
        if rng.random() < 0.1:
            return  # still in training, or dropped without a record
        done = _at(end, rng)
        attended = jp - rng.randrange(0, 24)
        self.emit(
            TrainingCompleted(
                enrollment_id=enrollment_id, package_id=package_id, nip=nip,
                kejuruan=trade, track=Track.INSTRUCTOR if instructor else Track.RESKILLING,
                blk_code=blk.code, lapas_code=lapas.code, completed_on=end,
                attended_jp=attended, jp_total=jp,
            ),
            f"record-{enrollment_id}",
            done,
        )  # fmt: skip
        kinds = [AssessmentKind.TECHNICAL]
        if instructor:
            kinds.append(AssessmentKind.METHODOLOGY)
        passed_on: list[date] = []
        for kind in kinds:
            day = end + timedelta(days=rng.randrange(1, 10))
            for attempt in range(3):
                result = (
                    CompetencyResult.K if rng.random() < 0.7 else CompetencyResult.BK
                )
                self.emit(
                    CompetencyAssessed(
                        assessment_id=self.uuid(), enrollment_id=enrollment_id,
                        package_id=package_id, nip=nip, kejuruan=trade, kind=kind,
                        result=result, lsp="LSP P1 BPVP Padang", assessed_on=day,
                        skkni_units=("C.25LAS01.001.1",),
                    ),
                    f"record-{enrollment_id}",
                    _at(day, rng),
                )  # fmt: skip
                if result is CompetencyResult.K:
                    passed_on.append(day)
                    break
                day += timedelta(days=14 + attempt)
        if not instructor or len(passed_on) < 2:
            return
        issued = max(passed_on) + timedelta(days=rng.randrange(3, 20))
        self._cert_seq += 1
        number = f"BNSP-{trade.value[:3]}-{issued.year}-{self._cert_seq:06d}-{rng.randrange(10**6)}"
        expires = date(issued.year + 3, issued.month, min(issued.day, 28)) - timedelta(
            days=1
        )
        cert_stream = f"certification-{nip}-{trade.value}"
        self.emit(
            InstructorCertified(
                certificate_number=number, enrollment_id=enrollment_id,
                package_id=package_id, nip=nip, officer_name=name, kejuruan=trade,
                blk=self.blk_as_of(blk, issued), lapas=lapas, issued_on=issued,
                expires_on=expires,
            ),
            cert_stream,
            _at(issued, rng),
        )  # fmt: skip
        if rng.random() < 0.1:
            revoked = issued + timedelta(days=rng.randrange(30, 400))
            if revoked < self.today:
                self.emit(
                    CertificationRevoked(certificate_number=number, nip=nip, kejuruan=trade,
                                         reason="Pelanggaran disiplin", revoked_on=revoked),
                    cert_stream,
                    _at(revoked, rng),
                )  # fmt: skip
                return
        if expires < self.today:
            self.emit(
                CertificationExpired(certificate_number=number, nip=nip, kejuruan=trade,
                                     expired_on=expires + timedelta(days=1)),
                cert_stream,
                _at(expires + timedelta(days=1), rng),
            )  # fmt: skip


_ENROLLMENT_NAMES = {
    "AgreementSigned",
    "AgreementTerminated",
    "TrainingPackageOpened",
    "TrainingPackageCancelled",
    "TrainingPackageClosed",
    "OfficerEnrolled",
    "EnrollmentWithdrawn",
}


def _at(day: date, rng: random.Random) -> datetime:
    """A moment during office hours (WIB) of ``day``, as UTC."""
    return datetime.combine(day, time(1, 0), tzinfo=UTC) + timedelta(
        minutes=rng.randrange(480)
    )


def history(
    seed: int, packages: int, officers: int = 16, *, units: int | None = None
) -> list[SyntheticEvent]:
    """``packages`` packages of up to ``officers`` enrollments, in publication order.

    ``units`` limits how many BLKs and Lapas take part (fewer: more overlap per unit).
    """
    builder = HistoryBuilder(
        seed,
        blks=BLK[:units] if units else None,
        lapas=LAPAS[:units] if units else None,
    )
    for _ in range(packages):
        builder.package(officers=builder.rng.randint(1, officers))
    return builder.events


def as_deliveries(
    events: list[SyntheticEvent], partitions: int = 6
) -> list[SyntheticDelivery]:
    """Deliveries with partitions by key and increasing offsets per partition."""
    offsets: dict[tuple[str, int], int] = {}
    out = []
    for e in events:
        partition = zlib.crc32(e.key.encode()) % partitions
        offset = offsets.get((e.topic, partition), 0)
        offsets[(e.topic, partition)] = offset + 1
        out.append(SyntheticDelivery(e.event, e.payload, e.topic, partition, offset))
    return out
