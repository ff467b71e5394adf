"""The committed AsyncAPI document is the one the contracts generate (regenerate if not)."""

from pathlib import Path

import pytest
import yaml

from lintas_shared.asyncapi import render

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"


def test_committed_asyncapi_matches_the_contracts() -> None:
    generated = yaml.safe_load(render())
    committed = yaml.safe_load(DOC.read_text())
    assert committed == generated, (
        "docs/asyncapi.yaml is stale: run `make asyncapi` (python -m lintas_shared.asyncapi)"
    )


def test_every_event_type_has_a_channel_with_its_schema() -> None:
    spec = yaml.safe_load(render())
    channels = spec["channels"]
    for name in ("OfficerEnrolled", "TrainingCompleted", "InstructorCertified"):
        matching = [c for c in channels if c.endswith(f"lintas.{name}.v1")]
        assert len(matching) == 1, name
    schemas = spec["components"]["schemas"]
    enrolled = next(s for k, s in schemas.items() if k.startswith("OfficerEnrolled"))
    assert "nip" not in enrolled["properties"]  # nested in OfficerRef
    assert enrolled["properties"]["enrollment_id"]["description"]
