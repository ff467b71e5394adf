"""Render the single-node KRaft server.properties and the log4j2 configuration."""

from pathlib import Path


def server_properties(
    *, port: int, controller_port: int, log_dir: Path, node_id: int = 1
) -> str:
    """A broker+controller node on 127.0.0.1, every internal topic at replication 1."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        # Static voters: StorageTool format must then run WITHOUT --standalone.
        "controller.quorum.voters": f"{node_id}@127.0.0.1:{controller_port}",
        "listeners": (
            f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}"
        ),
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
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
    lines = ["# Written by lintas_deploy.kafka; regenerated on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


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
