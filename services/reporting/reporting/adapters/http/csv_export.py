"""CSV exports that a spreadsheet opens safely: no formulas, UTF-8 with BOM, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from decimal import Decimal
from typing import Any

import anyio
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from reporting.adapters.postgres.queries import Export, plain

BOM = "\ufeff"
# OWASP "CSV injection": a cell starting with one of these may run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def cell(value: Any) -> str | int | float | Decimal:
    """A value as a CSV cell; text a spreadsheet would evaluate gets a leading ``'``.

    Numbers from the database stay numbers (a negative count is still a number); only
    text is neutralised, so the text "-1+2" cannot become a formula.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, list | tuple):
        text = ";".join("" if v is None else str(plain(v)) for v in value)
    else:
        text = str(plain(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def lines(columns: Sequence[str], rows: Iterable[Any], *, first: bool) -> str:
    """CSV text (CRLF line ends) for some rows; the first chunk carries BOM and header."""
    out = io.StringIO()
    writer = csv.writer(out)
    if first:
        out.write(BOM)
        writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row[c]) for c in columns])
    return out.getvalue()


async def _chunks(export: Export) -> AsyncIterator[bytes]:
    try:
        batch: list[Any] = []
        first = True
        async for row in export.rows:
            batch.append(row)
            if len(batch) >= ROWS_PER_CHUNK:
                yield lines(export.columns, batch, first=first).encode()
                batch, first = [], False
        if batch or first:
            yield lines(export.columns, batch, first=first).encode()
    finally:
        # Also when the client went away mid-stream (the task is being cancelled).
        with anyio.CancelScope(shield=True):
            await export.close()


def csv_response(name: str, export: Export, cap: int) -> StreamingResponse:
    """Stream ``export``; headers say the cap and whether it cut the rows short."""
    return StreamingResponse(
        _chunks(export),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "X-Data-As-Of": plain(export.data_as_of) or "",
            "X-Generation": export.generation,
            "X-Row-Cap": str(cap),
            "X-Total-Rows": str(export.total),
            "X-Truncated": "true" if export.total > cap else "false",
        },
        # Releases the snapshot even if the body was never started.
        background=BackgroundTask(export.close),
    )


CSV_HEADERS: dict[str, Any] = {
    "X-Row-Cap": {
        "description": "At most this many rows are exported (the service's "
        "LINTAS_REPORTING_CSV_ROW_CAP).",
        "schema": {"type": "integer", "minimum": 1},
    },
    "X-Total-Rows": {
        "description": "Rows matching the filters, before the cap.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-Truncated": {
        "description": "true when X-Total-Rows exceeds X-Row-Cap and the export "
        "holds only the first X-Row-Cap rows (in the model's order).",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
    "X-Data-As-Of": {
        "description": "Event time of the latest event applied (RFC 3339), or empty.",
        "schema": {"type": "string"},
    },
    "X-Generation": {
        "description": "Read-model generation that answered.",
        "schema": {"type": "string"},
    },
}
