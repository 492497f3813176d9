"""One database's measurements, in a process of its own: migrate, seed, CPU in-process, HTTP, memory."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import log
from bench.load import HttpBench
from bench.profiling import profile_http, profile_scenarios
from bench.scenarios import InProcess
from bench.seed import Seed, db_config_summary
from bench.servers import Server, server_env, stock_env


def run_backend(kind, db_url, opts):
    opts = argparse.Namespace(**opts)
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    try:
        return measure_backend(kind, db_url, opts, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        # The DPoP replay record of the workdir's database, in /dev/shm by default (as deployed).
        from django.conf import settings

        if settings.configured and getattr(settings, "DPOP_REPLAY_DIR", ""):
            shutil.rmtree(settings.DPOP_REPLAY_DIR, ignore_errors=True)


def measure_backend(kind, db_url, opts, workdir):
    env = server_env(db_url, workdir)
    os.environ.update(env)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    quiet_request_log(workdir / "in-process.log")
    log(f"{kind}: migrating a fresh database, collecting static files")
    call_command("migrate", verbosity=0, interactive=False)
    # The release steps of a deployment: whitenoise indexes these files in each
    # worker at startup, which shows in its memory.
    if getattr(settings, "STATIC_ROOT", None):
        call_command("collectstatic", verbosity=0, interactive=False)
    log(f"{kind}: seeding users and notes")
    seed = Seed.create()
    inproc = InProcess(seed)
    (workdir / "bare.json").write_bytes(inproc.list_body())

    if opts.profile:
        profile_scenarios(kind, inproc)
        profile_http(kind, env, workdir, opts.server_python, seed)
        return {}

    result = {"database": db_config_summary()}
    log(f"{kind}: in-process CPU per request")
    result["cpu"] = inproc.measure_cpu(quick=opts.quick)
    if opts.cpu_only:
        return result

    servers = []
    machine_before = machine_cpu_seconds(), own_cpu_seconds(), time.monotonic()
    database_cpu_before = database_backends_cpu_seconds()
    try:
        main = Server("main", env, workdir, opts.server_python)
        servers.append(main)
        pbkdf2 = Server("pbkdf2", {**env, "BENCH_HASHER": "pbkdf2"}, workdir, opts.server_python)
        servers.append(pbkdf2)
        stock = Server("stock", stock_env(env), workdir, opts.server_python)
        servers.append(stock)
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        log(
            f"{kind}: gunicorn up on ports {main.port}, {pbkdf2.port} (PBKDF2) and {stock.port} (stock Django)"
        )
        load = HttpBench(main, pbkdf2, stock, seed, opts)
        result["bare_body_matches_list"] = load.check_bare_body(inproc.list_body())
        result["http"] = load.run_scenarios()
        log(f"{kind}: scaling")
        result["scaling"] = load.run_scaling(inproc.deep_page_paths())
        result["peak_rss_mib"] = main.peak_rss_mib()
        # Read while gunicorn still holds its connections open.
        database_cpu = database_backends_cpu_seconds() - database_cpu_before
    finally:
        for server in servers:
            server.stop()
    result["other_cpu_share"] = other_cpu_share(*machine_before, database_cpu)
    if result["other_cpu_share"] > 0.1:
        log(
            f"warning: other processes used {result['other_cpu_share']:.0%} of the CPUs during "
            "the HTTP measurements; HTTP ratios are noisier than usual"
        )
    return result


def quiet_request_log(path):
    """Send log records meant for standard output to a file, as gunicorn's output is.

    A per-request log line is part of what a request costs in production, so it
    is kept; it just must not flood the benchmark's own output.
    """
    stream = open(path, "a")  # noqa: SIM115 (lives as long as the process)
    named = logging.root.manager.loggerDict.values()
    loggers = [logging.root, *(logger for logger in named if isinstance(logger, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stdout, sys.stderr):
                handler.setStream(stream)


def machine_cpu_seconds():
    """Busy CPU seconds of the whole machine since boot, all cores (Linux /proc/stat)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle, iowait = ticks[3], ticks[4]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    # Children are counted once reaped: wrk after each run, gunicorn (with
    # the workers its master reaped) once the servers are stopped.
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def database_backends_cpu_seconds():
    """CPU seconds of the local PostgreSQL backends serving the benchmark's database.

    Those processes work for the benchmark but are not its children; they are
    found by the database name in their process title (client backends, autovacuum). Zero for
    SQLite or a remote server.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return 0.0
    ticks = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
            if title[:1] == ["postgres:"] and db["NAME"] in title:
                fields = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def other_cpu_share(machine_start, own_start, wall_start, database_cpu=0.0):
    """Share of the machine's CPU that processes outside this benchmark used since the start.

    The HTTP numbers are only as good as the machine is quiet; this says how quiet it was.
    """
    own = own_cpu_seconds() - own_start + database_cpu
    others = (machine_cpu_seconds() - machine_start) - own
    return round(max(others, 0.0) / ((time.monotonic() - wall_start) * os.cpu_count()), 3)
