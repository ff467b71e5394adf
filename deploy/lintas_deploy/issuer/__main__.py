"""`python -m lintas_deploy.issuer --name ditjenpas --port 8011 [--run-dir .run]`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from lintas_deploy.issuer.app import create_app
from lintas_deploy.issuer.config import ISSUERS, IssuerConfig
from lintas_deploy.paths import run_dir


def main() -> None:
    """Serve one local issuer until SIGTERM."""
    parser = argparse.ArgumentParser(description="Lintas development OIDC issuer")
    parser.add_argument("--name", choices=sorted(ISSUERS), required=True)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--run-dir", type=Path, default=None)
    parser.add_argument("--token-seconds", type=int, default=900)
    args = parser.parse_args()
    port = args.port or ISSUERS[args.name].port
    config = IssuerConfig.local(
        args.name, args.run_dir or run_dir(), port, token_seconds=args.token_seconds
    )
    uvicorn.run(create_app(config), host="127.0.0.1", port=port, log_level="warning")


main()
