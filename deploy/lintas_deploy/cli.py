"""`python -m lintas_deploy up|down|status|infra-up|infra-down|topics|jars|token`."""

import os

import typer

from lintas_deploy import compose_cli
from lintas_deploy.aio import run_sync
from lintas_deploy.issuer import token_command as tc
from lintas_deploy.jars import ensure_jars
from lintas_deploy.kafka import KafkaNode
from lintas_deploy.paths import run_dir
from lintas_deploy.system import LocalSystem
from lintas_deploy.topics import ensure_topics
from lintas_shared.kafka_security import KafkaSecurity

app = typer.Typer(
    help="Run Lintas locally on real Kafka and PostgreSQL.", add_completion=False
)
compose_cli.register(app)


def say(line: str) -> None:
    """Print one progress line."""
    typer.echo(line)


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


@app.command()
def up(
    timeout: float = typer.Option(90.0, help="Seconds to wait per service."),
) -> None:
    """Start Kafka, PostgreSQL, the local issuers and the three services, then load the
    Padang pilot (through authenticated calls)."""
    system = LocalSystem.default()
    try:
        system.infra_up(say)
        system.identity_up(say)
    except RuntimeError as exc:
        _fail(f"infrastructure failed: {exc}")
    problems = system.services_up(say, timeout)
    if problems:
        _fail(
            "services not up (what did start keeps running; `make down` stops it):\n- "
            + "\n- ".join(problems)
        )
    system.load_pilot(say)
    _where(system)


@app.command("infra-up")
def infra_up() -> None:
    """Start only Kafka and PostgreSQL, with databases and topics."""
    try:
        LocalSystem.default().infra_up(say)
    except RuntimeError as exc:
        _fail(str(exc))


@app.command()
def down() -> None:
    """Stop the services, then Kafka, then PostgreSQL."""
    LocalSystem.default().down(say)
    say("everything stopped")


@app.command("infra-down")
def infra_down() -> None:
    """Stop Kafka and PostgreSQL (leaves services alone)."""
    LocalSystem.default().down(say, services=False)


@app.command()
def status() -> None:
    """Show each component: state, pid, address."""
    for name, state, pid, address in LocalSystem.default().status():
        say(f"{name:<14} {state:<9} pid {pid:<8} {address}")


@app.command()
def topics(
    bootstrap: str = typer.Option(
        "127.0.0.1:9092", envvar="LINTAS_KAFKA_BOOTSTRAP", help="Kafka bootstrap."
    ),
    replication_factor: int = typer.Option(1, envvar="LINTAS_TOPIC_REPLICATION"),
) -> None:
    """Create the Lintas topics on a running broker (idempotent), as the admin."""
    admin = admin_security(LocalSystem.default().kafka)
    created = run_sync(
        lambda: ensure_topics(
            bootstrap, replication_factor=replication_factor, security=admin
        )
    )
    say(f"created: {', '.join(created) or 'none (all existed)'}")


@app.command()
def jars() -> None:
    """Fetch the Kafka broker jars with Maven unless already complete."""
    say(f"kafka jars in {ensure_jars()}")


@app.command()
def token(
    unit: str = typer.Option(..., help="Unit code, e.g. LAPAS-IIA-PADANG."),
    role: str = typer.Option(..., help="operator, assessor, analyst, ..."),
    persona: str | None = typer.Option(None, help="Persona id, if several fit."),
    minutes: int = typer.Option(60, min=1, max=1440, help="Lifetime of the token."),
) -> None:
    """Print an access token of a pilot persona, signed by the local issuer's key."""
    try:
        chosen = tc.choose(unit, role, persona)
    except tc.NoSuchPersona as exc:
        _fail(str(exc))
    typer.echo(tc.mint_for(run_dir(), chosen, minutes))


def admin_security(node: KafkaNode) -> KafkaSecurity:
    """The admin's Kafka login: LINTAS_KAFKA_SECURITY (JSON), else `make up`'s."""
    raw = os.environ.get("LINTAS_KAFKA_SECURITY")
    if raw:
        return KafkaSecurity.model_validate_json(raw)
    if node.security is not None and node.credentials_file.exists():
        return node.admin_security()
    return KafkaSecurity()


def _where(system: LocalSystem) -> None:
    lines = ["", "Lintas is up. Where to look:"]
    for svc in system.services:
        url = svc.spec.url
        lines.append(f"  {svc.spec.name:<14} API {url}   docs {url}/docs")
    lines += [
        f"  dashboard      {system.services[-1].spec.url}/",
        f"  Kafka          bootstrap {system.kafka.bootstrap} (SASL SCRAM-SHA-512; "
        f"passwords in {system.kafka.credentials_file})",
        f"  PostgreSQL     {system.postgres.shown_dsn('lintas_enrollment')} (and "
        "lintas_certification, lintas_reporting; one role each, passwords in "
        f"{system.postgres.credentials_file})",
        f"  logs           {system.logs}",
        "  stop with      make down",
    ]
    say("\n".join(lines))


def main() -> None:
    """Console entry point."""
    app()
