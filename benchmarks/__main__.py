"""Entry point: ``python -m benchmarks`` (see docs/BENCHMARKS.md)."""

from benchmarks.cli import main

if __name__ == "__main__":
    main()
