"""The project as real processes: `manage.py` commands and Python with the project's settings."""

import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# One key for every process of a test run.
SECRET_KEY = secrets.token_urlsafe(64)

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
        PYTHONUNBUFFERED="1",
    )
    env.update(variables)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python manage.py ARGS` in its own process; stdout and stderr are captured."""
    return python("manage.py", *args, env=env)


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python ARGS` in the repository; stdout and stderr are captured."""
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
