"""A warm Python process that forks a child for each `python ...` command a test runs.

A new interpreter spends most of a second importing Django, environs, psycopg and cryptography
before the project's settings are even read; the settings tests start a hundred of them. This
process imports those libraries once, reads nothing of the project, and forks: each child sets
the command's environment, arguments and working directory, runs it as `python` would
(`manage.py ...`, `-c CODE`), and exits with its status. What a child runs reads its settings
from its own environment, as a new process does: nothing preloaded touches the project's
settings (DRF and prometheus-client, which read them or the environment at import, are not
preloaded, and the parent checks that).

Standard library only in the parent; run as `python api/tests/zygote.py`, it serves on its
standard input and output, one JSON line per command.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
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
        with self._lock, tempfile.TemporaryDirectory(prefix="notes-zygote-") as directory:
            out, err = Path(directory, "stdout"), Path(directory, "stderr")
            request = {
                "args": list(args),
                "env": env,
                "cwd": str(self.root),
                "stdout": str(out),
                "stderr": str(err),
            }
            process = self._started()
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            answer = self._answer(process)
            return subprocess.CompletedProcess(
                [sys.executable, *args], answer["returncode"], out.read_text(), err.read_text()
            )

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
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), file=answers, flush=True)


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
