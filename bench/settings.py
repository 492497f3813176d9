"""Benchmark settings: the project's own settings plus the bare ceiling view.

Only what the benchmark needs is changed here, so every measured request runs
with the production configuration (middleware, authentication, database).
"""

import os

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The project upgrades password hashes on login, so a PBKDF2 hash cannot stay
# PBKDF2 under the normal settings. The reference server for the login target
# therefore runs with Django's default hasher alone.
if os.environ.get("BENCH_HASHER") == "pbkdf2":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# `--profile`: a marker around every middleware times its own share (bench/timing.py).
if os.environ.get("BENCH_MIDDLEWARE_TIMING"):
    from bench.timing import timed_middleware

    MIDDLEWARE = timed_middleware(MIDDLEWARE)  # noqa: F405
