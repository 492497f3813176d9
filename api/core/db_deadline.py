"""Deadlines on the wait for the database: past its deadline, a request's connection is cut.

Why: PostgreSQL's `statement_timeout` is enforced by the server itself and `connect_timeout` only
covers new connections. A server that stops answering without closing its connections (process
stopped, virtual machine paused, storage frozen) leaves a query on an open connection waiting
forever, and with persistent connections that is every worker's next request: the server's
kernel still acknowledges every packet, so TCP keepalives and `tcp_user_timeout` never fire
(measured with psycopg 3.3 against a SIGSTOPped server: a `SELECT 1` waited until SIGCONT, with or
without them).

How: one watchdog thread per process, started with the first deadline, looks every
`WATCH_INTERVAL` seconds for a thread past its deadline and shuts down the sockets of that
thread's database connections. The shutdown acts on the socket, not on the driver's file
descriptor, so the waiting query fails at once with `OperationalError` (a 503, see
`api/core/exceptions.py`), Django discards the connection at the end of the request, and the worker
serves the next one. A request pays a few dictionary operations: no thread, timer or query of
its own.

A new connection attempt cannot be cut (the socket is the driver's until it connects), so it is
made to fit instead: within a deadline, a PostgreSQL connection is attempted only with a
`connect_timeout` that ends before the deadline, and not at all once the deadline has passed or
less than `MIN_CONNECT_TIMEOUT` is left. Without that, Django's reconnection after a cut (its
`CONN_HEALTH_CHECKS` find the cut connection unusable) would add `DATABASE_CONNECT_TIMEOUT` on top.

A write whose connection is cut may still be applied when the server resumes (its statement
was already in the server's buffers): as with any timeout, the 503 means "not confirmed".
"""

import contextlib
import functools
import logging
import math
import os
import socket
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

# How often the watchdog looks; a deadline is honoured within this much.
WATCH_INTERVAL = 0.5
# libpq waits at least 2 s for a connection whatever `connect_timeout` asks for (1 counts as 2).
MIN_CONNECT_TIMEOUT = 2

_lock = threading.Lock()
# Thread id -> (monotonic deadline, that thread's database connection wrappers, already cut).
_deadlines: dict[int, tuple[float, tuple, bool]] = {}
_per_thread = threading.local()
_watchdog: threading.Thread | None = None
# Connections cut since the process started (each is also logged).
cuts = 0


class DatabaseDeadlineMiddleware:
    """Gives each request `DATABASE_REQUEST_TIMEOUT` seconds of database; 0 turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.DATABASE_REQUEST_TIMEOUT
        if not self.timeout:
            raise MiddlewareNotUsed

    def __call__(self, request):
        ident = threading.get_ident()
        # No lock needed to set it: this thread's previous deadline was removed under the lock.
        _deadlines[ident] = (time.monotonic() + self.timeout, _thread_connections(), False)
        if _watchdog is None:
            _start_watchdog()
        try:
            return self.get_response(request)
        finally:
            # Under the lock, so the watchdog never cuts a connection that has moved on to the
            # thread's next request.
            with _lock:
                _deadlines.pop(ident, None)


@contextlib.contextmanager
def database_deadline(seconds: float) -> Iterator[None]:
    """Within the block, this thread's database connections are cut after `seconds`.

    Nests: an earlier deadline already set (the request's) still holds inside the block.
    """
    ident = threading.get_ident()
    due = time.monotonic() + seconds
    with _lock:
        outer = _deadlines.get(ident)
        if outer is None or due < outer[0]:
            _deadlines[ident] = (due, _thread_connections(), False)
    if _watchdog is None:
        _start_watchdog()
    try:
        yield
    finally:
        with _lock:
            if outer is None:
                _deadlines.pop(ident, None)
            else:
                _deadlines[ident] = outer


def _thread_connections() -> tuple:
    # Django's connection wrappers are per thread and live as long as it does; the watchdog,
    # in its own thread, can reach them only through this.
    try:
        return _per_thread.connections
    except AttributeError:
        wrappers = tuple(connections[alias] for alias in connections)
        for wrapper in wrappers:
            if wrapper.vendor == "postgresql":
                # An attribute of this thread's wrapper only: Django calls `self.get_new_connection`.
                wrapper.get_new_connection = functools.partial(
                    _connect_within_deadline, wrapper, wrapper.get_new_connection
                )
        _per_thread.connections = wrappers
        return wrappers


def _connect_within_deadline(wrapper, connect, conn_params: dict):
    entry = _deadlines.get(threading.get_ident())
    if entry is None:
        return connect(conn_params)
    due, _, was_cut = entry
    left = math.floor(due - time.monotonic())
    if was_cut or left < MIN_CONNECT_TIMEOUT:
        # Raised as the driver's own error, so that Django turns it into its OperationalError.
        raise wrapper.Database.OperationalError(
            f"no time left before the deadline for a new connection to the database ({wrapper.alias})"
        )
    configured = int(conn_params.get("connect_timeout") or 0)  # 0: libpq's "no limit"
    if not 0 < configured <= left:
        conn_params = {**conn_params, "connect_timeout": left}
    return connect(conn_params)


def _start_watchdog() -> None:
    global _watchdog
    with _lock:
        if _watchdog is None:
            _watchdog = threading.Thread(target=_watch, name="database-deadline", daemon=True)
            _watchdog.start()


def _watch() -> None:
    while True:
        time.sleep(WATCH_INTERVAL)
        now = time.monotonic()
        with _lock:
            for ident, (due, wrappers, was_cut) in list(_deadlines.items()):
                if not was_cut and due <= now:
                    # Once per deadline: the request is failing now, let it finish doing so.
                    _deadlines[ident] = (due, wrappers, True)
                    for wrapper in wrappers:
                        _cut(wrapper)


def _cut(wrapper) -> None:
    global cuts
    try:
        fd = wrapper.connection.fileno()
    except Exception:  # no connection, a closed one, or SQLite's (no socket)
        return
    # A duplicate descriptor of the same socket: shutting it down reaches the driver's, and
    # closing it leaves the driver's descriptor valid.
    duplicate = os.dup(fd)
    try:
        sock = socket.socket(fileno=duplicate)
    except OSError:
        os.close(duplicate)
        return
    with sock:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already disconnected
            return
    cuts += 1
    logger.error(
        "Database (%s) did not answer before the request's deadline: connection cut, the "
        "request fails with 503 (%d cut so far in this process)",
        wrapper.alias,
        cuts,
    )


def _forget_after_fork() -> None:
    # A forked child (a gunicorn worker) has no watchdog thread and serves no request yet.
    global _lock, _watchdog
    _lock = threading.Lock()
    _watchdog = None
    _deadlines.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
