"""The docker-compose set-up commands of `python -m lintas_deploy` (see compose.py)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import typer

from lintas_deploy import compose

ENV_OUT = typer.Option(Path(".env"), help="File to write (refused if present).")
CONFIG_OUT = typer.Argument(..., help="Folder the broker container reads.")


def register(app: typer.Typer) -> None:
    """Add compose-env, kafka-config, kafka-acls and db-roles to `app`."""
    app.command("compose-env")(compose_env)
    app.command("kafka-config")(kafka_config)
    app.command("kafka-acls")(kafka_acls)
    app.command("db-roles")(db_roles)


def compose_env(
    out: Path = ENV_OUT,
) -> None:
    """Write a .env of generated passwords for docker compose (0600, not committed)."""
    if out.exists():
        typer.secho(f"{out} exists; delete it to generate new secrets", err=True)
        raise typer.Exit(1)
    out.touch(mode=0o600)
    out.write_text(compose.env_file())
    typer.echo(f"secrets written to {out}")


def kafka_config(
    out: Path = CONFIG_OUT,
    advertised_host: str = typer.Option("kafka", help="Name clients reach it by."),
) -> None:
    """Render the secured broker config and its SCRAM users from the environment."""
    for path in compose.write_kafka_config(out, advertised_host=advertised_host):
        typer.echo(f"wrote {path}")


def kafka_acls(
    bootstrap: str = typer.Option(
        "kafka:9092", envvar="LINTAS_KAFKA_BOOTSTRAP", help="Kafka bootstrap."
    ),
    wait: float = typer.Option(120.0, help="Seconds to wait for the broker."),
) -> None:
    """Apply the ACL table of kafka_acls and create the topics, as the admin."""
    deadline = time.monotonic() + wait
    while True:
        try:
            changes, created = asyncio.run(compose.apply_acls_and_topics(bootstrap))
            break
        except Exception as exc:  # the broker may still be starting
            if time.monotonic() > deadline:
                typer.secho(f"kafka-acls failed: {exc!r}", err=True)
                raise typer.Exit(1) from exc
            time.sleep(2)
    typer.echo(
        f"acls: {len(changes.created)} created, {len(changes.deleted)} deleted; "
        f"topics created: {', '.join(created) or 'none (all existed)'}"
    )


def db_roles(
    admin_url: str = typer.Option(
        ..., envvar="LINTAS_DATABASE_URL", help="Superuser URL of the server."
    ),
) -> None:
    """One role and database per service, passwords from LINTAS_DB_PASSWORD_*."""
    names = compose.create_db_roles(admin_url)
    typer.echo("roles and databases: " + ", ".join(names))
