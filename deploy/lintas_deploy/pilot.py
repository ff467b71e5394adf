"""Loads the Padang pilot through the public HTTP APIs (never SQL); safe to run again.

It reads what exists first (agreements, packages, each officer's enrollments) and only
sends what is missing, each POST with an Idempotency-Key derived from the data, so a
second `up` or a retried request writes nothing new. Enrollments into packages that
started before Lintas went live are recorded with the day they were made on paper
(``enrolled_on``, see pilot_data). Then the certification side continues the story
(``lintas_deploy.pilot_certification``) if that module exists.

Every call is authenticated as the unit's operator persona (``Tokens``): by default a
token minted with the local issuers' keys in the run folder, as `make up` starts them.
Both parties sign each agreement (the BLK records it, the Lapas counter-signs).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from lintas_deploy import pilot_data as data

WIB = ZoneInfo("Asia/Jakarta")
# The bearer token of the operator persona of a unit (e.g. BPVP-PADANG).
Tokens = Callable[[str], str]


class PilotError(RuntimeError):
    """An API refused part of the pilot for a reason a retry cannot fix."""


@dataclass
class Summary:
    agreements: int = 0
    packages: int = 0
    enrolled: int = 0
    already_enrolled: int = 0
    withdrawn: int = 0
    certification: Any = None
    created: list[str] = field(default_factory=list)


def local_tokens(run_dir: Path | None = None, minutes: int = 30) -> Tokens:
    """Tokens of each unit's working persona (its operator; an LSP's assessor), signed
    with the local issuers' keys in the run folder (those `make up` serves)."""
    from lintas_deploy.issuer.token_command import choose, mint_for
    from lintas_deploy.paths import run_dir as default_run_dir

    folder = run_dir or default_run_dir()
    minted: dict[str, str] = {}

    def token(unit: str) -> str:
        if unit not in minted:
            role = "assessor" if unit.startswith("LSP-") else "operator"
            minted[unit] = mint_for(folder, choose(unit, role), minutes)
        return minted[unit]

    return token


class _Api:
    """Calls that wait out a service that is starting and retryable refusals."""

    def __init__(
        self, client: httpx.AsyncClient, patience: float, tokens: Tokens
    ) -> None:
        self._client = client
        self._patience = patience
        self._tokens = tokens

    def _as(self, unit: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._tokens(unit)}"}

    async def get(self, path: str, unit: str, **params: str) -> Any:
        return await self._call("GET", path, params=params, headers=self._as(unit))

    async def post(
        self, path: str, body: dict[str, Any] | None, unit: str, key: str
    ) -> Any:
        headers = self._as(unit) | {"Idempotency-Key": key}
        return await self._call("POST", path, json=body, headers=headers)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._patience
        while True:
            try:
                response = await self._client.request(method, path, **kwargs)
            except httpx.TransportError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.5)
                continue
            if response.status_code < 400:
                return response.json()
            problem = _json(response)
            retryable = response.status_code >= 500 or problem.get("retryable")
            if not retryable or loop.time() > deadline:
                raise PilotError(
                    f"{method} {path} -> {response.status_code}: {problem}"
                )
            await asyncio.sleep(0.5)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"detail": response.text}
    return body if isinstance(body, dict) else {"detail": body}


async def _sign(api: _Api, summary: Summary) -> None:
    for agreement in data.AGREEMENTS:
        existing = await api.get(
            "/agreements",
            agreement.signed_by,
            lapas_code=agreement.lapas["code"],
            blk_code=data.BLK["code"],
        )
        found = [a for a in existing if a["number"] == agreement.number]
        if found:
            agreement_id = found[0]["agreement_id"]
        else:
            body = {
                "number": agreement.number,
                "lapas": agreement.lapas,
                "blk": data.BLK,
                "kejuruan": list(agreement.kejuruan),
                "valid_from": agreement.valid_from.isoformat(),
                "valid_until": agreement.valid_until.isoformat(),
            }
            signed = await api.post(
                "/agreements",
                body,
                agreement.signed_by,
                f"pilot-pks-{agreement.number}",
            )
            agreement_id = signed["agreement_id"]
            summary.agreements += 1
            summary.created.append(f"agreement {agreement.number}")
        await _countersign(api, agreement, agreement_id)


async def _countersign(api: _Api, agreement: data.Agreement, agreement_id: str) -> None:
    """The other party signs too: the agreement is in force once both have."""
    lapas, blk = agreement.lapas["code"], data.BLK["code"]
    other = blk if agreement.signed_by == lapas else lapas
    path = f"/agreements/{agreement_id}/signature"
    try:
        await api.post(path, None, other, f"pilot-pks-sign-{agreement.number}")
    except PilotError as refused:
        # Signed in an earlier run (or before signatures were recorded): in force.
        if "/party-signs-once" not in str(refused) and "/agreement-in-force" not in str(
            refused
        ):
            raise


async def _open(api: _Api, summary: Summary) -> dict[str, str]:
    blk = data.BLK["code"]
    listed = await api.get(f"/blks/{blk}/packages", blk)
    ids = {p["code"]: p["package_id"] for p in listed}
    for package in data.PACKAGES:
        if package.code in ids:
            continue
        body = {
            "code": package.code,
            "title": package.title,
            "blk": data.BLK,
            "kejuruan": package.kejuruan,
            "track": package.track,
            "start_date": package.start_date.isoformat(),
            "end_date": package.end_date.isoformat(),
            "jp_technical": package.jp_technical,
            "jp_methodology": package.jp_methodology,
            "seats": package.seats,
            "skkni_units": list(package.skkni_units),
        }
        opened = await api.post(
            "/packages", body, blk, f"pilot-package-{blk}-{package.code}"
        )
        ids[package.code] = opened["package_id"]
        summary.packages += 1
        summary.created.append(f"package {package.code}")
    return ids


async def _enrol(api: _Api, ids: dict[str, str], today: date, summary: Summary) -> None:
    starts = {p.code: p.start_date for p in data.PACKAGES}
    for entry in data.ENROLLMENTS:
        officer, package_id = entry.officer, ids[entry.package_code]
        mine = [
            e
            for e in await api.get(
                f"/officers/{officer.nip}/enrollments", officer.lapas_code
            )
            if e["package_id"] == package_id
        ]
        if mine:
            summary.already_enrolled += 1
        else:
            body: dict[str, Any] = {
                "nip": officer.nip,
                "name": officer.name,
                "position": officer.position,
                "lapas_code": officer.lapas_code,
            }
            if starts[entry.package_code] <= today:
                # Made on paper before the package started, recorded now.
                paper_day = starts[entry.package_code] - data.PAPER_LEAD
                body["enrolled_on"] = paper_day.isoformat()
            key = f"pilot-enrol-{entry.package_code}-{officer.nip}"
            path = f"/packages/{package_id}/enrollments"
            enrolled = await api.post(path, body, officer.lapas_code, key)
            mine = [enrolled | {"status": "ENROLLED"}]
            summary.enrolled += 1
        if entry.withdrawn_because and mine[0]["status"] == "ENROLLED":
            path = f"/packages/{package_id}/enrollments/{mine[0]['enrollment_id']}/withdrawal"
            key = f"pilot-withdraw-{entry.package_code}-{officer.nip}"
            await api.post(
                path, {"reason": entry.withdrawn_because}, officer.lapas_code, key
            )
            summary.withdrawn += 1


async def load_enrollment(
    client: httpx.AsyncClient,
    today: date,
    patience: float = 120.0,
    tokens: Tokens | None = None,
) -> Summary:
    """The enrollment side: agreements, packages, enrollments, the one withdrawal."""
    summary = Summary()
    api = _Api(client, patience, tokens or local_tokens())
    await _sign(api, summary)
    ids = await _open(api, summary)
    await _enrol(api, ids, today, summary)
    return summary


async def _load_over_http(
    url: str, today: date, patience: float, tokens: Tokens
) -> Summary:
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as client:
        return await load_enrollment(client, today, patience, tokens)


def load(
    enrollment_url: str,
    certification_url: str,
    *,
    today: date | None = None,
    patience: float = 120.0,
    tokens: Tokens | None = None,
) -> Summary:
    """Agreements, packages and enrollments, then the certification side if it exists."""
    today = today or datetime.now(WIB).date()
    tokens = tokens or local_tokens()
    summary = asyncio.run(_load_over_http(enrollment_url, today, patience, tokens))
    try:
        certification = importlib.import_module("lintas_deploy.pilot_certification")
    except ModuleNotFoundError as exc:
        if exc.name != "lintas_deploy.pilot_certification":
            raise
    else:
        summary.certification = certification.load(
            enrollment_url, certification_url, tokens=tokens
        )
    return summary


if __name__ == "__main__":
    urls = sys.argv[1:3] or ["http://127.0.0.1:8001", "http://127.0.0.1:8002"]
    result = load(urls[0], urls[1])
    print(
        f"enrollment pilot: {result.agreements} agreement(s), {result.packages} package(s),"
        f" {result.enrolled} enrolled ({result.already_enrolled} already),"
        f" {result.withdrawn} withdrawn"
    )
    if result.certification is not None:
        print(f"certification pilot: {result.certification}")
