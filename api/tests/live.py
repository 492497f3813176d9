"""The project as real processes: `manage.py` commands and gunicorn servers on free ports.

Standard library only, so that client processes started with `spawn` import it cheaply.
"""

import contextlib
import glob
import http.client
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from api.tests.zygote import Forked, Zygote

ROOT = Path(__file__).resolve().parents[2]
ZYGOTE = Zygote(ROOT)
# One key for every process of a test run, so that servers accept each other's tokens.
SECRET_KEY = secrets.token_urlsafe(64)
# How long a server may take to boot; a server that has not answered by then has failed.
BOOT_TIMEOUT = 60
REQUEST_TIMEOUT = 60

# Every variable the project reads (.env.example lists each). A process gets them all blank
# unless a test sets them, so neither the test runner's environment nor a developer's `.env`
# (which never wins over the real environment) changes what it runs.
PROJECT_VARIABLES = tuple(
    re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
)


def project_env(**variables: str) -> dict[str, str]:
    """The environment of a production process: DEBUG off, and only `variables` set."""
    env = {name: value for name, value in os.environ.items() if name not in PROJECT_VARIABLES}
    env.update(dict.fromkeys(PROJECT_VARIABLES, ""))
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Never the real range API from a test: a test of the check sets its own server's URL.
        PWNED_PASSWORDS_CHECK="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(variables)
    return env


LIVE_SETTINGS = "api.tests.live_settings"


def server_env(**variables: str) -> dict[str, str]:
    """`project_env` for a test server, which speaks plain HTTP (no redirect to HTTPS)."""
    database = variables.get("DATABASE_URL", "")
    if database.startswith("sqlite:///") and "DPOP_REPLAY_DIR" not in variables:
        # Beside the test's database, which goes with it, rather than in the host's /dev/shm.
        variables["DPOP_REPLAY_DIR"] = database.removeprefix("sqlite:///") + "-dpop-proofs"
    return project_env(
        **{
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            # Every live client is 127.0.0.1 and the session's live tests share one database,
            # where failed credential checks are counted: the per-IP count would carry from one
            # test to the next. test_stepup.py tests that limit.
            "LOGIN_FAILURE_IP_RATE": "100000/min",
            # Production settings with quick hashes (api/tests/live_settings.py says why);
            # DJANGO_SETTINGS_MODULE="backend.settings" gives a test the production hashers.
            "DJANGO_SETTINGS_MODULE": LIVE_SETTINGS,
            **variables,
        }
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python manage.py ARGS` in its own process; stdout and stderr are captured."""
    return python("manage.py", *args, env=env)


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python ARGS` in the repository; stdout and stderr are captured.

    `manage.py ...` and `-c CODE` run in a child forked from a warm process (api/tests/zygote.py),
    a new process in all that the command can see, without a new interpreter's imports.
    """
    if args and (args[0] == "manage.py" or args[0] == "-c"):
        return ZYGOTE.run(args, env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def manage_ok(*args: str, env: dict[str, str]) -> str:
    """Like `manage`, but the command must succeed; returns its stdout."""
    result = manage(*args, env=env)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def settings_in_process(read: dict[str, str], **variables: str) -> dict:
    """What a new process started with `variables` has in its settings (read from the env once).

    `read` maps a name to a Python expression over `s`, the settings (and `SimpleRateThrottle`,
    to see a rate as DRF parses it); the answer maps each name to its value, through JSON.
    """
    values = ", ".join(f"{name!r}: {expression}" for name, expression in read.items())
    program = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from rest_framework.throttling import SimpleRateThrottle; "
        f"print(json.dumps({{{values}}}))"
    )
    result = python("-c", program, env=project_env(**variables))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body)


def http_request(
    port: int,
    method: str,
    path: str,
    body: dict | None = None,
    *,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One HTTP request to 127.0.0.1:`port`, on a connection of its own."""
    all_headers = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, None if body is None else json.dumps(body), all_headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def totp_on(server: "LiveServer", credentials: dict[str, str]):
    """Turn TOTP on for an account through the live API; returns (its pyotp.TOTP, recovery codes)."""
    import pyotp  # only the two-factor suites need it

    access = server.request("POST", "/api/token/", credentials).json()["access"]
    proof = {"password": credentials["password"]}
    secret = server.request("POST", "/api/user/mfa/totp/", proof, token=access).json()["secret"]
    totp = pyotp.TOTP(secret)
    confirmed = server.request(
        "POST", "/api/user/mfa/totp/confirm/", {"code": totp.now(), **proof}, token=access
    )
    assert confirmed.status == 200, confirmed.body
    return totp, confirmed.json()["recovery_codes"]


@dataclass
class LiveServer:
    """A gunicorn master and its workers, in a process group of their own."""

    port: int
    process: "subprocess.Popen | Forked"
    stdout: Path
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: dict | None = None, **kwargs) -> Reply:
        return http_request(self.port, method, path, body, **kwargs)

    def output(self) -> str:
        return f"{self.stdout.read_text()}\n{self.stderr.read_text()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # Workers left behind by a master that died would keep the port.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


def start_gunicorn(
    env: dict[str, str], log_dir: Path, *, workers: int = 1, config: str | None = None
) -> LiveServer:
    """Start `gunicorn backend.wsgi` (with `-c config` if given) on a free port; returns once it
    answers HTTP."""
    for _ in range(PORT_TRIES):
        server = _spawn_gunicorn(env, log_dir, workers=workers, config=config)
        try:
            _wait_until_serving(server)
        except PortTaken:
            # Another test process took the port between `free_port` and gunicorn's bind.
            server.stop()
            continue
        except BaseException:
            server.stop()
            raise
        return server
    raise RuntimeError(f"gunicorn found no free port in {PORT_TRIES} tries:\n{server.output()}")


PORT_TRIES = 5


class PortTaken(RuntimeError):
    """gunicorn could not bind the port it was given."""


def _spawn_gunicorn(env: dict[str, str], log_dir: Path, *, workers: int, config: str | None) -> LiveServer:
    port = free_port()
    stdout, stderr = log_dir / f"gunicorn-{port}.out", log_dir / f"gunicorn-{port}.err"
    # Forked from the warm process (api/tests/zygote.py): the master and its workers are new
    # processes to the project, without a new interpreter's imports in each worker.
    process = ZYGOTE.spawn(
        (
            "-m",
            "gunicorn",
            *(["--config", config] if config else []),
            "backend.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
        ),
        env,
        stdout=stdout,
        stderr=stderr,
    )
    return LiveServer(port, process, stdout, stderr)


def _wait_until_serving(server: LiveServer) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while True:
        if server.process.poll() is not None:
            output = server.output()
            if "Address already in use" in output or "Connection in use" in output:
                raise PortTaken(output)
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{output}")
        try:
            # Any answer will do: health may rightly be 503 (a test stops the database).
            server.request("GET", "/api/health/")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer within {BOOT_TIMEOUT}s:\n{server.output()}"
                ) from None
            time.sleep(0.1)


# --- A PostgreSQL server of a test's own -----------------------------------------------------


def postgres_bindir() -> Path | None:
    """Where PostgreSQL's server programs (initdb, pg_ctl) are, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory on a free port, trusting local `postgres`."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp_path: its folders are private to the user running the tests,
        # and the server runs as `postgres` when that user is root.
        self.directory = Path(tempfile.mkdtemp(prefix="notes-postgres-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        log = str(self.directory / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(RuntimeError):
                self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            # initdb and the server refuse to run as root.
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{result.stdout}\n{result.stderr}")


# --- A Redis server of a test's own ------------------------------------------------------------


class ThrowawayRedis:
    """A Redis server in a temporary directory on a free port, kept in memory only.

    `stop()` and `start()` again keep the port, as a restarted production Redis does.
    """

    def __init__(self, program: str) -> None:
        self.program = program
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="notes-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        with (self.directory / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.program,
                    *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                    *("--save", "", "--appendonly", "no", "--daemonize", "no"),
                ],
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + BOOT_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = (self.directory / "server.log").read_text(errors="replace")
                raise RuntimeError(f"redis-server did not start on port {self.port}:\n{log}")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


# --- Client processes -----------------------------------------------------------------------


def create_notes(port: int, token: str, prefix: str, count: int) -> list[int]:
    """Create `count` notes titled `<prefix>-<n>` one after another; returns the statuses."""
    return [
        http_request(
            port, "POST", "/api/notes/", {"title": f"{prefix}-{n}", "content": "x"}, token=token
        ).status
        for n in range(count)
    ]


# --- A database that stops answering ---------------------------------------------------------


class BlackHoleProxy:
    """A TCP proxy on a free port to 127.0.0.1:`upstream`, which can stop forwarding at once.

    Once `black_hole()` is called it forwards nothing either way, on open connections and new
    ones alike, yet keeps them open and accepts more: to its clients, the server behind it has
    hung (as a frozen process or a paused machine, whose kernel still acknowledges every packet),
    while the real server goes on serving everyone else. `forward()` closes what was held and
    forwards again.
    """

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def black_hole(self) -> None:
        self.forwarding.clear()

    def forward(self) -> None:
        self._close_all()
        self.forwarding.set()

    def close(self) -> None:
        self.closed.set()
        self.listener.close()
        self._close_all()

    def _close_all(self) -> None:
        with self._lock:
            held, self._sockets = self._sockets, []
        for sock in held:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self._sockets.append(client)
            if not self.forwarding.is_set():
                continue  # held open, never answered
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.append(server)
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        # Reads only while forwarding: once black-holed, data waits unread in the buffers.
        with contextlib.suppress(OSError, ValueError):  # ValueError: closed by `forward()`
            while not self.closed.is_set():
                if not self.forwarding.is_set():
                    time.sleep(0.05)
                    continue
                ready, _, _ = select.select([source], [], [], 0.05)
                if not ready or not self.forwarding.is_set():
                    continue
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
