"""A database `manage.py` cannot reach: one line naming DATABASE_URL's host, port and database and
what failed, exit status 4, and never the password (gunicorn's startup: test_gunicorn_config.py)."""

import contextlib
import socket

import pytest
from django.conf import settings as django_settings

from api.tests.conftest import suite_runs_on_postgres
from api.tests.live import free_port, manage, project_env

PASSWORD_IN_URL = "s3cret"


def _one_line_and_exit(database_url: str, **variables: str) -> str:
    result = manage("migrate", "--no-input", env=project_env(DATABASE_URL=database_url, **variables))

    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert PASSWORD_IN_URL not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _postgres() -> tuple[str, int]:
    if not suite_runs_on_postgres():
        pytest.skip("needs the suite's PostgreSQL server (the CI's PostgreSQL pass runs it)")
    db = django_settings.DATABASES["default"]
    return db["HOST"] or "localhost", int(db["PORT"] or 5432)


def test_a_port_nobody_listens_on_is_connection_refused():
    port = free_port()

    line = _one_line_and_exit(f"postgres://nobody:{PASSWORD_IN_URL}@127.0.0.1:{port}/x")

    assert line == (
        f'DATABASE_URL: cannot connect to database "x" on 127.0.0.1:{port}: '
        "connection refused (nothing listens there)."
    )


def test_a_server_that_never_answers_is_a_timeout():
    # Listening, so the kernel completes the handshake, but nothing ever reads or answers.
    with contextlib.closing(socket.create_server(("127.0.0.1", 0))) as silent:
        port = silent.getsockname()[1]
        line = _one_line_and_exit(
            f"postgres://nobody:{PASSWORD_IN_URL}@127.0.0.1:{port}/x", DATABASE_CONNECT_TIMEOUT="2"
        )

    assert line == (
        f'DATABASE_URL: cannot connect to database "x" on 127.0.0.1:{port}: '
        "no answer before DATABASE_CONNECT_TIMEOUT (timeout)."
    )


def test_an_unknown_role_is_named_as_such():
    host, port = _postgres()

    line = _one_line_and_exit(f"postgres://nobody_at_all:{PASSWORD_IN_URL}@{host}:{port}/x")

    assert line == f'DATABASE_URL: cannot connect to database "x" on {host}:{port}: role does not exist.'


def test_a_missing_database_is_named_as_such():
    host, port = _postgres()
    user = django_settings.DATABASES["default"]["USER"] or "postgres"

    line = _one_line_and_exit(f"postgres://{user}:{PASSWORD_IN_URL}@{host}:{port}/no_such_database_here")

    assert line == (
        f'DATABASE_URL: cannot connect to database "no_such_database_here" on {host}:{port}: '
        "database does not exist."
    )


def test_an_sqlite_file_that_cannot_be_created_is_one_line_too(tmp_path):
    path = tmp_path / "missing-directory" / "db.sqlite3"

    line = _one_line_and_exit(f"sqlite:///{path}")

    assert (
        line == f"DATABASE_URL: cannot open the SQLite database {path}: the file cannot be opened or created."
    )


def test_a_command_that_needs_no_database_still_runs_without_one():
    env = project_env(DATABASE_URL=f"postgres://nobody:{PASSWORD_IN_URL}@127.0.0.1:{free_port()}/x")

    result = manage("check", env=env)

    assert result.returncode == 0, result.stderr
