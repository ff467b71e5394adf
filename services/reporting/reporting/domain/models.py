"""The catalogue of read models: their views, filters, roll-up measures and source facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ENROLLMENT_FACTS = frozenset(
    {"enrollment_f", "assessment_f", "certificate_f", "package_f", "unit_f"}
)


class PackageStatus(StrEnum):
    """Status of a training package in the packages model."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class InstructorStatus(StrEnum):
    """Status of a certificate in the instructor registry."""

    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


class AgreementStatus(StrEnum):
    """Status of a cooperation agreement (PKS) on the day of the query."""

    ACTIVE = "ACTIVE"
    PENDING = "PENDING"
    EXPIRED = "EXPIRED"
    TERMINATED = "TERMINATED"


@dataclass(frozen=True, slots=True)
class ReadModel:
    """A view of one generation and how the API may slice it.

    ``filters`` maps query parameters (province, lapas, blk, kejuruan, ...) to columns;
    ``period`` is the date column ``from``/``to`` apply to. A model with ``measures`` can
    be rolled up with ``group_by`` over some of its ``dimensions`` (measures summed, ratios
    recomputed from the sums). A model whose figures cannot be filtered after the fact
    (distinct counts, percentiles) is read from the set-returning SQL function
    ``function`` instead of its view, with ``arguments`` (query parameter -> SQL type)
    passed in order, NULL when not given; its view is the function with all NULLs.
    ``status`` is the vocabulary of its ``status`` filter. A model with ``scope``
    holds officer-level rows (NIP, name): every query of it is limited to the reader's
    scope, ``scope`` naming the column of each scope kind (``lapas``, ``blk``,
    ``lapas_province``, ``blk_province``) in ``source`` (the view read; its own view if
    None), which may hold columns the model does not show.
    """

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    order_by: tuple[str, ...]
    facts: frozenset[str]
    filters: Mapping[str, str] = field(default_factory=dict)
    period: str | None = None
    dimensions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    ratios: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    function: str | None = None
    arguments: Mapping[str, str] = field(default_factory=dict)
    status: type[StrEnum] | None = None
    scope: Mapping[str, str] = field(default_factory=dict)
    source: str | None = None

    @property
    def view(self) -> str:
        return self.name

    @property
    def officer_level(self) -> bool:
        """True if rows name officers: reads are scoped and audited."""
        return bool(self.scope)

    @property
    def accepts(self) -> tuple[str, ...]:
        """Every filter parameter the model offers (``from``/``to`` not included)."""
        return (*self.arguments, *self.filters)

    @property
    def can_roll_up(self) -> bool:
        return bool(self.measures)


def _c(spec: str) -> tuple[str, ...]:
    return tuple(spec.split())


UNIT_FILTERS = {"kejuruan": "kejuruan", "year": "year"}
# Province of the Lapas for officers and instructors, of the BLK for packages and seats.
SLICES = {"province": "text", "kejuruan": "text", "year": "integer"}
# Officer-level models: the column each reader scope filters on.
OFFICER_SCOPE = {
    "lapas": "lapas_code",
    "blk": "blk_code",
    "lapas_province": "province",
    "blk_province": "blk_province",
}
COUNTS = _c("enrolled withdrawn completed competent certified")
INSTRUCTOR_COUNTS = _c("instructors_active instructors_expired instructors_revoked")

MODELS: dict[str, ReadModel] = {
    m.name: m
    for m in (
        ReadModel(
            "national",
            "National totals",
            "Programme totals across every Lapas and BLK, with the median and 90th "
            "percentile of days from enrollment to certificate. Filtered by province, "
            "officers, enrollments and instructors count by the Lapas's province "
            "(Kanwil) and packages, seats and BLK by the BLK's province; kejuruan and "
            "year (programme year) filter all of them.",
            _c(
                "lapas blk packages seats officers enrolled withdrawn completed "
                "competent certified instructors_active instructors_expired "
                "instructors_revoked median_days_to_certification "
                "p90_days_to_certification"
            ),
            (),
            ENROLLMENT_FACTS,
            function="national_where",
            arguments=SLICES,
        ),
        ReadModel(
            "trend",
            "Monthly trend",
            "Per month (WIB): enrollments, withdrawals, completions, certificates "
            "issued, revoked and expired. province (of the Lapas), kejuruan and year "
            "(programme year, not the month's year) select the enrollments and "
            "certificates counted; from/to select months.",
            _c("month enrolled withdrawn completed certified revoked expired"),
            ("month",),
            ENROLLMENT_FACTS,
            period="month",
            function="trend_where",
            arguments=SLICES,
        ),
        ReadModel(
            "time_to_certification",
            "Time to certification",
            "Days from enrollment to certificate per kejuruan, and overall as 'ALL'.",
            _c("kejuruan certified median_days p90_days"),
            ("kejuruan",),
            frozenset({"enrollment_f", "certificate_f"}),
            filters={"kejuruan": "kejuruan"},
        ),
        ReadModel(
            "packages",
            "Training packages",
            "Per package: seats, enrolled, withdrawn, completed, K/BK per test, "
            "competent, certified, fill rate and completion rate.",
            _c(
                "package_id code title blk_code blk_name province kejuruan track "
                "start_date end_date year seats status enrolled withdrawn completed "
                "technical_k technical_bk methodology_k methodology_bk competent "
                "certified fill_rate completion_rate"
            ),
            ("start_date", "code", "package_id"),
            ENROLLMENT_FACTS,
            filters={
                "province": "province",
                "blk": "blk_code",
                "status": "status",
                "track": "track",
                **UNIT_FILTERS,
            },
            period="start_date",
            status=PackageStatus,
        ),
        ReadModel(
            "lapas",
            "Lapas",
            "Per Lapas, kejuruan and programme year: officers enrolled, completed, "
            "competent, certified; certified instructors active, expired, revoked.",
            _c("lapas_code lapas_name province kejuruan year")
            + COUNTS
            + INSTRUCTOR_COUNTS,
            ("lapas_code", "kejuruan", "year"),
            ENROLLMENT_FACTS,
            filters={"province": "province", "lapas": "lapas_code", **UNIT_FILTERS},
            dimensions=_c("lapas_code lapas_name province kejuruan year"),
            measures=COUNTS + INSTRUCTOR_COUNTS,
            ratios={"completion_rate": ("completed", "enrolled")},
        ),
        ReadModel(
            "provinces",
            "Provinces (Kanwil)",
            "Per province of the Lapas (Kanwil Ditjenpas), kejuruan and year.",
            _c("province kejuruan year lapas") + COUNTS + INSTRUCTOR_COUNTS,
            ("province", "kejuruan", "year"),
            ENROLLMENT_FACTS,
            filters={"province": "province", **UNIT_FILTERS},
            dimensions=_c("province kejuruan year"),
            measures=COUNTS + INSTRUCTOR_COUNTS,
            ratios={"completion_rate": ("completed", "enrolled")},
        ),
        ReadModel(
            "blk",
            "BLK",
            "Per BLK, kejuruan and programme year: packages run, seats, fill rate, "
            "completion and competency rates.",
            _c(
                "blk_code blk_name province kejuruan year packages seats enrolled "
                "withdrawn completed assessed competent certified"
            ),
            ("blk_code", "kejuruan", "year"),
            ENROLLMENT_FACTS,
            filters={"province": "province", "blk": "blk_code", **UNIT_FILTERS},
            dimensions=_c("blk_code blk_name province kejuruan year"),
            measures=_c(
                "packages seats enrolled withdrawn completed assessed competent "
                "certified"
            ),
            ratios={
                "fill_rate": ("enrolled", "seats"),
                "completion_rate": ("completed", "enrolled"),
                "competency_rate": ("competent", "assessed"),
            },
        ),
        ReadModel(
            "instructors",
            "Instructor registry",
            "Certified instructors by kejuruan and Lapas with validity dates and "
            "status (ACTIVE, EXPIRED, REVOKED).",
            _c(
                "certificate_number nip officer_name kejuruan lapas_code lapas_name "
                "province blk_code blk_name issued_on expires_on status revoked_on "
                "expired_on year"
            ),
            ("lapas_code", "kejuruan", "certificate_number"),
            frozenset({"certificate_f", "enrollment_f", "package_f", "unit_f"}),
            filters={
                "province": "province",
                "lapas": "lapas_code",
                "blk": "blk_code",
                "status": "status",
                **UNIT_FILTERS,
            },
            period="issued_on",
            status=InstructorStatus,
            scope=OFFICER_SCOPE,
        ),
        ReadModel(
            "officer_progress",
            "Officer progress",
            "One row per enrollment: the officer's path through completion, "
            "technical and methodology tests, and certificate.",
            _c(
                "nip officer_name enrollment_id package_id package_code "
                "package_title lapas_code lapas_name province blk_code blk_name "
                "kejuruan track year enrolled_at enrolled_on withdrawn_at completed_on "
                "attended_jp technical methodology competent certificate_number "
                "issued_on certificate_status"
            ),
            ("nip", "enrolled_at", "enrollment_id"),
            ENROLLMENT_FACTS,
            filters={
                "province": "province",
                "lapas": "lapas_code",
                "blk": "blk_code",
                **UNIT_FILTERS,
            },
            period="enrolled_on",
            scope=OFFICER_SCOPE,
            # The view behind officer_progress, which also has the BLK's province.
            source="enrollment_status",
        ),
        ReadModel(
            "agreements",
            "Agreements (PKS)",
            "Cooperation agreements between a Lapas and a BLK and their status.",
            _c(
                "agreement_id number lapas_code lapas_name province blk_code "
                "blk_name kejuruan_list valid_from valid_until terminated_on status"
            ),
            ("lapas_code", "blk_code", "number"),
            frozenset({"agreement_f", "unit_f"}),
            filters={
                "province": "province",
                "lapas": "lapas_code",
                "blk": "blk_code",
                "status": "status",
            },
            period="valid_from",
            status=AgreementStatus,
        ),
    )
}


def facts_for(model_names: list[str] | None) -> frozenset[str]:
    """Fact tables a rebuild of these models must replay (all of them for None)."""
    names = list(MODELS) if model_names is None else model_names
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        raise KeyError(f"unknown read model(s): {', '.join(unknown)}")
    out: frozenset[str] = frozenset()
    for name in names:
        out |= MODELS[name].facts
    return out
