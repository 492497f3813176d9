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

# Scenario key -> label. Every HTTP scenario is divided by "stock", the same notes from a JSON view
# in a stock Django process (bench/stock_settings.py); the in-process CPU ratios by "bare", the
# list's bytes from a view behind the project's own middleware (bench/urls.py).
SCENARIOS = {
    "list": "notes list (20)",
    "list_dpop": "notes list, DPoP",
    "retrieve": "note retrieve",
    "create": "note create",
    "login": "token obtain",
    "refresh": "token refresh",
}
# Every row of the tables, in the order they are measured and printed: the ceilings, the
# scenarios, and the reference the login target is divided by.
ROWS = {"stock": "stock Django view", "bare": "bare, our stack", **SCENARIOS, "login_pbkdf2": "login, PBKDF2"}

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
