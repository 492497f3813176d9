"""gunicorn with the project's configuration (`backend/gunicorn.py`), on free ports: which requests
it calls HTTPS, its control socket, a database it cannot reach at startup, and large buffers."""

import functools
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from api.tests.live import ROOT, free_port, python, server_env

CONFIG = "backend/gunicorn.py"
PASSWORD_IN_URL = "s3cret"


@pytest.fixture
def configured_server(gunicorn_server):
    """Starts gunicorn with the project's config: `configured_server(env)`; stopped after."""
    return functools.partial(gunicorn_server, config=CONFIG)


# --- Behind a TLS proxy -----------------------------------------------------------------------


def _https_env(database_url: str, *, trust_proxy: bool) -> dict[str, str]:
    return server_env(
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_PROXY_SSL_HEADER="true" if trust_proxy else "false",
    )


def test_without_the_proxy_setting_a_forwarded_https_from_localhost_is_still_plain_http(
    live_database_url, configured_server
):
    server = configured_server(_https_env(live_database_url, trust_proxy=False))

    # From 127.0.0.1, which gunicorn alone would trust: a client behind a local proxy.
    claimed = {
        "X-Forwarded-Proto": {"X-Forwarded-Proto": "https"},
        "X-Forwarded-Ssl": {"X-Forwarded-Ssl": "on"},
        "X-Forwarded-Protocol": {"X-Forwarded-Protocol": "ssl"},
    }
    replies = {
        name: server.request("GET", "/api/notes/", headers=headers) for name, headers in claimed.items()
    }

    for name, reply in replies.items():
        assert reply.status == 301, (name, reply.status, reply.body)
        assert reply.headers["Location"].startswith("https://"), name


def test_with_the_proxy_setting_its_x_forwarded_proto_makes_a_request_https(
    live_database_url, configured_server
):
    server = configured_server(_https_env(live_database_url, trust_proxy=True))

    forwarded = server.request("GET", "/api/notes/", headers={"X-Forwarded-Proto": "https"})
    plain = server.request("GET", "/api/notes/", headers={"X-Forwarded-Proto": "http"})
    unset = server.request("GET", "/api/notes/")
    # Only the header Django trusts: gunicorn's other defaults mark nothing HTTPS.
    other_header = server.request("GET", "/api/notes/", headers={"X-Forwarded-Ssl": "on"})

    assert forwarded.status == 401, forwarded.body  # served: no token
    assert "Strict-Transport-Security" in forwarded.headers
    for reply in (plain, unset, other_header):
        assert reply.status == 301, (reply.status, reply.body)


# --- The control socket -------------------------------------------------------------------------


def test_two_servers_on_one_host_both_start_and_neither_opens_the_shared_control_socket(
    tmp_path, live_database_url, configured_server
):
    home, runtime = tmp_path / "home", tmp_path / "run"
    home.mkdir()
    runtime.mkdir()
    # gunicorn's default socket path is in one of these, the same for every server of the user.
    env = {**server_env(DATABASE_URL=live_database_url), "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}

    first = configured_server(env)
    second = configured_server(env)
    answers = [server.request("GET", "/api/health/").status for server in (first, second)]
    second.stop()
    first_after = first.request("GET", "/api/health/").status

    assert answers == [200, 200]
    assert first_after == 200
    assert [path for path in (*home.rglob("*"), *runtime.rglob("*")) if "gunicorn" in path.name] == []
    for server in (first, second):
        assert "Control socket listening" not in server.output()


# --- A database that cannot be reached ------------------------------------------------------------


def test_gunicorn_does_not_start_while_its_database_cannot_be_reached(tmp_path):
    port = free_port()  # nobody listens there
    env = server_env(DATABASE_URL=f"postgres://nobody:{PASSWORD_IN_URL}@127.0.0.1:{port}/notes")

    result = python(
        "-m", "gunicorn", "-c", CONFIG, "backend.wsgi", "--bind", f"127.0.0.1:{free_port()}", env=env
    )

    assert result.returncode == 4, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("DATABASE_URL:")]
    assert lines == [f'DATABASE_URL: cannot connect to database "notes" on 127.0.0.1:{port}: {_REFUSED}.']
    assert "Traceback" not in result.stderr
    assert "Booting worker" not in result.stderr
    assert PASSWORD_IN_URL not in result.stdout + result.stderr


_REFUSED = "connection refused (nothing listens there)"


# --- Large buffers -------------------------------------------------------------------------------

# In a new interpreter (not the zygote, whose allocator has served this suite): frees a buffer
# the size of a login's Argon2id memory twice, as two logins do, and prints how much of the
# process's anonymous memory is still resident after the second.
_TWO_LOGINS = """
import ctypes, runpy, sys
sys.path.insert(0, ".")
if sys.argv[1] == "configured":
    runpy.run_path("backend/gunicorn.py")
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def resident_kib():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
before = resident_kib()
for _ in range(2):
    buffer = libc.malloc(8 << 20)
    ctypes.memset(buffer, 1, 8 << 20)
    libc.free(buffer)
print(resident_kib() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
# The control's expectation (a freed 8 MiB buffer stays resident) is glibc's heap behaviour.
@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator")
@pytest.mark.parametrize(("config", "kept"), [("configured", False), ("plain", True)])
def test_a_logins_argon2_memory_does_not_stay_in_a_gunicorn_worker(tmp_path, config, kept):
    script = tmp_path / "two_logins.py"
    script.write_text(_TWO_LOGINS)
    env = {**server_env(DATABASE_URL="sqlite:///:memory:"), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, str(script), config], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    still_resident_mib = int(result.stdout) / 1024
    # Plain glibc keeps the second buffer in the heap: the control that shows the test can fail.
    assert (still_resident_mib > 6) is kept, still_resident_mib
