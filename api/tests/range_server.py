"""A Pwned Passwords range API of the tests' own, on a free port of 127.0.0.1: the suite never
asks the real one (docs/development.md, "Breached passwords in tests").

Standard library only: a live server's tests start it in the test process and point the
server's PWNED_PASSWORDS_URL at it.
"""

import contextlib
import hashlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Breached hashes the server knows besides the tests' own, so that an answer is never only theirs.
_OTHER_SUFFIXES = ("0" * 35, "F" * 35)
# How many made-up zero-count lines a padded answer adds, as the real API does (to 800 to 1,000).
PADDING_LINES = 850
# A held request gives up after this long, so that a test that forgets to release it cannot hang.
HOLD_LIMIT = 30


def sha1_hex(password: str) -> str:
    return hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()


class RangeServer:
    """Answers `GET <url><5 hex digits>` with the `SUFFIX:COUNT` lines of the hashes it knows under
    that prefix, padded with zero-count lines when asked (`Add-Padding: true`).

    `breach(password)` makes a password known; `pad_with(password)` puts it in the padding only (a
    zero count, which is no breach). `requests` records each request's path and headers.
    `hold()` makes it a slow server (answers wait until `release()`), `trickle()` one that sends
    its answer a line at a time, `status` an answer's status.
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.padding: set[str] = set()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.status = 200
        self.body_override: bytes | None = None
        self.trickle_delay = 0.0
        self._released = threading.Event()
        self._released.set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # A short poll: `shutdown()` waits up to one interval, at every test's teardown.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/range/"

    def breach(self, password: str, count: int = 42) -> None:
        self.counts[sha1_hex(password)] = count

    def pad_with(self, password: str) -> None:
        self.padding.add(sha1_hex(password))

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def trickle(self, seconds_per_line: float) -> None:
        self.trickle_delay = seconds_per_line

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=HOLD_LIMIT)

    def answer(self, prefix: str, padded: bool) -> bytes:
        lines = [f"{full[5:]}:{count}" for full, count in self.counts.items() if full.startswith(prefix)]
        lines += [f"{suffix}:7" for suffix in _OTHER_SUFFIXES]
        if padded:
            lines += [f"{full[5:]}:0" for full in self.padding if full.startswith(prefix)]
            lines += [f"{n:035X}:0" for n in range(1, PADDING_LINES + 1)]
        return "".join(f"{line}\r\n" for line in sorted(lines)).encode()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                server._released.wait(timeout=HOLD_LIMIT)
                prefix = self.path.rpartition("/")[2]
                body = server.body_override
                if body is None:
                    body = server.answer(prefix, self.headers.get("Add-Padding") == "true")
                with contextlib.suppress(OSError):  # the client gave up: a slow server's lot
                    self.send_response(server.status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not server.trickle_delay:
                        self.wfile.write(body)
                        return
                    for line in body.splitlines(keepends=True):
                        self.wfile.write(line)
                        self.wfile.flush()
                        time.sleep(server.trickle_delay)

            def log_message(self, *args) -> None:
                pass  # the tests read `requests`

        return Handler


@contextlib.contextmanager
def dead_port():
    """A port of 127.0.0.1 that refuses every connection while the block runs: bound, so no
    other process takes it, but never listening."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]
