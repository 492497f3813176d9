"""gunicorn as deployed: its virtualenv with the runtime lock alone, its environment, and its processes."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.common import BARE_PATH, BENCH, PROXY_HEADERS, REPO, log

# gunicorn runs from an environment with requirements.lock only, as deployed: the development
# environment's extra packages (test tools) are imported opportunistically by DRF and would
# show in the workers' memory.
PRODUCTION_VENV = BENCH / ".venv-production"
PORTS = range(8200, 8300)


def production_python() -> Path:
    """The Python of a virtualenv with requirements.lock alone, (re)made when that file changes."""
    requirements = REPO / "requirements.lock"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    python = PRODUCTION_VENV / "bin" / "python"
    stamp = PRODUCTION_VENV / ".requirements-sha256"
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    log(f"making {PRODUCTION_VENV.relative_to(REPO)} from requirements.lock (once)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PRODUCTION_VENV)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
            str(requirements),
        ],
        check=True,
    )
    stamp.write_text(digest)
    return python


def stock_env(env):
    """The stock Django process: its own settings, the same secret key, hosts and notes."""
    return {**env, "DJANGO_SETTINGS_MODULE": "bench.stock_settings"}


def server_env(db_url, workdir):
    """The environment of a production deployment, plus the benchmark's settings."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Production runs behind a TLS proxy that sets X-Forwarded-Proto; every
        # request here carries it too, so the HTTPS redirect and HSTS behave as
        # deployed instead of answering 301.
        "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": db_url,
        # Throttling would cap the login and refresh scenarios at the rate.
        "AUTH_THROTTLE_RATE": "1000000/min",
        # One access token per scenario must outlive the whole run.
        "JWT_ACCESS_TOKEN_LIFETIME": "3600",
        # No scenario sets a password; should one, it must not ask the real breached-password API.
        "PWNED_PASSWORDS_CHECK": "false",
        "BENCH_BARE_BODY_FILE": str(workdir / "bare.json"),
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
    }


def free_port(taken=()):
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            # As gunicorn binds: a port left in TIME_WAIT by an earlier run is free.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Server:
    """gunicorn started as production does: two sync workers, DEBUG off."""

    taken_ports = set()

    def __init__(self, name, env, workdir, python, extra_args=()):
        self.name, self.env, self.workdir, self.python = name, env, workdir, python
        self.extra_args = list(extra_args)
        self.port = free_port(Server.taken_ports)
        Server.taken_ports.add(self.port)
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self):
        cmd = [
            self.python,
            "-m",
            "gunicorn",
            "backend.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            *self.extra_args,
        ]
        self.log_path = self.workdir / f"gunicorn-{self.name}.log"
        with open(self.log_path, "wb") as log_file:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env={**os.environ, **self.env}, stdout=log_file, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _ = http_json("GET", self.base + BARE_PATH)
                if status == 200 and len(self.worker_pids()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn ({self.name}) did not start:\n{self.log_tail()}")

    def log_tail(self):
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def worker_pids(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:  # fields[1] is the parent pid
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self):
        """User and system CPU seconds its workers have used so far (Linux /proc)."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self):
        """VmHWM (peak resident set) of each worker, in MiB."""
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
            peaks.append(round(kib / 1024, 1))
        return peaks

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # graceful: the master stops its workers
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def http_json(method, url, body=None, token=None, headers=None):
    """One request to a local server: (status, body bytes)."""
    parts = urllib.parse.urlsplit(url)
    headers = {**PROXY_HEADERS, **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, f"{parts.path}?{parts.query}" if parts.query else parts.path, data, headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
