"""The official AsyncAPI parser (@asyncapi/parser, Node) accepts the published document.

The parser is installed from ``tools/asyncapi/package-lock.json`` (``npm ci``); the
Makefile's test target does that, and this test does it too when it has not been done.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "asyncapi"
DOC = ROOT / "docs" / "asyncapi.yaml"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    assert found, "node (20+) is needed to run the AsyncAPI parser"
    if not (TOOL / "node_modules" / "@asyncapi" / "parser").is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install tools/asyncapi"
        subprocess.run(
            [npm, "ci", "--prefix", str(TOOL)], check=True, timeout=600, cwd=ROOT
        )
    return found


def _validate(node: str, document: Path) -> tuple[int, list[dict[str, Any]]]:
    run = subprocess.run(
        [node, str(TOOL / "validate.mjs"), str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=TOOL,
        check=False,
    )
    lines = run.stdout.splitlines()
    assert lines and "error(s)" in lines[-1], run.stdout + run.stderr
    return run.returncode, [json.loads(line) for line in lines[:-1]]


def test_the_published_document_has_no_parser_errors(node: str) -> None:
    returncode, diagnostics = _validate(node, DOC)
    for diagnostic in diagnostics:
        if diagnostic["severity"] == "warning":
            print(f"AsyncAPI warning: {diagnostic}")
    errors = [d for d in diagnostics if d["severity"] == "error"]
    assert errors == []
    assert returncode == 0


def test_the_parser_reports_a_broken_reference(node: str, tmp_path: Path) -> None:
    document = yaml.safe_load(DOC.read_text())
    operation = next(op for op in document["operations"].values() if "reply" in op)
    operation["reply"]["channel"]["$ref"] = "#/channels/no-such-channel"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(document))

    returncode, diagnostics = _validate(node, broken)

    assert returncode == 1
    assert any(
        d["severity"] == "error" and "no-such-channel" in d["message"]
        for d in diagnostics
    )
