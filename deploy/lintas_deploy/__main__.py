"""Entry point for `python -m lintas_deploy`."""

from lintas_deploy.cli import main

main()
