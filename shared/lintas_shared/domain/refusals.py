"""Refusals: a command broke a rule, nothing is written; each names the rule and field.

One model for every write service: a refusal lists one or more violations (rule slug,
readable message, the field at fault if one is), and its class gives its kind (the edge
turns not-found, conflict and invalid into 404, 409 and 422) and whether retrying may
help. Services raise these directly (``RuleViolation.of(rule, message, field)``) or
subclass them for a refusal they name once (``default_rule``, then ``.because(...)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Self


class RefusalKind(StrEnum):
    """How a refusal is answered: the edge maps these to HTTP statuses."""

    NOT_FOUND = "not-found"
    CONFLICT = "conflict"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: its slug, a readable message, and the field at fault if any."""

    rule: str
    message: str
    field: str | None = None


class Refusal(Exception):
    """A command refused by a business rule; nothing is written."""

    kind: ClassVar[RefusalKind] = RefusalKind.CONFLICT
    default_rule: ClassVar[str] = "refused"
    # Worth retrying as it is (the state may change by itself, e.g. an event on its way).
    retryable: ClassVar[bool] = False

    def __init__(self, *violations: Violation) -> None:
        if not violations:
            raise ValueError("a refusal names at least one rule")
        if not all(isinstance(v, Violation) for v in violations):
            raise TypeError("pass Violation objects, or build with .of() or .because()")
        self.violations = violations
        super().__init__(self.message)

    @classmethod
    def of(cls, rule: str, message: str, field: str | None = None) -> Self:
        return cls(Violation(rule, message, field))

    @classmethod
    def because(cls, message: str, field: str | None = None) -> Self:
        """A refusal of the class's own rule (``default_rule``)."""
        return cls(Violation(cls.default_rule, message, field))

    @property
    def rule(self) -> str:
        return self.violations[0].rule

    @property
    def message(self) -> str:
        return "; ".join(v.message for v in self.violations)

    @property
    def field(self) -> str | None:
        return self.violations[0].field


class InvalidCommand(Refusal):
    """The command's own data breaks a rule (a bad NIP, dates out of order...)."""

    kind = RefusalKind.INVALID


class NotFound(Refusal):
    """The command names something that does not exist."""

    kind = RefusalKind.NOT_FOUND


class RuleViolation(Refusal):
    """The command conflicts with the current state (no seat left, already enrolled...)."""

    kind = RefusalKind.CONFLICT
