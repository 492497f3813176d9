"""A warm Python process that forks a child for each `python ...` command a test runs.

A new interpreter spends most of a second importing Django, environs, psycopg and cryptography
before the project's settings are even read; the settings tests start a hundred of them, the
live tests dozens of gunicorn servers whose every worker paid it again. This process imports
those libraries once, reads nothing of the project, and forks: each child sets the command's
environment, arguments and working directory, runs it as `python` would (`manage.py ...`,
`-c CODE`, `-m gunicorn ...`), and exits with its status; gunicorn's workers fork from it. What a child runs reads its settings
from its own environment, as a new process does: nothing preloaded touches the project's
settings (DRF and prometheus-client, which read them or the environment at import, are not
preloaded, and the parent checks that).

Standard library only in the parent; run as `python api/tests/zygote.py`, it serves on its
standard input and output, one JSON line per command.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Libraries that read neither settings nor the environment when imported.
PRELOAD = (
    "django.conf",
    "django.db.models",
    "django.http",
    "django.core.management",
    "django.core.checks",
    "django.core.mail",
    "django.contrib.auth.hashers",
    "django.urls",
    "django.template",
    "django.forms",
    "django.db.backends.sqlite3.base",
    "django.db.backends.postgresql.base",
    "environs",
    "dotenv",
    "dj_database_url",
    "dj_email_url",
    "psycopg",
    "redis",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "cryptography.hazmat.primitives.asymmetric.rsa",
    "cryptography.hazmat.primitives.serialization",
    "argon2",
    "jwt",
    "pyotp",
    "segno",
)
# A command that has not ended by then has failed (as `subprocess.run(timeout=...)` would).
COMMAND_TIMEOUT = 300


class Zygote:
    """The parent's handle on one warm process; `run()` is `subprocess.run` for `python ARGS`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def run(self, args: tuple[str, ...], env: dict[str, str]) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory(prefix="notes-zygote-") as directory:
            out, err = Path(directory, "stdout"), Path(directory, "stderr")
            request = {
                "args": list(args),
                "env": env,
                "cwd": str(self.root),
                "stdout": str(out),
                "stderr": str(err),
            }
            answer = self._ask({"run": request})
            return subprocess.CompletedProcess(
                [sys.executable, *args], answer["returncode"], out.read_text(), err.read_text()
            )

    def spawn(self, args: tuple[str, ...], env: dict[str, str], *, stdout: Path, stderr: Path) -> "Forked":
        """Start `python ARGS` in a forked child that runs on its own, in a session of its own
        (`start_new_session`); its output goes to the two files."""
        request = {
            "args": list(args),
            "env": env,
            "cwd": str(self.root),
            "stdout": str(stdout),
            "stderr": str(stderr),
        }
        return Forked(self, self._ask({"spawn": request})["pid"])

    def returncode_of(self, pid: int, *, wait: float = 0) -> int | None:
        """A spawned child's exit status, once it has ended (waiting up to `wait` seconds)."""
        return self._ask({"poll": pid, "wait": wait})["returncode"]

    def _ask(self, request: dict) -> dict:
        with self._lock:
            process = self._started()
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            return self._answer(process)

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    def _started(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, __file__],
                cwd=self.root,
                env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            ready = self._answer(self._process)
            assert ready == {"ready": True}, ready
        return self._process

    def _answer(self, process: subprocess.Popen) -> dict:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(COMMAND_TIMEOUT)
        if not line or not line[0]:
            self.stop()
            raise subprocess.TimeoutExpired("zygote", COMMAND_TIMEOUT)
        return json.loads(line[0])


class Forked:
    """What a test needs of `subprocess.Popen` for a child spawned by the zygote."""

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid = zygote, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote.returncode_of(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            self.returncode = self.zygote.returncode_of(self.pid, wait=0.5)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- The warm process ---------------------------------------------------------------------------


def _serve() -> None:
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    from django.apps import apps
    from django.conf import settings

    # What would make a child differ from a new process.
    assert not settings.configured and not apps.ready
    assert not any(
        name.startswith(("prometheus_client", "rest_framework", "api", "backend")) for name in sys.modules
    )

    answers = sys.stdout
    print(json.dumps({"ready": True}), file=answers, flush=True)
    ended: dict[int, int] = {}
    for line in sys.stdin:
        request = json.loads(line)
        if "poll" in request:
            answer = {"returncode": _returncode(request["poll"], request["wait"], ended)}
        elif "spawn" in request:
            pid = os.fork()
            if pid == 0:
                _child(request["spawn"])
            answer = {"pid": pid}
        else:
            pid = os.fork()
            if pid == 0:
                _child(request["run"])
            _, status = os.waitpid(pid, 0)
            answer = {"returncode": os.waitstatus_to_exitcode(status)}
        print(json.dumps(answer), file=answers, flush=True)


def _returncode(pid: int, wait: float, ended: dict[int, int]) -> int | None:
    deadline = time.monotonic() + wait
    while pid not in ended:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            ended[pid] = os.waitstatus_to_exitcode(status)
        elif time.monotonic() >= deadline:
            return None
        else:
            time.sleep(0.02)
    return ended[pid]


def _child(request: dict) -> None:
    code = 1
    try:
        os.setsid()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        with open(os.devnull) as nothing:
            os.dup2(nothing.fileno(), 0)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            with open(path, "wb") as file:
                os.dup2(file.fileno(), fd)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 (the process's own)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        code = _run_as_python(request["args"])
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:
        sys.excepthook(*sys.exc_info())
    finally:
        with contextlib.suppress(BaseException):
            import atexit

            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _run_as_python(args: list[str]) -> int:
    import runpy

    if args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        sys.path[0] = ""
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})  # noqa: S102
    elif args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        sys.path[0] = os.getcwd()
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    _serve()
