"""Every command of the service by name, for entry points that route by name (Kafka)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from enrollment.application.cancel_package import CancelTrainingPackage, cancel_package
from enrollment.application.close_package import CloseTrainingPackage, close_package
from enrollment.application.command import Command
from enrollment.application.context import Context
from enrollment.application.enrol_officer import EnrolOfficer, enrol_officer
from enrollment.application.open_package import OpenTrainingPackage, open_package
from enrollment.application.sign_agreement import SignAgreement, sign_agreement
from enrollment.application.terminate_agreement import (
    TerminateAgreement,
    terminate_agreement,
)
from enrollment.application.withdraw_enrollment import (
    WithdrawEnrollment,
    withdraw_enrollment,
)
from lintas_shared.commands import Outcome
from lintas_shared.envelope import EventMetadata

UseCase = Callable[[Context, Any, EventMetadata, str | None], Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class Entry:
    model: type[Command]
    handler: UseCase


COMMANDS: dict[str, Entry] = {
    entry.model.command_name(): entry
    for entry in (
        Entry(SignAgreement, sign_agreement),
        Entry(TerminateAgreement, terminate_agreement),
        Entry(OpenTrainingPackage, open_package),
        Entry(CancelTrainingPackage, cancel_package),
        Entry(CloseTrainingPackage, close_package),
        Entry(EnrolOfficer, enrol_officer),
        Entry(WithdrawEnrollment, withdraw_enrollment),
    )
}
