"""Domain refusals: each names the rule that failed and, where one applies, the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its slug, a readable message, and the field at fault if any."""

    rule: str
    message: str
    field: str | None = None


class DomainError(Exception):
    """A command refused by a business rule; nothing is written."""

    def __init__(self, *violations: Violation) -> None:
        assert violations, "a refusal names at least one rule"
        self.violations = violations
        super().__init__("; ".join(v.message for v in violations))

    @property
    def rule(self) -> str:
        return self.violations[0].rule

    @classmethod
    def of(cls, rule: str, message: str, field: str | None = None) -> DomainError:
        return cls(Violation(rule, message, field))


class InvalidCommand(DomainError):
    """The command's own data breaks a rule (a bad NIP, dates out of order...)."""


class NotFound(DomainError):
    """The command names an agreement, package or enrollment that does not exist."""


class RuleViolation(DomainError):
    """The command conflicts with the current state (no seat left, already enrolled...)."""
