"""How a Kafka client authenticates: one settings model, options for every client kind.

A service settings class embeds ``KafkaSecurity`` as a field (``kafka_security``); its
environment variable then holds JSON, e.g. ``LINTAS_ENROLLMENT_KAFKA_SECURITY=
{"security_protocol": "SASL_PLAINTEXT", "username": "svc-enrollment",
"password": "…"}`` (``KafkaSecurity.settings_json()`` writes it).
The default is PLAINTEXT with no credentials, the broker `make up` runs today.
"""

from __future__ import annotations

import json
import ssl
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]


class KafkaSecurity(BaseModel):
    """Transport and SASL credentials of one Kafka principal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        description="PLAINTEXT (no auth), SASL_PLAINTEXT (loopback/dev) or SASL_SSL.",
    )
    sasl_mechanism: Literal["SCRAM-SHA-512"] = Field(
        default="SCRAM-SHA-512", description="SASL mechanism the broker enables."
    )
    username: str | None = Field(
        default=None, description="SCRAM user name of this service's principal."
    )
    password: SecretStr | None = Field(
        default=None, description="SCRAM password (a secret: never logged)."
    )
    ca_file: Path | None = Field(
        default=None,
        description="PEM file of the CA that signed the broker certificate (SASL_SSL); "
        "without it the system trust store is used.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> KafkaSecurity:
        sasl = self.security_protocol != "PLAINTEXT"
        if sasl and (not self.username or self.password is None):
            raise ValueError(f"{self.security_protocol} needs a username and password")
        if not sasl and (self.username or self.password is not None):
            raise ValueError("credentials given but security_protocol is PLAINTEXT")
        if self.ca_file is not None and self.security_protocol != "SASL_SSL":
            raise ValueError("ca_file is only used with SASL_SSL")
        return self

    @property
    def authenticated(self) -> bool:
        """True when the client logs in with SASL."""
        return self.security_protocol != "PLAINTEXT"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for SASL_SSL (hostname checked), else None."""
        if self.security_protocol != "SASL_SSL":
            return None
        cafile = str(self.ca_file) if self.ca_file is not None else None
        return ssl.create_default_context(cafile=cafile)

    def settings_json(self) -> str:
        """The JSON a settings variable or secret file holds (password revealed)."""
        data = self.model_dump(mode="json", exclude_none=True)
        if self.password is not None:
            data["password"] = self.password.get_secret_value()
        return json.dumps(data)


def aiokafka_options(security: KafkaSecurity | None) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer, AIOKafkaConsumer, AIOKafkaAdminClient.

    The same keys suit aiokafka's low-level AIOKafkaClient. PLAINTEXT gives ``{}``, so
    spreading the result into a constructor changes nothing for an open broker.
    """
    if security is None or not security.authenticated:
        return {}
    assert security.password is not None  # checked by the model's validator
    options: dict[str, Any] = {
        "security_protocol": security.security_protocol,
        "sasl_mechanism": security.sasl_mechanism,
        "sasl_plain_username": security.username,
        "sasl_plain_password": security.password.get_secret_value(),
    }
    context = security.ssl_context()
    if context is not None:
        options["ssl_context"] = context
    return options


def faststream_options(security: KafkaSecurity | None) -> dict[str, Any]:
    """Keyword arguments for faststream's ``KafkaBroker``: ``security=`` or none."""
    if security is None or not security.authenticated:
        return {}
    # Imported here: the model stays importable where faststream is not installed.
    from faststream.security import SASLScram512

    assert security.username is not None and security.password is not None
    context = security.ssl_context()
    return {
        "security": SASLScram512(
            username=security.username,
            password=security.password.get_secret_value(),
            ssl_context=context,
            use_ssl=context is not None,
        )
    }
