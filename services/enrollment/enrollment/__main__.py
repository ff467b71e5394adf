"""``python -m enrollment``: the HTTP API, the outbox relay and the Kafka command ingestion."""

from __future__ import annotations

import gc

import uvicorn

from enrollment.bootstrap import SERVICE, build_app
from enrollment.settings import EnrollmentSettings
from lintas_shared.logs import configure_logging


def main() -> None:
    settings = EnrollmentSettings()
    configure_logging(SERVICE, settings.log_level)
    app = build_app(settings)
    # What exists now (FastAPI, pydantic schemas, the app) lives as long as the process:
    # keep it out of the collector's scans, and collect young objects less often. Under
    # the HTTP benchmark the collector took 0.22 s CPU per 2,000 enrollments (about 5%),
    # 0.05 s so, and no 30 ms full collections.
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
