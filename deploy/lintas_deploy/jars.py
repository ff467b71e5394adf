"""Fetch the Kafka broker jars from Maven Central with deploy/kafka/pom.xml."""

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

from lintas_deploy.paths import KAFKA_JARS, KAFKA_POM

STAMP = ".complete"


def jars_complete(jars_dir: Path = KAFKA_JARS, pom: Path = KAFKA_POM) -> bool:
    """True if `jars_dir` holds a finished copy made from this exact POM."""
    stamp = jars_dir / STAMP
    return stamp.is_file() and stamp.read_text().strip() == _digest(pom)


def ensure_jars(jars_dir: Path = KAFKA_JARS, pom: Path = KAFKA_POM) -> Path:
    """Run `mvn dependency:copy-dependencies` unless the jars are already complete."""
    if jars_complete(jars_dir, pom):
        return jars_dir
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (mvn) is needed to fetch the Kafka jars; install it")
    jars_dir.mkdir(parents=True, exist_ok=True)
    with (jars_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be fetching right now
        if jars_complete(jars_dir, pom):
            return jars_dir
        for old in jars_dir.glob("*.jar"):
            old.unlink()  # a changed POM must not leave stale versions on the classpath
        argv = [
            "mvn", "-q", "-B", "-f", str(pom),
            "dependency:copy-dependencies", "-DincludeScope=runtime",
            f"-DoutputDirectory={jars_dir}",
        ]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"mvn failed ({done.returncode}) fetching Kafka jars:\n"
                f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        if not any(jars_dir.glob("kafka_2.13-*.jar")):
            raise RuntimeError(f"mvn finished but no kafka_2.13 jar in {jars_dir}")
        (jars_dir / STAMP).write_text(_digest(pom) + "\n")
    return jars_dir


def _digest(pom: Path) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()
