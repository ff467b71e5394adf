"""Every command of the certification service, for the HTTP routes and the command topic."""

from __future__ import annotations

from certification.application.context import CertificationContext
from certification.application.record_assessment import (
    RecordCompetencyAssessment,
    record_assessment,
)
from certification.application.record_completion import (
    RecordTrainingCompletion,
    record_completion,
)
from certification.application.revoke_certification import (
    RevokeCertification,
    revoke_certification,
)
from lintas_shared.application import CommandCatalogue

CATALOGUE: CommandCatalogue[CertificationContext] = CommandCatalogue(
    [
        (RecordTrainingCompletion, record_completion),
        (RecordCompetencyAssessment, record_assessment),
        (RevokeCertification, revoke_certification),
    ]
)
