"""gunicorn's settings for this project: `gunicorn -c backend/gunicorn.py backend.wsgi`.

Options on the command line still apply (`--workers 4 --bind 127.0.0.1:8000`). What this file
adds is the bookkeeping of metrics across workers (prometheus-client's multiprocess mode,
docs/operations.md, "Observability"): each worker keeps its counts in files of its own in
`PROMETHEUS_MULTIPROC_DIR`, and `GET /metrics` adds them all up, so any worker answers for all.

- Unset, the directory is a new temporary one, removed when the server stops.
- At start the directory is emptied: counts of an earlier run would be added to this one's.
- When a worker exits its files stay (its counts remain in the totals), and it is marked dead.

One directory per server: two servers sharing one would add up, and empty, each other's counts.
"""

import os
import shutil
import tempfile
from pathlib import Path

wsgi_app = "backend.wsgi"

_MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
_made_directory = None
if not os.environ.get(_MULTIPROC_DIR, "").strip():
    # Set before any worker starts, so every worker (and the settings) sees it.
    _made_directory = tempfile.mkdtemp(prefix="notes-metrics-")
    os.environ[_MULTIPROC_DIR] = _made_directory


def on_starting(server):
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
