"""Well-known folders and ports of the local system (see docs/CONVENTIONS.md)."""

import os
from pathlib import Path

# deploy/lintas_deploy/paths.py -> repository root (the package is installed editable).
REPO_ROOT = Path(__file__).resolve().parents[2]
KAFKA_POM = REPO_ROOT / "deploy" / "kafka" / "pom.xml"
KAFKA_JARS = Path(os.environ.get("LINTAS_KAFKA_JARS", REPO_ROOT / "deploy/kafka/jars"))


def run_dir() -> Path:
    """Folder for data, logs and pid files of the system started by `up`."""
    return Path(os.environ.get("LINTAS_RUN_DIR", REPO_ROOT / ".run"))


KAFKA_PORT = 9092
KAFKA_CONTROLLER_PORT = 9093
POSTGRES_PORT = 55432
