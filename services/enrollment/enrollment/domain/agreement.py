"""Agreement (PKS): the legal umbrella under which a Lapas enrols officers at a BLK."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from enrollment.domain.events import AgreementPartySigned, Event
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.contracts.enrollment import AgreementSigned, AgreementTerminated
from lintas_shared.contracts.units import UnitRef
from lintas_shared.domain import (
    Aggregate,
    InvalidCommand,
    NotFound,
    RuleViolation,
    Violation,
)


class Agreement(Aggregate[Event]):
    """One cooperation agreement between one Lapas and one BLK, for some trades."""

    def __init__(self, agreement_id: UUID) -> None:
        super().__init__()
        self.id = agreement_id
        self.terms: AgreementSigned | None = None
        self.terminated_on: date | None = None
        # Parties whose signatories signed. An agreement stored before signatures were
        # recorded (none at all) was signed by both on paper: it is in force.
        self.signatures: set[str] = set()

    @staticmethod
    def stream_id(agreement_id: UUID) -> str:
        return f"agreement-{agreement_id}"

    @classmethod
    def sign(
        cls,
        agreement_id: UUID,
        *,
        number: str,
        lapas: UnitRef,
        blk: UnitRef,
        kejuruan: tuple[Kejuruan, ...],
        valid_from: date,
        valid_until: date,
        signed_by: str | None = None,
    ) -> Agreement:
        """Rule agreement-dates-ordered: the term starts before it ends.

        `signed_by` is the party whose signatory signs now (``party_for``); the other
        party's signature (``countersign``) puts the agreement in force.
        """
        problems = []
        if valid_until <= valid_from:
            problems.append(
                Violation(
                    "agreement-dates-ordered",
                    "valid_until must be after valid_from",
                    "valid_until",
                )
            )
        if not kejuruan:
            problems.append(
                Violation("agreement-covers-a-trade", "name at least one", "kejuruan")
            )
        if lapas.code == blk.code:
            problems.append(
                Violation("agreement-between-two-units", "Lapas and BLK differ", "blk")
            )
        if problems:
            raise InvalidCommand(*problems)
        agreement = cls(agreement_id)
        agreement.record(
            AgreementSigned(
                agreement_id=agreement_id,
                number=number.strip(),
                lapas=lapas,
                blk=blk,
                kejuruan=tuple(sorted(set(kejuruan))),
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
        if signed_by is not None:
            agreement.record(
                AgreementPartySigned(agreement_id=agreement_id, party=signed_by)
            )
        return agreement

    @staticmethod
    def party_for(lapas_code: str, blk_code: str, agency: str, unit: str) -> str:
        """Rule signatory-is-a-party: the party an actor signs for (a Kemnaker centre
        signs for the BLK)."""
        if unit in (lapas_code, blk_code):
            return unit
        if agency == "KEMNAKER":
            return blk_code
        raise RuleViolation.of(
            "signatory-is-a-party",
            f"only {lapas_code} or {blk_code} sign this agreement, not {unit}",
        )

    def countersign(self, party: str) -> None:
        """Rules agreement-not-terminated, party-signs-once and agreement-in-force."""
        terms = self.require()
        if self.terminated_on is not None:
            raise RuleViolation.of(
                "agreement-not-terminated",
                f"agreement was terminated on {self.terminated_on}",
            )
        if party in self.signatures:
            raise RuleViolation.of(
                "party-signs-once",
                f"{party} has already signed agreement {terms.number}",
            )
        if not self.awaiting:
            raise RuleViolation.of(
                "agreement-in-force", f"agreement {terms.number} is already in force"
            )
        self.record(AgreementPartySigned(agreement_id=self.id, party=party))

    @property
    def awaiting(self) -> list[str]:
        """The parties whose signature is still missing (none: in force)."""
        terms = self.require()
        if not self.signatures:
            return []
        return [
            p for p in (terms.lapas.code, terms.blk.code) if p not in self.signatures
        ]

    def terminate(self, reason: str, terminated_on: date) -> None:
        """Rules agreement-not-terminated and termination-within-term."""
        terms = self.require()
        if self.terminated_on is not None:
            raise RuleViolation.of(
                "agreement-not-terminated",
                f"agreement was already terminated on {self.terminated_on}",
            )
        if not terms.valid_from <= terminated_on <= terms.valid_until:
            # A conflict with the stored term (409), not a fault of the request alone.
            raise RuleViolation.of(
                "termination-within-term",
                f"terminated_on must fall within {terms.valid_from}..{terms.valid_until}",
                "terminated_on",
            )
        self.record(
            AgreementTerminated(
                agreement_id=self.id, reason=reason.strip(), terminated_on=terminated_on
            )
        )

    def require(self) -> AgreementSigned:
        if self.terms is None:
            raise NotFound.of(
                "agreement-exists", f"no agreement {self.id}", "agreement_id"
            )
        return self.terms

    def why_not_covering(
        self, lapas_code: str, blk_code: str, kejuruan: Kejuruan, start: date, end: date
    ) -> str | None:
        """None if this agreement covers an enrollment; otherwise the reason it does not."""
        terms = self.require()
        if terms.lapas.code != lapas_code or terms.blk.code != blk_code:
            return f"agreement {terms.number} joins {terms.lapas.code} and {terms.blk.code}"
        if kejuruan not in terms.kejuruan:
            return f"agreement {terms.number} does not cover {kejuruan}"
        if start < terms.valid_from or end > terms.valid_until:
            return (
                f"agreement {terms.number} is in force {terms.valid_from}.."
                f"{terms.valid_until}, the package runs {start}..{end}"
            )
        if self.terminated_on is not None and self.terminated_on <= end:
            return f"agreement {terms.number} was terminated from {self.terminated_on}"
        if self.awaiting:
            return (
                f"agreement {terms.number} is not in force until "
                f"{' and '.join(self.awaiting)} has signed it"
            )
        return None

    def _signed(self, event: AgreementSigned) -> None:
        self.terms = event

    def _terminated(self, event: AgreementTerminated) -> None:
        self.terminated_on = event.terminated_on

    def _party_signed(self, event: AgreementPartySigned) -> None:
        self.signatures.add(event.party)

    handlers = {  # noqa: RUF012
        AgreementSigned: _signed,
        AgreementTerminated: _terminated,
        AgreementPartySigned: _party_signed,
    }


def covering_agreement(
    agreements: list[Agreement],
    *,
    lapas_code: str,
    blk_code: str,
    kejuruan: Kejuruan,
    start: date,
    end: date,
) -> Agreement:
    """Rule enrollment-needs-agreement: one in force over the package's dates, joining the
    officer's Lapas and the package's BLK and covering its kejuruan."""
    reasons = []
    for agreement in agreements:
        reason = agreement.why_not_covering(lapas_code, blk_code, kejuruan, start, end)
        if reason is None:
            return agreement
        reasons.append(reason)
    detail = "; ".join(reasons) or f"no agreement between {lapas_code} and {blk_code}"
    # Depends on the agreements stored, not on the request alone: a 409 conflict.
    raise RuleViolation.of(
        "enrollment-needs-agreement",
        f"no agreement covers this enrollment: {detail}",
        "lapas_code",
    )
