"""Refusals: a command broke a rule, nothing is written, the code names the rule."""

from __future__ import annotations

from enum import StrEnum


class RefusalKind(StrEnum):
    """How a refusal maps to an answer: the edge turns these into HTTP statuses."""

    NOT_FOUND = "not-found"
    CONFLICT = "conflict"
    INVALID = "invalid"


class Refusal(Exception):
    """A command the domain refuses. ``field`` names the offending input, if one does."""

    code = "refused"
    kind = RefusalKind.CONFLICT
    retryable = False

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class EnrollmentNotKnownYet(Refusal):
    """The OfficerEnrolled event has not reached this service (yet)."""

    code = "enrollment-not-known-yet"
    # Across services events arrive late, so a just-made enrollment is normally unknown
    # for a moment: the caller should retry, not give up.
    retryable = True


class EnrollmentWithdrawn(Refusal):
    code = "enrollment-withdrawn"


class PackageCancelled(Refusal):
    code = "package-cancelled"


class DateBeforePackageStart(Refusal):
    code = "date-before-package-start"
    kind = RefusalKind.INVALID


class DateInFuture(Refusal):
    code = "date-in-future"
    kind = RefusalKind.INVALID


class AttendanceAboveTotal(Refusal):
    code = "attendance-above-package-jp"
    kind = RefusalKind.INVALID


class NoMethodologyForReskilling(Refusal):
    code = "no-methodology-for-reskilling"
    kind = RefusalKind.INVALID


class AlreadyCompleted(Refusal):
    code = "training-already-completed"


class AssessmentIdReused(Refusal):
    code = "assessment-id-reused"


class CertificateNotFound(Refusal):
    code = "certificate-not-found"
    kind = RefusalKind.NOT_FOUND


class CertificateNotValid(Refusal):
    code = "certificate-not-valid"


class DateBeforeIssue(Refusal):
    code = "date-before-issue"
    kind = RefusalKind.INVALID
