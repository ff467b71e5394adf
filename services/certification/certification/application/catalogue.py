"""Every command of the certification service, for the HTTP routes and the command topic.

Each entry names its action and the resolver of what it touches, so the kernel's
catalogue authorizes and audits it the same way on HTTP and on Kafka.
"""

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
from certification.application.resources import (
    assessment_resource,
    completion_resource,
    revocation_resource,
)
from certification.application.revoke_certification import (
    RevokeCertification,
    revoke_certification,
)
from lintas_shared.application.catalogue import CommandCatalogue, Entry
from lintas_shared.identity import Action

CATALOGUE: CommandCatalogue[CertificationContext] = CommandCatalogue(
    [
        Entry(
            RecordTrainingCompletion,
            record_completion,
            Action.TRAINING_COMPLETE,
            completion_resource,
        ),
        Entry(
            RecordCompetencyAssessment,
            record_assessment,
            Action.COMPETENCY_ASSESS,
            assessment_resource,
        ),
        Entry(
            RevokeCertification,
            revoke_certification,
            Action.CERTIFICATE_REVOKE,
            revocation_resource,
        ),
    ]
)
