"""Requests this server makes to other servers (the breached-password range API, OpenID
providers), each bounded as a whole: its name lookup, connecting, and every byte of its answer.

The socket timeout bounds connecting and each read, but not the name lookup before them (a
resolver that does not answer can hold it for tens of seconds) nor an answer trickled a byte at a
time. So the request runs in a thread of its own, reads against a deadline, and the caller stops
waiting for it after the timeout and `GRACE`.
"""

import http.client
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

# Beyond the timeout, what the asking thread is given to report its own reason (a trickled
# answer, a refused connection) before the caller stops waiting for it.
GRACE = 0.5


class Unanswered(Exception):
    """No whole answer in time; `reason` says why in words, never the URL."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def fetch(
    request: urllib.request.Request,
    *,
    timeout: float,
    max_bytes: int,
    opener: urllib.request.OpenerDirector | None = None,
    thread_name: str = "outbound-request",
) -> Answer:
    """`request`'s status and body (an error status is an answer too) within `timeout` seconds,
    or `Unanswered`. A daemon thread, so that a lookup still hanging never holds up a worker's
    exit."""
    answer: Future = Future()

    def ask() -> None:
        try:
            answer.set_result(_fetch(request, timeout=timeout, max_bytes=max_bytes, opener=opener))
        except BaseException as exc:  # handed to the waiting caller, which decides
            answer.set_exception(exc)

    threading.Thread(target=ask, name=thread_name, daemon=True).start()
    try:
        return answer.result(timeout=timeout + GRACE)
    except FutureTimeout:
        raise Unanswered(f"no answer within {timeout:g} s (the host name was not resolved in time)") from None


def _fetch(request, *, timeout: float, max_bytes: int, opener) -> Answer:
    deadline = time.monotonic() + timeout
    try:
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
                return Answer(response.status, _read(response, deadline, timeout, max_bytes))
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, _read(error, deadline, timeout, max_bytes))
    except TimeoutError:
        raise Unanswered(f"no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise Unanswered(f"no answer within {timeout:g} s") from None
        # Refused, unknown host, TLS failure: the reason's type says which, without the URL.
        reason = exc.reason if isinstance(exc.reason, str) else type(exc.reason).__name__
        raise Unanswered(f"cannot be reached ({reason})") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise Unanswered(f"cannot be reached ({type(exc).__name__})") from None


def _read(response, deadline: float, timeout: float, max_bytes: int) -> bytes:
    chunks, size = [], 0
    while chunk := response.read1(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise Unanswered("the answer is too large")
        if time.monotonic() > deadline:
            raise Unanswered(f"no whole answer within {timeout:g} s")
    return b"".join(chunks)
