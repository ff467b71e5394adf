"""The certification refusals, each a kind of the kernel's refusal that names its rule."""

from __future__ import annotations

from lintas_shared.domain import InvalidCommand, NotFound, RuleViolation


class EnrollmentNotKnownYet(RuleViolation):
    """The OfficerEnrolled event has not reached this service (yet)."""

    default_rule = "enrollment-not-known-yet"
    # Across services events arrive late, so a just-made enrollment is normally unknown
    # for a moment: the caller should retry, not give up.
    retryable = True


class EnrollmentWithdrawn(RuleViolation):
    default_rule = "enrollment-withdrawn"


class PackageCancelled(RuleViolation):
    default_rule = "package-cancelled"


class DateBeforePackageStart(RuleViolation):
    """Against the stored package's start date, not the request alone: a conflict."""

    default_rule = "date-before-package-start"


class DateInFuture(InvalidCommand):
    default_rule = "date-in-future"


class AttendanceAboveTotal(InvalidCommand):
    default_rule = "attendance-above-package-jp"


class NoMethodologyForReskilling(InvalidCommand):
    default_rule = "no-methodology-for-reskilling"


class AlreadyCompleted(RuleViolation):
    default_rule = "training-already-completed"


class AssessmentIdReused(RuleViolation):
    default_rule = "assessment-id-reused"


class CertificateNotFound(NotFound):
    default_rule = "certificate-not-found"


class CertificateNotValid(RuleViolation):
    default_rule = "certificate-not-valid"


class DateBeforeIssue(InvalidCommand):
    default_rule = "date-before-issue"
