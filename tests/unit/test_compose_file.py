"""docker-compose.yml, validated offline: schema, no open ports, secured broker, logins."""

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from lintas_deploy import compose
from lintas_deploy.kafka_acls import PRINCIPALS
from lintas_shared.kafka_security import KafkaSecurity

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
VARIABLE = re.compile(r"\$\{(\w+):\?[^}]*\}")
SERVICES = ("enrollment", "certification", "reporting")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The variables `compose-env` generates, set as compose would set them."""
    values = dict(
        line.split("=", 1)
        for line in compose.env_file().splitlines()
        if line and not line.startswith("#")
    )
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _interpolate(value: str, env: dict[str, str]) -> str:
    return VARIABLE.sub(lambda m: env[m.group(1)], value)


def test_the_file_is_valid_against_the_compose_specification(
    spec: dict[str, Any],
) -> None:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads((vendored / "compose-spec.json").read_text())
    jsonschema.validate(spec, schema)


def test_no_port_is_published_on_every_interface(spec: dict[str, Any]) -> None:
    published = {name: svc.get("ports", []) for name, svc in spec["services"].items()}
    assert published["kafka-config"] == published["kafka"] == []
    for name, ports in published.items():
        for port in ports:
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_every_secret_the_file_needs_is_generated_by_compose_env(
    secrets_env: dict[str, str],
) -> None:
    used = set(VARIABLE.findall(COMPOSE.read_text()))
    assert used == set(secrets_env)
    assert len(set(secrets_env.values())) == len(secrets_env)  # all different


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_logs_in_as_its_own_kafka_principal_and_database_role(
    spec: dict[str, Any], secrets_env: dict[str, str], service: str
) -> None:
    env = spec["services"][service]["environment"]
    prefix = f"LINTAS_{service.upper()}_"
    security = KafkaSecurity.model_validate_json(
        _interpolate(env[f"{prefix}KAFKA_SECURITY"], secrets_env)
    )
    assert security.security_protocol == "SASL_PLAINTEXT"
    assert security.username == PRINCIPALS[service].username
    assert security.password is not None
    assert (
        security.password.get_secret_value()
        == secrets_env[compose.kafka_password_var(service)]
    )
    url = _interpolate(env[f"{prefix}DATABASE_URL"], secrets_env)
    role = f"lintas_{service}"
    password = secrets_env[compose.db_password_var(service)]
    assert url == f"postgresql://{role}:{password}@postgres:5432/{role}"


def test_the_compose_broker_requires_sasl_and_denies_by_default(
    spec: dict[str, Any], secrets_env: dict[str, str], tmp_path: Path
) -> None:
    kafka = spec["services"]["kafka"]
    assert kafka["entrypoint"][-1] == "/lintas/kafka-start.sh"
    assert "kafka-config:/kafka-config:ro" in kafka["volumes"]
    compose.write_kafka_config(tmp_path)
    props = dict(
        line.split("=", 1)
        for line in (tmp_path / "server.properties").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert props["listeners"] == (
        "SASL_PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093"
    )
    assert props["advertised.listeners"] == "SASL_PLAINTEXT://kafka:9092"
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:lintas-admin"
    scram = (tmp_path / "scram.args").read_text().splitlines()
    users = {re.search(r"name=([^,]+),", a).group(1) for a in scram[1::2]}  # type: ignore[union-attr]
    assert users == {"lintas-admin", *(p.username for p in PRINCIPALS.values())}


def test_a_missing_secret_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(compose.kafka_password_var("admin"), raising=False)
    with pytest.raises(RuntimeError, match="LINTAS_KAFKA_PASSWORD_ADMIN"):
        compose.admin_security()
