"""Schemathesis against one running service: pilot seed data, the CLI run, its report."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from tests.e2e.conftest import RunningSystem

# Every fuzzed request carries these; the identity layer will put a bearer token here
# (and sanitisation below must then hide it: "auth" stays a sensitive marker).
REQUEST_HEADERS: Mapping[str, str] = {
    "X-Actor-Agency": "KEMNAKER",
    "X-Actor-Unit": "BPVP-PADANG",
}
# Seeding acts as each unit would, as the other e2e tests do.
AS_LAPAS = {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-IIA-PADANG"}
AS_BLK = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": "BPVP-PADANG"}
BPVP = {"code": "BPVP-PADANG", "name": "BPVP Padang", "province": "Sumatera Barat"}
LAPAS = {
    "code": "LAPAS-IIA-PADANG",
    "name": "Lapas Kelas IIA Padang",
    "province": "Sumatera Barat",
}
KEJURUAN = "TEKNIK_LAS"
PHASES = "examples,coverage,fuzzing,stateful"


@dataclass(frozen=True)
class FuzzSettings:
    """How much to generate and from which seed (None: a random one, printed)."""

    max_examples: int
    seed: int | None

    @classmethod
    def from_env(cls, max_examples: int, seed: int) -> FuzzSettings:
        """LINTAS_FUZZ_MAX_EXAMPLES raises the bound; LINTAS_FUZZ_SEED=random or N."""
        examples = int(os.environ.get("LINTAS_FUZZ_MAX_EXAMPLES", max_examples))
        chosen = os.environ.get("LINTAS_FUZZ_SEED", str(seed))
        return cls(examples, None if chosen == "random" else int(chosen))


@dataclass(frozen=True)
class Pilot:
    """Real objects the fuzzer can reach: one certified officer of the Padang pilot."""

    agreement_id: str
    package_id: str
    enrollment_id: str
    nip: str
    certificate_number: str


@dataclass(frozen=True)
class Failure:
    """One failing test case as the junit report gives it."""

    operation: str
    codes: str
    text: str


@dataclass
class FuzzResult:
    """Figures and failures of one schemathesis run against one service."""

    service: str
    exit_code: int
    seed: int | None
    operations: int
    test_cases: int
    errors: int
    kinds: dict[str, int] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    output: str = ""

    @property
    def clean(self) -> bool:
        """True when schemathesis reported nothing: no failure, no error."""
        return self.exit_code == 0 and not (self.kinds or self.failures or self.errors)

    def summary(self) -> str:
        """One line with the figures the issue's closing note needs."""
        kinds = ", ".join(f"{k} x{n}" for k, n in self.kinds.items()) or "none"
        phases = ", ".join(f"{k} {v}" for k, v in self.phases.items())
        return (
            f"{self.service}: {self.operations} operations, {self.test_cases} test "
            f"cases, {sum(self.kinds.values())} failures ({kinds}), {self.errors} "
            f"errors, exit {self.exit_code}, seed {self.seed}; phases: {phases}"
        )

    def describe(self, limit: int = 20_000) -> str:
        """The summary and every failure with its curl reproduction, for an assert."""
        parts = [self.summary()]
        parts += [f"--- {f.operation} [{f.codes}]\n{f.text}" for f in self.failures]
        if self.errors or (self.exit_code and not self.failures):
            parts.append(f"--- schemathesis output (tail)\n{self.output[-4000:]}")
        text = "\n".join(parts)
        return text if len(text) <= limit else text[:limit] + "\n... (truncated)"


def fictitious_nip() -> str:
    """A valid-looking NIP nobody has: born 1980-1995, appointed at 25, random sequence."""
    born = date(1980, 1, 1) + timedelta(days=random.randrange(0, 15 * 365))
    sequence = f"{random.choice('12')}{random.randrange(1, 999):03d}"
    return f"{born:%Y%m%d}{born.year + 25}{born.month:02d}{sequence}"


def seed_pilot(system: RunningSystem, timeout: float = 90.0) -> Pilot:
    """Agreement, package, enrollment, completion and K/K assessments over HTTP.

    Waits until certification knows the enrollment and reporting shows the officer,
    so that GET endpoints and the stateful phase find real objects.
    """
    today = date.today()
    start, end = today - timedelta(days=75), today - timedelta(days=15)
    nip = fictitious_nip()
    with httpx.Client(base_url=system.enrollment, timeout=20) as enrollment:
        agreement = _post(
            enrollment,
            "/agreements",
            {
                "number": f"PKS/{uuid.uuid4().hex[:6]}/2026",
                "lapas": LAPAS,
                "blk": BPVP,
                "kejuruan": [KEJURUAN],
                "valid_from": (start - timedelta(days=30)).isoformat(),
                "valid_until": (end + timedelta(days=365)).isoformat(),
            },
            AS_LAPAS,
        )
        package = _post(
            enrollment,
            "/packages",
            {
                "code": f"PDG-LAS-{uuid.uuid4().hex[:6].upper()}",
                "title": "Welding SMAW + metodologi",
                "blk": BPVP,
                "kejuruan": KEJURUAN,
                "track": "INSTRUCTOR",
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "jp_technical": 240,
                "jp_methodology": 80,
                "seats": 16,
                "skkni_units": ["C.25LAS01.001.1"],
            },
            AS_BLK,
        )
        enrolled = _post(
            enrollment,
            f"/packages/{package['package_id']}/enrollments",
            {
                "nip": nip,
                "name": "Rahmat Hidayat",
                "position": "Petugas Pembinaan",
                "lapas_code": LAPAS["code"],
                "agreement_id": agreement["agreement_id"],
                "enrolled_on": (start - timedelta(days=7)).isoformat(),
            },
            AS_LAPAS,
        )
    record = f"/enrollments/{enrolled['enrollment_id']}"
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=system.certification, timeout=20) as certification:
        # Certification learns of the enrollment from Kafka: a retryable 409 until then.
        completion = {"completed_on": end.isoformat(), "attended_jp": 300}
        _post(certification, f"{record}/completion", completion, AS_BLK, deadline)
        outcome: dict = {}
        for kind, day in (("TECHNICAL", 1), ("METHODOLOGY", 2)):
            assessment = {
                "kind": kind,
                "result": "K",
                "lsp": "LSP Pelatihan Kerja Padang",
                "assessed_on": (end + timedelta(days=day)).isoformat(),
                "skkni_units": ["C.25LAS01.001.1"],
            }
            outcome = _post(certification, f"{record}/assessments", assessment, AS_BLK)
    _wait_for_officer(system.reporting, nip, deadline)
    return Pilot(
        agreement_id=agreement["agreement_id"],
        package_id=package["package_id"],
        enrollment_id=enrolled["enrollment_id"],
        nip=nip,
        certificate_number=outcome["certificate"]["certificate_number"],
    )


def _post(
    client: httpx.Client,
    path: str,
    body: dict,
    actor: dict[str, str],
    deadline: float | None = None,
) -> dict:
    headers = {**actor, "Idempotency-Key": f"fuzz-seed-{uuid.uuid4()}"}
    while True:
        answer = client.post(path, json=body, headers=headers)
        retry = answer.status_code == 409 and answer.json().get("retryable")
        if not retry or deadline is None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert answer.status_code in (200, 201), f"seeding {path}: {answer.text}"
    return dict(answer.json())


def _wait_for_officer(reporting: str, nip: str, deadline: float) -> None:
    with httpx.Client(base_url=reporting, timeout=10) as client:
        while time.monotonic() < deadline:
            answer = client.get(f"/api/v1/officers/{quote(nip)}")
            if answer.status_code == 200 and answer.json().get("enrollments"):
                return
            time.sleep(0.3)
    raise AssertionError("reporting never showed the seeded officer")


def known_values(service: str, pilot: Pilot) -> dict[str, list[str]]:
    """Real values per parameter ("path.name", "query.name") of one service."""
    units = {"lapas": [LAPAS["code"]], "blk": [BPVP["code"]]}
    per_service = {
        "enrollment": {
            "path.agreement_id": [pilot.agreement_id],
            "path.package_id": [pilot.package_id],
            "path.enrollment_id": [pilot.enrollment_id],
            "path.blk_code": units["blk"],
            "path.nip": [pilot.nip],
            "query.lapas_code": units["lapas"],
            "query.blk_code": units["blk"],
        },
        "certification": {
            "path.enrollment_id": [pilot.enrollment_id],
            "path.certificate_number": [pilot.certificate_number],
            "path.nip": [pilot.nip],
        },
        "reporting": {
            "path.nip": [pilot.nip],
            "query.nip": [pilot.nip],
            "query.lapas": units["lapas"],
            "query.blk": units["blk"],
            "query.province": [LAPAS["province"]],
        },
    }
    return per_service[service]


def bindable(openapi: dict, values: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The values whose parameter schemas hold no $ref anywhere in the document.

    schemathesis 4.32 crashes before testing ("Pointer '/x-bundled/...' does not
    exist") when it checks a dictionary against a parameter schema with a $ref.
    """
    referenced = set()
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if "$ref" in json.dumps(parameter.get("schema", {})):
                    referenced.add(f"{parameter.get('in')}.{parameter.get('name')}")
    return {key: known for key, known in values.items() if key not in referenced}


def write_config(path: Path, values: Mapping[str, list[str]]) -> Path:
    """A schemathesis.toml that mixes the real values into half the generated ones."""
    lines = [
        "[output.sanitization]",
        # Without "key", Idempotency-Key values show in reproductions; "auth" and
        # "token" keep a future bearer token hidden.
        'sensitive-markers = ["token", "secret", "password", "auth", "session"]',
        "",
    ]
    bindings = []
    for number, (parameter, known) in enumerate(sorted(values.items())):
        name = f"known_{number}"
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(known)}", ""]
        bindings.append(
            f"{json.dumps(parameter)} = {{ dictionary = {json.dumps(name)}, "
            "probability = 0.5 }"
        )
    lines += ["[parameters]", *bindings, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_schemathesis(
    service: str,
    base_url: str,
    workdir: Path,
    settings: FuzzSettings,
    values: Mapping[str, list[str]],
    timeout: float = 900.0,
) -> FuzzResult:
    """Run the schemathesis CLI (--checks all, every phase) and read its reports."""
    workdir.mkdir(parents=True, exist_ok=True)
    openapi = httpx.get(f"{base_url}/openapi.json", timeout=20).json()
    config = write_config(workdir / "schemathesis.toml", bindable(openapi, values))
    junit, report = workdir / "junit.xml", workdir / "report.json"
    argv = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--max-examples",
        str(settings.max_examples),
        # One worker: threads make Python 3.11's ast.parse (used by hypothesis to
        # describe filters) fail with "AST constructor recursion depth mismatch".
        "--workers",
        "1",
        "--generation-database",
        "none",
        # Every failure in one run, not only the first per operation.
        "--continue-on-failure",
        "--request-timeout",
        "15",
        "--report",
        "junit,json",
        "--report-junit-path",
        str(junit),
        "--report-json-path",
        str(report),
        "--no-color",
    ]
    if settings.seed is not None:
        argv += ["--seed", str(settings.seed)]
    for name, value in REQUEST_HEADERS.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        argv, cwd=workdir, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = done.stdout + done.stderr
    (workdir / "output.txt").write_text(output, encoding="utf-8")
    return read_reports(service, done.returncode, output, report, junit)


def read_reports(
    service: str, exit_code: int, output: str, report: Path, junit: Path
) -> FuzzResult:
    """Figures from the JSON run report, failures from the junit report."""
    if not report.exists():
        return FuzzResult(service, exit_code, None, 0, 0, 1, output=output)
    data = json.loads(report.read_text(encoding="utf-8"))
    result = FuzzResult(
        service=service,
        exit_code=exit_code,
        seed=data.get("seed"),
        operations=data["operations"]["tested"],
        test_cases=data["test_cases"]["generated"],
        errors=sum(error.get("count", 1) for error in data.get("errors", [])),
        kinds={f"{f['code']} {f['title']}": f["count"] for f in data["failures"]},
        phases={name: phase["status"] for name, phase in data["phases"].items()},
        output=output,
    )
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            for failure in [*case.iter("failure"), *case.iter("error")]:
                result.failures.append(
                    Failure(
                        operation=case.get("name", "?"),
                        codes=failure.get("message", "?"),
                        text=(failure.text or "").strip(),
                    )
                )
    return result
