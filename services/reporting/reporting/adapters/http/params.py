"""Query parameters per read model: each endpoint documents exactly what it accepts."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Query, Request

from lintas_shared.contracts.base import Kejuruan, Track
from lintas_shared.http.problems import Problem
from lintas_shared.http.values import IsoDate
from lintas_shared.identity.fastapi import Authenticated
from reporting.domain.models import ReadModel

UNIT_CODE = r"^[A-Z0-9][A-Z0-9-]{1,63}$"
NIP = r"^[0-9]{18}$"
# Free text (province names): no C0, DEL or C1 control character, as the edge refuses.
PROVINCE = r"^[^\x00-\x1f\x7f-\x9f]{2,100}$"
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 1000
KW = inspect.Parameter.KEYWORD_ONLY


def _p(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, KW, default=None, annotation=annotation)


def _code(what: str) -> Any:
    return Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=UNIT_CODE,
            description=f"{what} code (capitals, digits, '-'), e.g. {what.upper()}-X.",
        ),
    ]


def _vocabulary(m: ReadModel) -> type[StrEnum]:
    if m.status is None:
        raise TypeError(f"{m.name} filters by status but names no status vocabulary")
    return m.status


FILTERS: dict[str, Callable[[ReadModel], inspect.Parameter]] = {
    "province": lambda m: _p(
        "province",
        Annotated[
            str | None,
            Query(
                min_length=2,
                max_length=100,
                pattern=PROVINCE,
                description="Province (Kanwil), e.g. Sumatera Barat.",
            ),
        ],
    ),
    "lapas": lambda m: _p("lapas", _code("Lapas")),
    "blk": lambda m: _p("blk", _code("BLK")),
    "kejuruan": lambda m: _p(
        "kejuruan", Annotated[Kejuruan | None, Query(description="Trade.")]
    ),
    "year": lambda m: _p(
        "year",
        Annotated[
            int | None,
            Query(ge=1950, le=2100, description="Programme year (package start)."),
        ],
    ),
    "status": lambda m: _p(
        "status",
        Annotated[
            _vocabulary(m) | None, Query(description=f"Status of a {m.name} row.")
        ],
    ),
    "track": lambda m: _p(
        "track", Annotated[Track | None, Query(description="Package track.")]
    ),
    "nip": lambda m: _p(
        "nip",
        Annotated[
            str | None,
            Query(min_length=18, max_length=18, pattern=NIP, description="NIP."),
        ],
    ),
}


def _period(m: ReadModel) -> list[inspect.Parameter]:
    if m.period is None:
        return []
    return [
        _p(
            f"period_{end}",
            Annotated[
                IsoDate | None,
                Query(alias=end, description=f"{m.period} {word} (inclusive)."),
            ],
        )
        for end, word in (("from", "from"), ("to", "until"))
    ]


def _group_by(m: ReadModel) -> list[inspect.Parameter]:
    if not m.can_roll_up:
        return []
    one = "|".join(m.dimensions)
    return [
        _p(
            "group_by",
            Annotated[
                str | None,
                Query(
                    max_length=200,
                    pattern=f"^({one})(,({one}))*$",
                    description="Comma-separated dimensions to roll up to "
                    f"({', '.join(m.dimensions)}): measures summed, ratios recomputed.",
                ),
            ],
        )
    ]


def _paging() -> list[inspect.Parameter]:
    return [
        inspect.Parameter(
            "page",
            KW,
            default=1,
            annotation=Annotated[
                int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")
            ],
        ),
        inspect.Parameter(
            "page_size",
            KW,
            default=50,
            annotation=Annotated[
                int,
                Query(ge=1, le=MAX_PAGE_SIZE, description="Rows per page."),
            ],
        ),
        inspect.Parameter(
            "format",
            KW,
            default="json",
            annotation=Annotated[
                Literal["json", "csv"],
                Query(description="json (one page) or csv (every row, capped)."),
            ],
        ),
    ]


def parameters(m: ReadModel, *, paged: bool) -> list[inspect.Parameter]:
    """The model's own query parameters, as FastAPI reads them from a signature."""
    found = [FILTERS[name](m) for name in m.accepts]
    found += _period(m) + _group_by(m)
    return found + (_paging() if paged else [])


def query_names(params: Iterable[inspect.Parameter]) -> frozenset[str]:
    """The names on the wire (``from``/``to`` for the period)."""
    return frozenset(p.name.removeprefix("period_") for p in params)


def refuse_unknown(request: Request, model: ReadModel, known: frozenset[str]) -> None:
    """A parameter the model does not offer is an error, not silently ignored."""
    for name in request.query_params:
        if name not in known:
            shown = name[:64]
            raise Problem(
                400,
                "unsupported-query",
                f"{model.name} does not accept the query parameter {shown!r}; it "
                f"accepts: {', '.join(sorted(known))}",
                errors=[
                    {"field": f"query.{shown}", "message": "not offered by this model"}
                ],
            )


def with_signature(
    fn: Callable[..., Any], params: list[inspect.Parameter]
) -> Callable[..., Any]:
    """Give ``fn(request, principal, **values)`` the signature FastAPI reads."""
    request = inspect.Parameter(
        "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
    )
    # Every read model needs a verified reader: 401 before any parameter is looked at.
    principal = inspect.Parameter(
        "principal", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Authenticated
    )
    signature = inspect.Signature([request, principal, *params])
    fn.__signature__ = signature  # type: ignore[attr-defined]
    return fn
