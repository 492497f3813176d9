#!/usr/bin/env python3
"""Benchmark the notes API against a bare Django view serving the same bytes.

    python bench/run.py                     # SQLite, full run (a few minutes)
    python bench/run.py --quick             # SQLite, smoke run (about a minute)
    python bench/run.py --database-url postgres://USER@HOST:5432/postgres
                                            # SQLite, then PostgreSQL
    python bench/run.py --profile           # cProfile of the bare view, list and retrieve only
    python bench/run.py --scale --database-url postgres://USER@HOST:5432/postgres
                                            # PostgreSQL: a million notes vs a small database

See bench/README.md for what each number means. Results are printed and
written to bench/results/latest.json.
"""

import sys
from pathlib import Path

# Run as a file, Python puts bench/ itself first on the path, where its modules would also import
# under top-level names, a second copy each. The package is imported from the repository root,
# which the processes spawned for each database inherit, and which Django needs for the project.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [
    str(_BENCH.parent),
    *(p for p in sys.path if Path(p or ".").resolve() not in (_BENCH, _BENCH.parent)),
]

from bench.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
