"""Every command of the enrollment service, for the HTTP routes and the command topic."""

from __future__ import annotations

from enrollment.application.cancel_package import CancelTrainingPackage, cancel_package
from enrollment.application.close_package import CloseTrainingPackage, close_package
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
from lintas_shared.application import CommandCatalogue

CATALOGUE: CommandCatalogue[Context] = CommandCatalogue(
    [
        (SignAgreement, sign_agreement),
        (TerminateAgreement, terminate_agreement),
        (OpenTrainingPackage, open_package),
        (CancelTrainingPackage, cancel_package),
        (CloseTrainingPackage, close_package),
        (EnrolOfficer, enrol_officer),
        (WithdrawEnrollment, withdraw_enrollment),
    ]
)
