"""Every command of the enrollment service, for the HTTP routes and the command topic.

Each declares the action it is and how its resource is found (``resources``), so the
kernel authorizes and audits it before the use case runs, whichever edge it came by.
"""

from __future__ import annotations

from enrollment.application import resources
from enrollment.application.cancel_package import CancelTrainingPackage, cancel_package
from enrollment.application.close_package import CloseTrainingPackage, close_package
from enrollment.application.context import Context
from enrollment.application.countersign_agreement import (
    CountersignAgreement,
    countersign_agreement,
)
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
from lintas_shared.application import CommandCatalogue, Entry
from lintas_shared.identity import Action

CATALOGUE: CommandCatalogue[Context] = CommandCatalogue(
    [
        Entry(
            SignAgreement,
            sign_agreement,
            Action.AGREEMENT_SIGN,
            resources.agreement_parties,
        ),
        Entry(
            CountersignAgreement,
            countersign_agreement,
            Action.AGREEMENT_SIGN,
            resources.signed_agreement_parties,
        ),
        Entry(
            TerminateAgreement,
            terminate_agreement,
            Action.AGREEMENT_TERMINATE,
            resources.signed_agreement_parties,
        ),
        Entry(
            OpenTrainingPackage,
            open_package,
            Action.PACKAGE_OPEN,
            resources.new_package_blk,
        ),
        Entry(
            CancelTrainingPackage,
            cancel_package,
            Action.PACKAGE_CANCEL,
            resources.cancelled_package_blk,
        ),
        Entry(
            CloseTrainingPackage,
            close_package,
            Action.PACKAGE_CLOSE,
            resources.closed_package_blk,
        ),
        Entry(
            EnrolOfficer,
            enrol_officer,
            Action.OFFICER_ENROL,
            resources.enrolment_lapas,
        ),
        Entry(
            WithdrawEnrollment,
            withdraw_enrollment,
            Action.ENROLLMENT_WITHDRAW,
            resources.enrollment_lapas,
        ),
    ]
)
