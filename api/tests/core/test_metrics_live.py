"""Metrics under gunicorn with several workers (`backend/gunicorn.py`): one scrape, whichever
worker answers it, adds up every worker's counts, and a restarted server starts from zero."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from api.tests.live import BOOT_TIMEOUT, server_env, start_gunicorn

REQUESTS = 40
CONFIG = "backend/gunicorn.py"
# Unauthenticated: answered 401 without a database write, by whichever worker takes it.
COUNTED = {"view": "note-list", "method": "GET", "status": "401"}


@pytest.fixture
def metrics_server(tmp_path):
    """Starts gunicorn with the project's config: `metrics_server(env, workers=2)`; stopped after."""
    servers = []

    def start(env: dict[str, str], *, workers: int = 2):
        server = start_gunicorn(env, tmp_path, workers=workers, config=CONFIG)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _counted(server) -> float:
    reply = server.request("GET", "/metrics", headers={"Accept": "text/plain"})
    assert reply.status == 200, reply.body
    for family in text_string_to_metric_families(reply.body.decode()):
        for sample in family.samples:
            if sample.name == "notes_http_requests_total" and sample.labels == COUNTED:
                return sample.value
    return 0.0


def _wait_for_workers(directory, workers: int) -> None:
    # A worker writes its file when it loads the application, before it takes any request.
    deadline = time.monotonic() + BOOT_TIMEOUT
    while len(list(directory.glob("counter_*.db"))) < workers:
        assert time.monotonic() < deadline, "the workers did not all start"
        time.sleep(0.1)


def _counted_per_worker(directory) -> list[float]:
    """What each worker's own file holds for the counted requests."""
    counts = []
    for path in sorted(directory.glob("counter_*.db")):
        counts.append(
            sum(
                value
                for key, value, *_ in MmapedDict.read_all_values_from_file(str(path))
                if json.loads(key)[1:3] == ["notes_http_requests_total", COUNTED]
            )
        )
    return counts


def test_a_scrape_adds_up_every_workers_counts_and_a_restart_starts_over(
    live_database_url, metrics_server, tmp_path
):
    directory = tmp_path / "metrics"
    directory.mkdir()
    env = server_env(DATABASE_URL=live_database_url, PROMETHEUS_MULTIPROC_DIR=str(directory))

    server = metrics_server(env)
    _wait_for_workers(directory, 2)
    # Several at a time, so that while one worker is busy the other answers too. On a loaded
    # machine one worker can still win every accept of a batch, so batches go on until both
    # have answered some (bounded): the point is a sum over two workers' files.
    sent, per_worker = 0, [0.0, 0.0]
    deadline = time.monotonic() + BOOT_TIMEOUT
    while len([count for count in per_worker if count]) < 2:
        assert time.monotonic() < deadline, f"one worker answered all: {per_worker}"
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: server.request("GET", "/api/notes/").status, range(REQUESTS)))
        assert statuses == [401] * REQUESTS
        sent += REQUESTS
        per_worker = _counted_per_worker(directory)
    assert sum(per_worker) == sent
    # Every scrape, whichever worker answers, sees them all.
    assert [_counted(server) for _ in range(6)] == [sent] * 6
    server.stop()

    restarted = metrics_server(env)
    for _ in range(3):
        restarted.request("GET", "/api/notes/")

    assert _counted(restarted) == 3


def test_without_a_directory_set_the_config_makes_one(live_database_url, metrics_server):
    server = metrics_server(server_env(DATABASE_URL=live_database_url))
    for _ in range(REQUESTS):
        server.request("GET", "/api/notes/")

    assert _counted(server) == REQUESTS
