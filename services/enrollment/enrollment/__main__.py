"""``python -m enrollment``: the HTTP API, the outbox relay and the Kafka command ingestion."""

from __future__ import annotations

import uvicorn

from enrollment.bootstrap import SERVICE, build
from enrollment.settings import Settings
from lintas_shared.logs import configure_logging


def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    app = build(settings)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
