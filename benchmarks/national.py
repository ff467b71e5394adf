"""A national event log: agreements, packages, enrollments, tests, certificates in a real mix."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from benchmarks.reference import KEJURUAN, Nation, Unit, build_nation, officer
from lintas_shared.contracts import default_registry
from lintas_shared.envelope import CloudEvent

KafkaRecord = tuple[str, bytes, bytes, list[tuple[str, bytes]]]
TODAY = date(2026, 11, 1)
_SKKNI = ("C.31.MEB01.001.01", "C.25.LAS02.013.01", "I.56.BAR00.004.1", "M.70.PEL.01")


_SOURCES = (b"lintas/enrollment", b"lintas/certification")
_dumps = json.JSONEncoder(separators=(",", ":")).encode


def _uuid_str(rng: random.Random) -> str:
    """A random version-4 UUID as text, without building a UUID object."""
    h = f"{rng.getrandbits(128):032x}"
    return (
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"
    )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


class NationalMix:
    """Generates records for both event topics, each stream in version order.

    Payloads are built as plain dicts for speed; the first few of every type are checked
    against the contracts (``default_registry``), so a contract change fails loudly here.
    Per enrollment: 5% withdrawn, 88% of the rest complete; on instructor-track packages
    (35%) completers take the technical and methodology tests (15% BK, most retake),
    two K make a certificate; 3% are revoked, those older than three years expire.
    """

    def __init__(
        self, enrollment_topic: str, certification_topic: str, seed: int = 11
    ) -> None:
        self._rng = random.Random(seed)
        self._topics = (enrollment_topic, certification_topic)
        self._nation: Nation = build_nation(self._rng)
        self._versions: dict[str, int] = {}
        self._agreements: dict[tuple[str, str], str] = {}
        self._officers: dict[str, list[dict[str, str]]] = {}
        self._serial = 0
        self._certificates = 0
        self._checked: Counter[str] = Counter()
        self._registry = default_registry()
        self.counts: Counter[str] = Counter()

    def records(self, total: int) -> Iterator[KafkaRecord]:
        """Exactly `total` records, a whole package at a time (the last one cut short)."""
        produced = 0
        while produced < total:
            for record in self._package():
                yield record
                produced += 1
                if produced >= total:
                    return

    def _emit(
        self,
        certification: bool,
        stream: str,
        name: str,
        data: dict[str, Any],
        at: datetime,
        unit: str,
    ) -> KafkaRecord:
        type_name = f"lintas.{name}.v1"
        version = self._versions[stream] = self._versions.get(stream, 0) + 1
        self.counts[name] += 1
        agency = (
            "KEMNAKER" if certification or name.startswith("Training") else "DITJENPAS"
        )
        # The binary-mode envelope of lintas_shared.envelope, written out for speed;
        # _check() parses the first records of every type back with CloudEvent.
        headers = [
            ("ce_specversion", b"1.0"),
            ("ce_id", _uuid_str(self._rng).encode()),
            ("ce_source", _SOURCES[certification]),
            ("ce_type", type_name.encode()),
            ("ce_subject", stream.encode()),
            ("ce_time", at.isoformat().encode()),
            ("ce_correlationid", _uuid_str(self._rng).encode()),
            ("ce_actoragency", agency.encode()),
            ("ce_actorunit", unit.encode()),
            ("ce_streamversion", str(version).encode()),
            ("content-type", b"application/json"),
        ]
        value = _dumps(data).encode()
        if self._checked[name] < 3:
            self._checked[name] += 1
            event = CloudEvent.from_kafka(
                value, headers
            )  # raises if the envelope moved
            self._registry.parse(event.type, event.data)  # or the contract did
        return (self._topics[certification], stream.encode(), value, headers)

    def _officer(self, lapas: Unit) -> dict[str, str]:
        staff = self._officers.setdefault(lapas.code, [])
        if len(staff) < 60 or self._rng.random() < 0.3:
            staff.append(officer(self._rng))
            return staff[-1]
        return self._rng.choice(staff)

    def _agreement(self, lapas: Unit, blk: Unit, day: date) -> Iterator[KafkaRecord]:
        if (lapas.code, blk.code) in self._agreements:
            return
        agreement_id = self._agreements[(lapas.code, blk.code)] = _uuid_str(self._rng)
        stream = f"agreement-{agreement_id}"
        start = day - timedelta(days=self._rng.randint(30, 400))
        until = start + timedelta(days=5 * 365)
        yield self._emit(
            False, stream, "AgreementSigned",
            {"agreement_id": agreement_id, "number": f"PKS/{len(self._agreements):05d}",
             "lapas": lapas.ref(), "blk": blk.ref(), "kejuruan": [k.value for k in KEJURUAN],
             "valid_from": start.isoformat(), "valid_until": until.isoformat()},
            _at(start, 9), lapas.code,
        )  # fmt: skip
        if self._rng.random() < 0.02:
            ended = until - timedelta(days=400)
            yield self._emit(
                False, stream, "AgreementTerminated",
                {"agreement_id": agreement_id, "reason": "Kerja sama diakhiri",
                 "terminated_on": ended.isoformat()},
                _at(min(ended, TODAY), 10), lapas.code,
            )  # fmt: skip

    def _package(self) -> Iterator[KafkaRecord]:
        rng = self._rng
        province = rng.choice(self._nation.provinces)
        blk = rng.choice(self._nation.blk[province])
        package_id = _uuid_str(rng)
        stream = f"package-{package_id}"
        kejuruan = rng.choice(KEJURUAN).value
        instructor = rng.random() < 0.35
        track = "INSTRUCTOR" if instructor else "RESKILLING"
        start = date(2023, 1, 9) + timedelta(days=rng.randint(0, 1330))
        end = start + timedelta(days=59 if instructor else 29)
        jp_total = 480 if instructor else 240
        seats = rng.randint(16, 30)
        self._serial += 1
        opened = _at(start - timedelta(days=30), 8)
        yield self._emit(
            False, stream, "TrainingPackageOpened",
            {"package_id": package_id, "code": f"{kejuruan[:6]}-{self._serial:06d}",
             "title": f"Pelatihan {kejuruan.title()} angkatan {self._serial}",
             "blk": blk.ref(), "kejuruan": kejuruan, "track": track,
             "start_date": start.isoformat(), "end_date": end.isoformat(),
             "jp_technical": jp_total - (80 if instructor else 0),
             "jp_methodology": 80 if instructor else 0, "seats": seats,
             "skkni_units": list(rng.sample(_SKKNI, 2))},
            opened, blk.code,
        )  # fmt: skip
        if rng.random() < 0.01:
            yield self._emit(
                False, stream, "TrainingPackageCancelled",
                {"package_id": package_id, "reason": "Peserta tidak mencukupi"},
                opened + timedelta(days=7), blk.code,
            )  # fmt: skip
            return
        terms = (package_id, kejuruan, track, start, end, jp_total)
        for seat in range(rng.randint(seats // 2, seats)):
            yield from self._enrollment(blk, stream, terms, opened, seat)
        yield self._emit(
            False, stream, "TrainingPackageClosed", {"package_id": package_id},
            _at(start, 7), blk.code,
        )  # fmt: skip

    def _enrollment(
        self,
        blk: Unit,
        stream: str,
        terms: tuple[str, str, str, date, date, int],
        opened: datetime,
        seat: int,
    ) -> Iterator[KafkaRecord]:
        rng = self._rng
        package_id, kejuruan, track, start, end, jp_total = terms
        lapas = rng.choice(self._nation.lapas[blk.province])
        yield from self._agreement(lapas, blk, start)
        person = self._officer(lapas)
        enrollment_id = _uuid_str(rng)
        enrolled_at = opened + timedelta(hours=seat + 1)
        yield self._emit(
            False, stream, "OfficerEnrolled",
            {"enrollment_id": enrollment_id, "package_id": package_id,
             "package_code": f"{kejuruan[:6]}-{self._serial:06d}", "kejuruan": kejuruan,
             "track": track, "blk": blk.ref(), "lapas": lapas.ref(),
             "agreement_id": self._agreements[(lapas.code, blk.code)],
             "officer": person, "start_date": start.isoformat(),
             "end_date": end.isoformat(), "jp_total": jp_total,
             "enrolled_at": enrolled_at.isoformat()},
            enrolled_at, lapas.code,
        )  # fmt: skip
        if rng.random() < 0.05:
            yield self._emit(
                False, stream, "EnrollmentWithdrawn",
                {"enrollment_id": enrollment_id, "package_id": package_id,
                 "nip": person["nip"], "reason": "Tugas dinas mendesak",
                 "withdrawn_at": (enrolled_at + timedelta(days=3)).isoformat()},
                enrolled_at + timedelta(days=3), lapas.code,
            )  # fmt: skip
            return
        if end > TODAY or rng.random() > 0.88:
            return
        record = f"training-record-{enrollment_id}"
        nip = person["nip"]
        yield self._emit(
            True, record, "TrainingCompleted",
            {"enrollment_id": enrollment_id, "package_id": package_id,
             "nip": nip, "kejuruan": kejuruan, "track": track, "blk_code": blk.code,
             "lapas_code": lapas.code, "completed_on": end.isoformat(),
             "attended_jp": jp_total - rng.randint(0, jp_total // 10),
             "jp_total": jp_total},
            _at(end, 15), blk.code,
        )  # fmt: skip
        if track != "INSTRUCTOR":
            return
        passed = True
        for kind in ("TECHNICAL", "METHODOLOGY"):
            day = end + timedelta(days=rng.randint(3, 14))
            result = "K" if rng.random() < 0.85 else "BK"
            yield self._assessed(
                record, terms, enrollment_id, nip, kind, result, day, blk
            )
            if result == "BK" and rng.random() < 0.6:
                day += timedelta(days=30)
                result = "K" if rng.random() < 0.7 else "BK"
                yield self._assessed(
                    record, terms, enrollment_id, nip, kind, result, day, blk
                )
            passed = passed and result == "K"
        if passed:
            yield from self._certificate(terms, enrollment_id, person, lapas, blk)

    def _assessed(
        self,
        record: str,
        terms: tuple[str, str, str, date, date, int],
        enrollment_id: str,
        nip: str,
        kind: str,
        result: str,
        day: date,
        blk: Unit,
    ) -> KafkaRecord:
        return self._emit(
            True, record, "CompetencyAssessed",
            {"assessment_id": _uuid_str(self._rng), "enrollment_id": enrollment_id,
             "package_id": terms[0], "nip": nip, "kejuruan": terms[1], "kind": kind,
             "result": result, "lsp": f"LSP P1 {blk.name}", "assessed_on": day.isoformat(),
             "skkni_units": list(_SKKNI[:2])},
            _at(day, 11), blk.code,
        )  # fmt: skip

    def _certificate(
        self,
        terms: tuple[str, str, str, date, date, int],
        enrollment_id: str,
        person: dict[str, str],
        lapas: Unit,
        blk: Unit,
    ) -> Iterator[KafkaRecord]:
        rng = self._rng
        package_id, kejuruan, _, _, end, _ = terms
        issued = end + timedelta(days=rng.randint(20, 60))
        expires = issued + timedelta(days=3 * 365)
        self._certificates += 1
        number = f"LNT/{blk.code}/{kejuruan}/{issued.year}/{self._certificates:06d}"
        stream = f"instructor-certification-{person['nip']}-{kejuruan}"
        yield self._emit(
            True, stream, "InstructorCertified",
            {"certificate_number": number, "enrollment_id": enrollment_id,
             "package_id": package_id, "nip": person["nip"],
             "officer_name": person["name"], "kejuruan": kejuruan, "blk": blk.ref(),
             "lapas": lapas.ref(), "issued_on": issued.isoformat(),
             "expires_on": expires.isoformat()},
            _at(issued, 10), blk.code,
        )  # fmt: skip
        if rng.random() < 0.03:
            day = issued + timedelta(days=rng.randint(30, 300))
            yield self._emit(
                True, stream, "CertificationRevoked",
                {"certificate_number": number, "nip": person["nip"], "kejuruan": kejuruan,
                 "reason": "Pelanggaran kode etik", "revoked_on": day.isoformat()},
                _at(day, 10), blk.code,
            )  # fmt: skip
        elif expires < TODAY:
            yield self._emit(
                True, stream, "CertificationExpired",
                {"certificate_number": number, "nip": person["nip"], "kejuruan": kejuruan,
                 "expired_on": (expires + timedelta(days=1)).isoformat()},
                _at(expires + timedelta(days=1), 0), blk.code,
            )  # fmt: skip
