"""``python -m reporting`` serves; ``rebuild`` rebuilds read models; ``status`` shows them."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer

from reporting.application.rebuild import Progress
from reporting.domain.models import MODELS

cli = typer.Typer(add_completion=False, help=__doc__)


@cli.callback(invoke_without_command=True)
def main(ctx: typer.Context) -> None:
    """Run the reporting service (query API, dashboard, projector) when no command is given."""
    if ctx.invoked_subcommand is None:
        serve()


@cli.command()
def serve() -> None:
    """Run the query API, dashboard and live projector."""
    from reporting.bootstrap import serve as run
    from reporting.settings import ReportingSettings

    run(ReportingSettings())


class _Printer:
    """Progress lines at most once a second, and always for phase changes."""

    def __init__(self) -> None:
        self._last = 0.0
        self._phase = ""

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.phase == self._phase and now - self._last < 1.0:
            return
        self._last, self._phase = now, p.phase
        share = f"{100 * p.applied / p.total:5.1f}%" if p.total else "  -  "
        typer.echo(
            f"[{p.generation}] {p.phase:8} {p.applied:>10,}/{p.total:,} events "
            f"{share}  {p.rate:,.0f} ev/s  skipped {p.skipped}"
        )


@cli.command()
def rebuild(
    model: Annotated[
        list[str] | None,
        typer.Option("--model", help=f"Read model to rebuild: {', '.join(MODELS)}"),
    ] = None,
    all_models: Annotated[
        bool, typer.Option("--all", help="Rebuild every read model.")
    ] = False,
) -> None:
    """Replay both topics into a new generation, then switch queries to it atomically."""
    from reporting.bootstrap import rebuild as run
    from reporting.settings import ReportingSettings

    if not model and not all_models:
        raise typer.BadParameter("give --model NAME (repeatable) or --all")
    unknown = [m for m in model or [] if m not in MODELS]
    if unknown:
        raise typer.BadParameter(f"unknown model(s): {', '.join(unknown)}")
    settings = ReportingSettings()
    result = asyncio.run(run(settings, None if all_models else model, _Printer()))
    typer.echo(
        f"switched {result.previous} -> {result.generation}: {result.applied:,} events "
        f"in {result.seconds:.1f} s ({result.applied / max(result.seconds, 1e-9):,.0f} "
        f"ev/s), skipped {result.skipped}, dropped {result.dropped or 'none'}"
    )


@cli.command()
def status() -> None:
    """List the read-model generations; exit 1 if none is current or it is outdated."""
    import asyncpg

    from reporting.adapters.postgres.generations import LAYOUT
    from reporting.bootstrap import status as run
    from reporting.settings import ReportingSettings

    try:
        rows = asyncio.run(run(ReportingSettings()))
    except asyncpg.UndefinedTableError:
        rows = []
    for g in rows:
        progress = f"{g['replayed']:,}/{g['to_replay']:,}" if g["to_replay"] else "-"
        typer.echo(
            f"{g['name']:8} {g['state']:8} layout {g['layout']}  "
            f"replayed {progress:>15}  created {g['created_at']}  "
            f"switched {g['switched_at'] or '-'}"
        )
    current = [g for g in rows if g["state"] == "current"]
    if not current:
        typer.echo("no current generation: start the service or run `rebuild --all`")
        raise typer.Exit(1)
    if current[0]["layout"] < LAYOUT:
        typer.echo(
            f"current generation {current[0]['name']} has layout "
            f"{current[0]['layout']}, this version needs {LAYOUT}: run `rebuild --all`"
        )
        raise typer.Exit(1)
    typer.echo(f"current: {current[0]['name']} (layout {LAYOUT})")


if __name__ == "__main__":
    cli()
