"""A single-node Apache Kafka (KRaft) broker run from the Maven Central jars.

With `security=` the broker authenticates (SCRAM-SHA-512) and denies by default: every
principal of `kafka_acls` gets a generated password in `<run>/secrets/` and the ACL
table is applied at each start.
"""

import asyncio
import shutil
import subprocess
import time
from pathlib import Path
from typing import Literal

from aiokafka.admin import AIOKafkaAdminClient

from lintas_deploy import procs
from lintas_deploy.aio import run_sync
from lintas_deploy.jars import ensure_jars
from lintas_deploy.kafka_acl_admin import ensure_acls
from lintas_deploy.kafka_acls import ADMIN, PRINCIPALS, usernames
from lintas_deploy.kafka_config import (
    ListenerSecurity,
    log4j2_properties,
    server_properties,
)
from lintas_deploy.paths import KAFKA_CONTROLLER_PORT, KAFKA_JARS, KAFKA_PORT
from lintas_deploy.secrets import BrokerTls, KafkaCredentials, ensure_broker_tls
from lintas_deploy.watchdog import guard
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

BrokerSecurity = Literal["SASL_PLAINTEXT", "SASL_SSL"]


class KafkaNode:
    """One broker+controller on 127.0.0.1 with its data, config and logs in `run_dir`."""

    def __init__(
        self,
        run_dir: Path,
        *,
        port: int = KAFKA_PORT,
        controller_port: int = KAFKA_CONTROLLER_PORT,
        jars_dir: Path = KAFKA_JARS,
        heap: str = "512m",
        owner_pid: int | None = None,
        security: BrokerSecurity | None = None,
    ) -> None:
        self.run_dir = run_dir
        self.security = security
        self.port = port
        self.controller_port = controller_port
        self.jars_dir = jars_dir
        self.heap = heap
        # With an owner (a test run), each started broker dies with that process.
        self.owner_pid = owner_pid
        self.home = run_dir / "kafka"
        self.data_dir = self.home / "data"
        self.config_file = self.home / "server.properties"
        self.log4j_file = self.home / "log4j2.properties"
        self.log_file = run_dir / "logs" / "kafka.log"
        self.out_file = run_dir / "logs" / "kafka.out"
        self.pid_file = run_dir / "pids" / "kafka.pid"
        self.secrets_dir = run_dir / "secrets"
        self.credentials_file = self.secrets_dir / "kafka-credentials.json"
        self.tls_dir = self.secrets_dir / "kafka-tls"
        # Users whose SCRAM credentials were created when the storage was formatted.
        self.scram_users_file = self.home / "scram-users"

    @property
    def bootstrap(self) -> str:
        """The bootstrap servers string for clients."""
        return f"127.0.0.1:{self.port}"

    def credentials(self) -> KafkaCredentials:
        """The per-run passwords of the admin and every principal (on demand)."""
        if self.security is None:
            raise RuntimeError("this broker runs without authentication")
        formatted = (self.data_dir / "meta.properties").exists()
        if formatted and not self.credentials_file.exists():
            # New passwords would not match the SCRAM credentials in the storage.
            raise RuntimeError(
                f"{self.credentials_file} is gone but the broker in {self.data_dir} "
                f"was formatted with it; stop it and delete {self.home} to start afresh"
            )
        return KafkaCredentials.load_or_create(self.credentials_file, usernames())

    def client_security(self, principal: str) -> KafkaSecurity:
        """Client settings of a principal: a `PRINCIPALS` key, a user name or ADMIN."""
        if self.security is None:
            return KafkaSecurity()
        known = PRINCIPALS.get(principal)
        username = known.username if known is not None else principal
        tls = self.security == "SASL_SSL"
        ca = BrokerTls.in_folder(self.tls_dir).ca_file if tls else None
        return KafkaSecurity(
            security_protocol=self.security,
            username=username,
            password=self.credentials().password(username),
            ca_file=ca,
        )

    def admin_security(self) -> KafkaSecurity:
        """Client settings of the super user (topics, ACLs, readiness probe)."""
        return self.client_security(ADMIN)

    def pid(self) -> int | None:
        """The broker's pid if it runs, else None."""
        return procs.running_pid(self.pid_file, marker=str(self.config_file))

    def start(self, timeout: float = 120.0) -> float:
        """Start (formatting storage on first use) and wait until ready; seconds taken."""
        began = time.monotonic()
        if self.pid() is None:
            ensure_jars(self.jars_dir)
            self._write_config()
            if not (self.data_dir / "meta.properties").exists():
                self._format_storage()
            for port in (self.port, self.controller_port):
                if procs.port_open(port):
                    raise RuntimeError(
                        f"port {port} is already in use; Kafka not started"
                    )
            argv = [*self._java(), "kafka.Kafka", str(self.config_file)]
            pid = procs.spawn(argv, log_file=self.out_file, pid_file=self.pid_file)
            if self.owner_pid is not None:
                guard(pid, owner=self.owner_pid)
        self.wait_ready(timeout)
        if self.security is not None:
            admin = self.admin_security()
            run_sync(lambda: ensure_acls(self.bootstrap, admin))
        return time.monotonic() - began

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until the port accepts and the broker answers a metadata request."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pid() is None:
                raise RuntimeError(self._failure("Kafka exited during start-up"))
            if procs.port_open(self.port) and run_sync(self._answers_metadata):
                return
            time.sleep(0.25)
        raise RuntimeError(self._failure(f"Kafka not ready after {timeout:.0f}s"))

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM the broker and wait (SIGKILL after `timeout`); True if it was running."""
        pid = self.pid()
        if pid is not None:
            procs.stop(pid, timeout=timeout)
        self.pid_file.unlink(missing_ok=True)
        return pid is not None

    async def _answers_metadata(self) -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.bootstrap,
            request_timeout_ms=5000,
            **aiokafka_options(self.admin_security()),
        )
        try:
            await asyncio.wait_for(admin.start(), 10)
            cluster = await asyncio.wait_for(admin.describe_cluster(), 10)
            return bool(cluster.get("brokers"))
        except Exception:
            return False
        finally:
            await admin.close()

    def _write_config(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(
            server_properties(
                port=self.port,
                controller_port=self.controller_port,
                log_dir=self.data_dir,
                security=self._listener_security(),
            )
        )
        # The config holds the broker's own password when secured: owner only.
        self.config_file.chmod(0o600)
        self.log4j_file.write_text(log4j2_properties(self.log_file))

    def _listener_security(self) -> ListenerSecurity | None:
        if self.security is None:
            return None
        self._check_scram_users()
        tls = ensure_broker_tls(self.tls_dir) if self.security == "SASL_SSL" else None
        return ListenerSecurity(
            protocol=self.security,
            admin_user=ADMIN,
            admin_password=self.credentials().password(ADMIN).get_secret_value(),
            keystore=tls.keystore if tls else None,
            truststore=tls.ca_file if tls else None,
        )

    def _check_scram_users(self) -> None:
        # Credentials are created only at format time: a user added to the table later
        # needs a freshly formatted broker, said plainly here.
        if not (self.data_dir / "meta.properties").exists():
            return
        # No list at all: the storage was formatted for an open (PLAINTEXT) broker.
        listed = self.scram_users_file.exists()
        formatted = set(self.scram_users_file.read_text().split()) if listed else set()
        missing = [u for u in usernames() if u not in formatted]
        if missing:
            raise RuntimeError(
                f"the broker in {self.data_dir} has no SCRAM credentials for "
                f"{missing}; stop it and delete {self.home} to format it again"
            )

    def _format_storage(self) -> None:
        tool = [*self._java(), "kafka.tools.StorageTool"]
        cluster_id = self._run([*tool, "random-uuid"]).strip().splitlines()[-1]
        scram: list[str] = []
        if self.security is not None:
            creds = self.credentials()
            for user in usernames():
                secret = creds.password(user).get_secret_value()
                scram += [
                    "--add-scram",
                    f"SCRAM-SHA-512=[name={user},password={secret}]",
                ]
        self._run(
            [*tool, "format", "-t", cluster_id, "-c", str(self.config_file), *scram]
        )
        if self.security is not None:
            self.scram_users_file.write_text("\n".join(usernames()) + "\n")

    def _run(self, argv: list[str]) -> str:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            # Never echo --add-scram arguments: they carry passwords.
            shown = [a for a in argv if "password=" not in a][-4:]
            raise RuntimeError(f"{' '.join(shown)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def _java(self) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java (JDK 17+) is needed to run Kafka; install it")
        return [
            java,
            f"-Xmx{self.heap}",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j_file}",
            "-cp",
            f"{self.jars_dir}/*",
        ]

    def _failure(self, what: str) -> str:
        return (
            f"{what}. Broker log: {self.log_file} (stdout: {self.out_file})\n"
            f"--- last lines of {self.log_file.name} ---\n{procs.tail(self.log_file)}\n"
            f"--- {self.out_file.name} ---\n{procs.tail(self.out_file, 15)}"
        )
