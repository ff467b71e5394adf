"""The whole system's AsyncAPI document: the kernel's topics and each service's commands.

Composed here, where importing the services is allowed (the kernel imports none).
``python -m lintas_deploy.asyncapi > docs/asyncapi.yaml`` (``make asyncapi``) writes it.
"""

from __future__ import annotations

import sys

from certification.application.catalogue import CATALOGUE as CERTIFICATION
from enrollment.application.catalogue import CATALOGUE as ENROLLMENT
from lintas_shared import asyncapi, topics

SIDES = (
    asyncapi.CommandSide(
        "enrollment",
        topics.ENROLLMENT_COMMANDS,
        topics.ENROLLMENT_REPLIES,
        ENROLLMENT.models(),
    ),
    asyncapi.CommandSide(
        "certification",
        topics.CERTIFICATION_COMMANDS,
        topics.CERTIFICATION_REPLIES,
        CERTIFICATION.models(),
    ),
)


def render() -> str:
    """The document as YAML."""
    return asyncapi.render(SIDES)


if __name__ == "__main__":
    sys.stdout.write(render())
