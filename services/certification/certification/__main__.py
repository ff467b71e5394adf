"""``python -m certification``: HTTP API, outbox relay, enrollment consumer, expiry scheduler."""

from __future__ import annotations

import uvicorn

from certification.bootstrap import SERVICE, build_app
from certification.settings import CertificationSettings
from lintas_shared.logs import configure_logging


def main() -> None:
    settings = CertificationSettings()
    configure_logging(SERVICE, settings.log_level)
    uvicorn.run(
        build_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
