"""The test broker's admin login for test code that opens raw Kafka clients.

The session broker requires SASL. Tests that read or write test-private topics
(``test.*``) or use arbitrary consumer groups log in as the admin (the super user):
no service principal has ACLs for those. The session fixture ``kafka_admin`` puts the
admin's settings JSON in ``LINTAS_TEST_KAFKA_ADMIN``, so helpers and the processes a
test spawns find it; for an external broker (``LINTAS_TEST_KAFKA``) set it yourself.
"""

from __future__ import annotations

import os
from typing import Any

from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

ADMIN_ENV = "LINTAS_TEST_KAFKA_ADMIN"


def admin_security() -> KafkaSecurity:
    """The test broker's admin login (PLAINTEXT only if ``LINTAS_TEST_KAFKA_ADMIN``
    says so: an unset variable is an error, not an anonymous client)."""
    raw = os.environ.get(ADMIN_ENV)
    if raw is None:
        raise RuntimeError(
            f"{ADMIN_ENV} is not set: use the kafka_bootstrap/kafka_admin fixture"
        )
    return KafkaSecurity.model_validate_json(raw)


def admin_options() -> dict[str, Any]:
    """aiokafka keyword arguments that log in as the test broker's admin."""
    return aiokafka_options(admin_security())
