"""Render the single-node KRaft server.properties and the log4j2 configuration."""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule"
PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule"


@dataclass(frozen=True)
class ListenerSecurity:
    """SASL on the client listener; `admin_user` is the broker's own super user.

    SASL_SSL needs `keystore` (PEM: private key, then the certificate chain) and
    `truststore` (PEM CA): the broker checks at start that it can reach itself.
    """

    protocol: Literal["SASL_PLAINTEXT", "SASL_SSL"]
    admin_user: str
    admin_password: str
    keystore: Path | None = None
    truststore: Path | None = None

    def __post_init__(self) -> None:
        tls = self.keystore is not None and self.truststore is not None
        if (self.protocol == "SASL_SSL") != tls:
            raise ValueError("keystore and truststore with SASL_SSL, and only then")
        for value in (self.admin_user, self.admin_password):
            if not value or any(c in value for c in '"\\;= \n'):
                raise ValueError("admin user/password must be plain tokens")


def server_properties(
    *,
    port: int,
    controller_port: int,
    log_dir: Path,
    node_id: int = 1,
    security: ListenerSecurity | None = None,
    bind_host: str = "127.0.0.1",
    advertised_host: str = "127.0.0.1",
) -> str:
    """A broker+controller node, every internal topic at replication 1.

    The client listener binds `bind_host` and is advertised as `advertised_host`
    (compose: 0.0.0.0 and the service name); the controller stays on 127.0.0.1.
    """
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        # Static voters: StorageTool format must then run WITHOUT --standalone.
        "controller.quorum.voters": f"{node_id}@127.0.0.1:{controller_port}",
        "listeners": (
            f"PLAINTEXT://{bind_host}:{port},CONTROLLER://127.0.0.1:{controller_port}"
        ),
        "advertised.listeners": f"PLAINTEXT://{advertised_host}:{port}",
        "inter.broker.listener.name": "PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(log_dir),
        "num.partitions": "1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "min.insync.replicas": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
    }
    if security is not None:
        settings.update(
            _secured(port, controller_port, security, bind_host, advertised_host)
        )
    lines = ["# Written by lintas_deploy.kafka; regenerated on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _secured(
    port: int,
    controller_port: int,
    sec: ListenerSecurity,
    bind_host: str,
    advertised_host: str,
) -> dict[str, str]:
    """SCRAM on the client listener, PLAIN on the controller one, deny by default.

    KRaft's controller listener cannot use SCRAM (KIP-900: the credentials live in the
    metadata the controller serves), so the broker reaches its controller as a PLAIN
    user defined only in this file; clients and inter-broker calls use SCRAM.
    """
    name = sec.protocol.lower()
    user, password = sec.admin_user, sec.admin_password
    settings = {
        "listeners": f"{sec.protocol}://{bind_host}:{port},"
        f"CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"{sec.protocol}://{advertised_host}:{port}",
        "inter.broker.listener.name": sec.protocol,
        "listener.security.protocol.map": (
            f"{sec.protocol}:{sec.protocol},CONTROLLER:SASL_PLAINTEXT"
        ),
        "sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        f"listener.name.{name}.sasl.enabled.mechanisms": "SCRAM-SHA-512",
        f"listener.name.{name}.scram-sha-512.sasl.jaas.config": (
            f'{SCRAM_LOGIN} required username="{user}" password="{password}";'
        ),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": (
            f'{PLAIN_LOGIN} required username="{user}" password="{password}" '
            f'user_{user}="{password}";'
        ),
        "authorizer.class.name": STANDARD_AUTHORIZER,
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{user}",
    }
    if sec.keystore is not None and sec.truststore is not None:
        tls = f"listener.name.{name}.ssl"
        settings[f"{tls}.keystore.type"] = "PEM"
        settings[f"{tls}.keystore.location"] = str(sec.keystore)
        settings[f"{tls}.truststore.type"] = "PEM"
        settings[f"{tls}.truststore.location"] = str(sec.truststore)
        settings[f"{tls}.client.auth"] = "none"  # clients prove themselves by SCRAM
    return settings


def log4j2_properties(log_file: Path) -> str:
    """Log4j2 config: INFO to `log_file`, noisy state-change logger at WARN."""
    return f"""\
status = warn
name = lintas-kafka
# Keep logging through the JVM shutdown (Kafka logs its own shutdown steps).
shutdownHook = disable
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = {log_file}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
logger.state.additivity = false
logger.state.appenderRef.file.ref = FILE
"""
