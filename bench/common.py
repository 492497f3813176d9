"""Paths, scenario names and small helpers shared by the parent process and each database's process."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
RESULTS = BENCH / "results"

LIST_PAGE_SIZE = 20
LIST_PATH = f"/api/notes/?page_size={LIST_PAGE_SIZE}"
BARE_PATH = "/bench/bare/"
# What the TLS proxy in front of gunicorn adds to every request (see servers.server_env).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SCALE_SIZES = (100, 10_000, 100_000)
NOTE_CONTENT = "Buy milk, eggs and bread; call the plumber about the kitchen tap."

# Scenario key -> label. "bare" is the ceiling every scenario is divided by.
SCENARIOS = {
    "list": "notes list (20)",
    "retrieve": "note retrieve",
    "create": "note create",
    "login": "token obtain",
    "refresh": "token refresh",
}
# Every row of the tables, in the order they are measured and printed: the ceiling, the
# scenarios, and the reference the login target is divided by.
ROWS = {"bare": "bare view", **SCENARIOS, "login_pbkdf2": "login, PBKDF2"}

# Each process imports this module once, so log times count from that process's start.
STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", flush=True)


def check_status(what, status, expected, body=b""):
    if status != expected:
        raise SystemExit(f"{what}: expected HTTP {expected}, got {status}: {body[:300]!r}")


def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None
