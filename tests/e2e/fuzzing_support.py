"""Schemathesis against one running service: the CLI run, its config and its reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PHASES = "examples,coverage,fuzzing,stateful"
# What positive_data_acceptance expects of a schema-valid request by default.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# The only operations where a schema-valid request may also be a 422: a rule over the
# request alone that JSON Schema cannot state (two fields compared, a date against
# today). Rules against stored state are 409 conflicts and need no entry here.
BUSINESS_RULE_422: dict[str, list[tuple[str, str, str]]] = {
    "enrollment": [
        (
            "POST",
            "/agreements",
            "agreement-dates-ordered (valid_until > valid_from, Lapas != BLK)",
        ),
        (
            "POST",
            "/packages",
            "package-dates-ordered (end_date > start_date, lesson "
            "hours, an instructor track teaches methodology)",
        ),
        (
            "POST",
            "/packages/{package_id}/enrollments",
            "enrolled-on-not-in-future, "
            "enrolled-on-within-backdate-window (enrolled_on against today)",
        ),
    ],
    "certification": [
        (
            "POST",
            "/enrollments/{enrollment_id}/completion",
            "date-in-future (completed_on against today)",
        ),
        (
            "POST",
            "/enrollments/{enrollment_id}/assessments",
            "date-in-future (assessed_on against today)",
        ),
        ("POST", "/revocations", "date-in-future (revoked_on against today)"),
    ],
    "reporting": [],
}


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


def write_config(
    path: Path,
    values: Mapping[str, list[str]],
    rule_422: list[tuple[str, str, str]] | None = None,
) -> Path:
    """A schemathesis.toml that mixes the real values into half the generated ones.

    `rule_422` lists the operations (method, path, rules) whose schema-valid requests
    may be refused 422 by a business rule; every other operation keeps the default.
    """
    lines = [
        "[output.sanitization]",
        # Without "key", Idempotency-Key values show in reproductions; "auth" and
        # "token" keep the bearer token hidden.
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
    for method, operation, rules in rule_422 or []:
        lines += [
            f"# {rules}",
            "[[operations]]",
            f"include-path = {json.dumps(operation)}",
            f"include-method = {json.dumps(method)}",
            "checks.positive_data_acceptance.expected-statuses = "
            f"{json.dumps([*ACCEPTED, '422'])}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_schemathesis(
    service: str,
    base_url: str,
    workdir: Path,
    settings: FuzzSettings,
    values: Mapping[str, list[str]],
    headers: Mapping[str, str],
    timeout: float = 900.0,
) -> FuzzResult:
    """Run the schemathesis CLI (--checks all, every phase) and read its reports.

    `headers` go with every request (the bearer token is hidden in the output).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    openapi = httpx.get(f"{base_url}/openapi.json", timeout=20).json()
    config = write_config(
        workdir / "schemathesis.toml",
        bindable(openapi, values),
        BUSINESS_RULE_422[service],
    )
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
    for name, value in headers.items():
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
