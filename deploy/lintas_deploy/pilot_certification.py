"""Padang pilot, certification side: BPVP Padang records completions and tests over HTTP.

Reads the officers enrolled in BPVP Padang's instructor-track packages from the enrollment
API, waits until the certification service has seen each enrollment, then records a
completion and the technical and methodology results following a fixed mix of stories
(first-time passes, BK then K, attendance too low, reassessment pending). Every POST has
a deterministic Idempotency-Key, so running it again writes nothing new.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

BLK_CODE = "BPVP-PADANG"
LSP_CODE = "LSP-P2-BPVP-PADANG"  # the LSP whose accredited assessor records results
# The bearer token of a unit's working persona (see lintas_deploy.pilot.local_tokens).
Tokens = Callable[[str], str]
WIB = ZoneInfo("Asia/Jakarta")
LSP = "LSP P2 BPVP Padang"
# Training-methodology units (the instructor's own competence); fictitious but well-formed.
METHODOLOGY_UNITS = ("P.854900.001.01", "P.854900.002.01")


@dataclass(frozen=True)
class Story:
    """What happens to one officer: attendance share and assessments (kind, result, day)."""

    name: str
    attendance: float | None  # None: completion not recorded yet
    assessments: tuple[tuple[str, str, int], ...] = ()


STORIES = (
    Story("passes first time", 0.97, (("TECHNICAL", "K", 3), ("METHODOLOGY", "K", 5))),
    Story(
        "technical BK, K on reassessment",
        0.94,
        (("TECHNICAL", "BK", 3), ("METHODOLOGY", "K", 5), ("TECHNICAL", "K", 20)),
    ),
    Story(
        "methodology BK, K on reassessment",
        0.92,
        (("TECHNICAL", "K", 3), ("METHODOLOGY", "BK", 5), ("METHODOLOGY", "K", 19)),
    ),
    Story(
        "attendance below the share",
        0.80,
        (("TECHNICAL", "K", 3), ("METHODOLOGY", "K", 5)),
    ),
    Story("passes first time", 1.0, (("TECHNICAL", "K", 4), ("METHODOLOGY", "K", 6))),
    Story("technical BK, reassessment pending", 0.95, (("TECHNICAL", "BK", 3),)),
    Story("completion not recorded yet", None),
)


@dataclass
class Summary:
    officers: int = 0
    completed: int = 0
    certified: list[str] = field(default_factory=list)
    skipped_packages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        skipped = (
            f"; skipped {', '.join(self.skipped_packages)}"
            if self.skipped_packages
            else ""
        )
        return (
            f"{self.officers} officer(s), {self.completed} completed,"
            f" {len(self.certified)} certified instructor(s){skipped}"
        )


class ApiError(RuntimeError):
    """An API answered with an error the loader cannot fix by retrying."""


def _call(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _retrying(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> Any:
    """Call until answered; retryable problems (enrollment not arrived yet) are waited out."""
    deadline = time.monotonic() + timeout
    while True:
        status, answer = _call(method, url, body, headers)
        if status < 400:
            return answer
        retryable = isinstance(answer, dict) and answer.get("retryable")
        if not retryable or time.monotonic() > deadline:
            raise ApiError(f"{method} {url} -> {status}: {answer}")
        time.sleep(0.5)


def _bearer(tokens: Tokens, unit: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens(unit)}"}


def _post_key(
    tokens: Tokens, unit: str, enrollment_id: str, step: str
) -> dict[str, str]:
    return _bearer(tokens, unit) | {
        "Idempotency-Key": f"pilot-cert-{enrollment_id}-{step}",
    }


def _recorded_by_others(error: ApiError) -> bool:
    return "/training-already-completed" in str(error)


def _record(
    certification_url: str,
    blk_code: str,
    enrollment: dict[str, Any],
    story: Story,
    today: date,
    technical_units: list[str],
    tokens: Tokens,
) -> dict[str, Any] | None:
    """Apply one officer's story; the last answer (with any certificate), if anything ran.

    An officer whose completion an operator already recorded otherwise is left alone.
    """
    eid = enrollment["enrollment_id"]
    base = f"{certification_url}/enrollments/{eid}"
    # Waits until the enrollment has arrived; the BLK sees its own trainees' records.
    record = _retrying(
        "GET", f"{base}/training-record", None, _bearer(tokens, blk_code)
    )
    if story.attendance is None:
        return None
    completed_on = date.fromisoformat(record["end_date"])
    attended = int(story.attendance * record["jp_total"])
    try:
        answer = _retrying(
            "POST",
            f"{base}/completion",
            {"completed_on": completed_on.isoformat(), "attended_jp": attended},
            _post_key(tokens, blk_code, eid, "completion"),
        )
    except ApiError as error:
        if _recorded_by_others(error):
            return None
        raise
    for n, (kind, result, days) in enumerate(story.assessments):
        step = f"assessment-{n}"
        answer = _retrying(
            "POST",
            f"{base}/assessments",
            {
                "assessment_id": str(
                    uuid5(NAMESPACE_URL, f"lintas-pilot:{eid}:{step}")
                ),
                "kind": kind,
                "result": result,
                "lsp": LSP,
                "assessed_on": min(
                    completed_on + timedelta(days=days), today
                ).isoformat(),
                "skkni_units": list(
                    technical_units if kind == "TECHNICAL" else METHODOLOGY_UNITS
                ),
            },
            _post_key(tokens, LSP_CODE, eid, step),
        )
    return dict(answer)


def load(
    enrollment_url: str,
    certification_url: str,
    *,
    blk_code: str = BLK_CODE,
    today: date | None = None,
    tokens: Tokens | None = None,
) -> Summary:
    """Continue the pilot; safe to run again (every write replays its first answer).

    Completions come from the BLK's operator, assessments from the LSP's accredited
    assessor (``tokens``; default: minted with the local issuers' keys).
    """
    if tokens is None:
        from lintas_deploy.pilot import local_tokens

        tokens = local_tokens()
    today = today or datetime.now(WIB).date()
    summary = Summary()
    blk = _bearer(tokens, blk_code)
    packages = _retrying("GET", f"{enrollment_url}/blks/{blk_code}/packages", None, blk)
    for package in packages:
        if package["track"] != "INSTRUCTOR" or package["status"] == "CANCELLED":
            continue
        if date.fromisoformat(package["end_date"]) > today:
            # Completion is recorded once the package is over.
            summary.skipped_packages.append(f"{package['code']} (still running)")
            continue
        roster = _retrying(
            "GET",
            f"{enrollment_url}/packages/{package['package_id']}/roster",
            None,
            blk,
        )
        officers = sorted(
            (e for e in roster["enrollments"] if e["status"] == "ENROLLED"),
            key=lambda e: e["nip"],
        )
        units = package["skkni_units"] or ["C.000000.001.01"]
        for index, enrollment in enumerate(officers):
            story = STORIES[index % len(STORIES)]
            answer = _record(
                certification_url, blk_code, enrollment, story, today, units, tokens
            )
            summary.officers += 1
            if answer is None:
                continue
            summary.completed += 1
            certificate = answer.get("certificate")
            if (
                certificate
                and certificate["from_enrollment_id"] == enrollment["enrollment_id"]
            ):
                summary.certified.append(certificate["certificate_number"])
    return summary


if __name__ == "__main__":
    urls = sys.argv[1:3] or ["http://127.0.0.1:8001", "http://127.0.0.1:8002"]
    result = load(urls[0], urls[1])
    print(f"certification pilot: {result}")
    for number in result.certified:
        print(f"  {number}")
