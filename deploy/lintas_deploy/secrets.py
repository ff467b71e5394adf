"""Per-run secrets in the run folder (0600): Kafka SCRAM passwords, a local TLS CA."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

# token_urlsafe only yields [A-Za-z0-9_-]: safe inside JAAS quotes and .properties.
PASSWORD_BYTES = 24


def write_private(path: Path, text: str) -> None:
    """Write `text` readable by the owner only (the folder too), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    tmp.replace(path)


class KafkaCredentials:
    """SCRAM passwords by user name, kept in one JSON file that only the owner reads."""

    def __init__(self, path: Path, passwords: dict[str, SecretStr]) -> None:
        self.path = path
        self._passwords = passwords

    @classmethod
    def load_or_create(cls, path: Path, users: list[str]) -> KafkaCredentials:
        """Read the file; generate (and save) a password for every user it lacks."""
        stored: dict[str, str] = {}
        if path.exists():
            stored = json.loads(path.read_text())
        missing = [u for u in users if u not in stored]
        for user in missing:
            stored[user] = secrets.token_urlsafe(PASSWORD_BYTES)
        if missing or not path.exists():
            write_private(path, json.dumps(stored, indent=2, sort_keys=True) + "\n")
        return cls(path, {u: SecretStr(p) for u, p in stored.items()})

    def password(self, user: str) -> SecretStr:
        """The password of `user` (KeyError names the user, never a password)."""
        try:
            return self._passwords[user]
        except KeyError:
            raise KeyError(f"no Kafka password for {user} in {self.path}") from None

    def users(self) -> list[str]:
        """Every user with a password in the file."""
        return sorted(self._passwords)


@dataclass(frozen=True)
class BrokerTls:
    """A private CA (clients trust `ca_file`) and the broker's PEM key + chain."""

    ca_file: Path
    keystore: Path

    @classmethod
    def in_folder(cls, folder: Path) -> BrokerTls:
        """Where `ensure_broker_tls(folder)` keeps the files."""
        return cls(folder / "ca.pem", folder / "broker.pem")


def ensure_broker_tls(folder: Path, host: str = "127.0.0.1") -> BrokerTls:
    """Generate (once) a self-signed CA and a broker certificate for `host`."""
    tls = BrokerTls.in_folder(folder)
    if tls.ca_file.exists() and tls.keystore.exists():
        return tls
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lintas local CA")])
    now = datetime.now(UTC)
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    broker_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    cert = (
        _builder(broker_name, ca_name, key.public_key(), now)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chain = cert.public_bytes(pem) + ca_cert.public_bytes(pem)
    write_private(tls.keystore, (key_pem + chain).decode())
    tls.ca_file.write_bytes(ca_cert.public_bytes(pem))
    return tls


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePublicKey, now: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
    )
