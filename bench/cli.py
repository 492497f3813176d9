"""Command line: parse the options, measure each database in a fresh process, print, save, exit status."""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

from bench.common import RESULTS
from bench.measure import run_backend
from bench.report import print_backend, print_cpu, print_targets, write_results
from bench.seed import throwaway_database
from bench.servers import production_python

DESCRIPTION = "Benchmark the notes API against a bare Django view serving the same bytes."


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 1 round, short measurements (about a minute)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="admin URL of a PostgreSQL server; a throwaway database "
        "bench_<pid> is created there and dropped at the end "
        "(default: $DATABASE_URL; SQLite URLs are ignored)",
    )
    parser.add_argument(
        "--duration", type=int, default=None, help="seconds per HTTP measurement (default 3, quick 2)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="interleaved rounds, the median is reported (default 5, quick 1)",
    )
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--no-sqlite", action="store_true", help="with --database-url, skip the SQLite run")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only profile list and retrieve in-process with cProfile; writes bench/results/profile-*.txt",
    )
    parser.add_argument(
        "--cpu-only",
        action="store_true",
        help="only the in-process CPU ratios, no gunicorn or wrk (about 20 s a database)",
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="only the PostgreSQL scale scenario (needs --database-url): 100,000 users and a million "
        "notes vs a small database, latency ratios and the token tables (about 7 minutes)",
    )
    parser.add_argument(
        "--server-python",
        type=Path,
        default=None,
        help="Python that runs gunicorn (default: a virtualenv with requirements.lock only, "
        "made in bench/.venv-production on first use)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the JSON results (default bench/results/latest.json; with --scale, scale.json)",
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or (2 if args.quick else 3)
    args.rounds = args.rounds or (1 if args.quick else 5)
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        if args.database_url.startswith("sqlite"):
            args.database_url = ""  # SQLite always runs, on a fresh temporary file
        else:
            parser.error("--database-url must be a postgres:// URL")
    if args.no_sqlite and not args.database_url:
        parser.error("--no-sqlite needs --database-url")
    if args.scale and not args.database_url:
        parser.error("--scale needs --database-url (PostgreSQL)")
    if args.scale and (args.profile or args.cpu_only):
        parser.error("--scale runs alone, without --profile or --cpu-only")
    args.output = args.output or RESULTS / ("scale.json" if args.scale else "latest.json")
    return args


def main(argv=None):
    args = parse_args(argv)
    if not args.cpu_only and not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)")
    if args.scale:
        from bench.scale import run_scale

        return run_scale(args)

    backends = [] if args.no_sqlite else [("sqlite", None)]
    if args.database_url:
        backends.append(("postgresql", args.database_url))

    started = time.monotonic()
    if not args.cpu_only:
        args.server_python = str(args.server_python or production_python())
    results = {}
    for kind, admin_url in backends:
        with throwaway_database(kind, admin_url) as db_url:
            # Django's settings are global to a process, so each database gets
            # a fresh interpreter; the seeding, in-process measurements and
            # gunicorn all see the same configuration there.
            ctx = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
                results[kind] = pool.submit(run_backend, kind, db_url, vars(args)).result()
        if args.cpu_only:
            print_cpu(kind, results[kind]["cpu"])
        elif not args.profile:
            print_backend(kind, results[kind], args)

    if args.profile or args.cpu_only:
        return 0

    failed = False
    for kind, result in results.items():
        failed |= print_targets(kind, result)
    write_results(args, argv, results, started)
    return 1 if failed else 0
