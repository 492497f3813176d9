"""gunicorn's settings for this project: `gunicorn -c backend/gunicorn.py backend.wsgi`.

Options on the command line still apply (`--workers 4 --bind 127.0.0.1:8000`). What this file
adds is the bookkeeping of metrics across workers (prometheus-client's multiprocess mode,
docs/operations.md, "Observability"): each worker keeps its counts in files of its own in
`PROMETHEUS_MULTIPROC_DIR`, and `GET /metrics` adds them all up, so any worker answers for all.

- Unset, the directory is a new temporary one, removed when the server stops.
- At start the directory is emptied: counts of an earlier run would be added to this one's.
- When a worker exits its files stay (its counts remain in the totals), and it is marked dead.

One directory per server: two servers sharing one would add up, and empty, each other's counts.

It also decides which requests gunicorn itself calls HTTPS, turns off gunicorn's control socket,
keeps large buffers (a login's Argon2id memory) out of the workers' heap,
and refuses to start while the database cannot be reached (docs/operations.md, "gunicorn").
"""

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from backend.environment import Environment

wsgi_app = "backend.wsgi"

_ROOT = Path(__file__).resolve().parent.parent
# Read as the settings read it, .env included, so that gunicorn and Django agree.
_env = Environment()
_env.read_env(_ROOT / ".env", recurse=False)

# gunicorn believes X-Forwarded-Proto: https (and two other headers) from 127.0.0.1 by default
# and then tells Django the request came over HTTPS, whatever DJANGO_SECURE_PROXY_SSL_HEADER
# says; a proxy on the same machine would pass a client's header through. So gunicorn follows
# the setting: off, it trusts no forwarded scheme from anyone.
if _env.flag("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    # Only the header Django trusts: the proxy sets that one, and could pass a client's others.
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
    # From any address, as Django trusts it (it reads the header itself): only the proxy may
    # reach gunicorn, and the proxy is not always on 127.0.0.1.
    forwarded_allow_ips = "*"
else:
    secure_scheme_headers = {}
    forwarded_allow_ips = ""
# SCRIPT_NAME and PATH_INFO headers from a trusted address would change the path Django routes;
# the project is served at the root and no proxy needs to set them.
forwarder_headers = ""

# gunicorn 25+ listens for `gunicornc` on one socket per user ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl): a second server on the host replaces the first one's socket, so
# gunicornc would reload or stop whichever started last, and the first to stop removes the
# other's. The process manager signals the master instead (HUP, TERM, TTIN/TTOU).
control_socket_disable = True

# glibc's M_MMAP_THRESHOLD (malloc.h). glibc raises the threshold to the size of every large
# buffer freed, so from the first login on, Argon2id's 7 MiB of working memory came from the
# heap and stayed resident in every worker (with a peak that followed the heap's layout, +1.6
# MiB after a run of DPoP requests; bench/README.md, "Memory"). Set once, the threshold stays
# where it is: such buffers are mapped for the hash and unmapped after it.
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD_BYTES = 128 * 1024


def _unmap_large_buffers() -> None:
    """Large allocations always mapped and returned at free; nothing where libc is not glibc."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt:
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)


# In the master, before any worker forks: workers inherit the allocator's settings.
_unmap_large_buffers()

_MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
_made_directory = None
if not os.environ.get(_MULTIPROC_DIR, "").strip():
    # Set before any worker starts, so every worker (and the settings) sees it.
    _made_directory = tempfile.mkdtemp(prefix="notes-metrics-")
    os.environ[_MULTIPROC_DIR] = _made_directory


def on_starting(server):
    # In a process of its own, so that the master imports neither Django nor the settings and
    # workers started after a reload (HUP) read them afresh.
    check = subprocess.run([sys.executable, "-m", "backend.database_check"], cwd=_ROOT, check=False)
    if check.returncode:
        on_exit(server)
        # The reason is already on standard error, in one line.
        raise SystemExit(check.returncode)
    directory = Path(os.environ[_MULTIPROC_DIR])
    if directory.is_dir():
        for path in directory.glob("*.db"):
            path.unlink(missing_ok=True)


def post_worker_init(worker):
    # Each worker's mail sender starts with it, so messages a killed worker left are delivered
    # without waiting for new mail (api/core/outbox.py).
    from api.core.outbox import sender

    sender.start()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_directory is not None:
        shutil.rmtree(_made_directory, ignore_errors=True)
