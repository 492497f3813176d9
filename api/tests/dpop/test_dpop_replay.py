"""Where a used proof is recorded (api/dpop/replay.py): Redis when configured, else on SQLite a
file in DPOP_REPLAY_DIR, else (PostgreSQL) a database row; each refuses the replay, and each
forgets a proof once its window is over. Settings are read once per process, so the startup
checks of DPOP_REPLAY_DIR each run in a process of their own."""

import io
import time
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from api.dpop import replay
from api.models import DpopProofUse
from api.tests.core.test_settings import assert_refused as assert_startup_refused
from api.tests.core.test_settings import check
from api.tests.dpop.test_dpop import NOTES, assert_refused, dpop_get
from api.tests.live import free_port, settings_in_process

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the replay directory is SQLite's")
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 (only looked at)
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def without_redis(settings):
    """The process-local cache in place of the suite's Redis, if it has one: the record is then
    the replay directory or the database."""
    settings.CACHES = LOCAL_CACHE


def _recorded_files(directory: str) -> list[Path]:
    return sorted(path for path in Path(directory).glob("*/*") if path.is_file())


@on_sqlite
@pytest.mark.usefixtures("without_redis")
def test_on_sqlite_without_redis_a_used_proof_is_a_file_in_the_replay_directory(
    settings, dpop_login, dpop_key
):
    access = dpop_login()["access"]
    before, rows = len(_recorded_files(settings.DPOP_REPLAY_DIR)), DpopProofUse.objects.count()
    proof = dpop_key.proof("GET", NOTES, access=access)

    assert dpop_get(access, proof).status_code == 200
    assert_refused(dpop_get(access, proof))
    assert len(_recorded_files(settings.DPOP_REPLAY_DIR)) == before + 1
    assert DpopProofUse.objects.count() == rows


@pytest.mark.usefixtures("without_redis")
def test_without_a_replay_directory_a_used_proof_is_a_database_row(settings, dpop_login, dpop_key):
    settings.DPOP_REPLAY_DIR = ""
    access = dpop_login()["access"]
    rows = DpopProofUse.objects.count()
    proof = dpop_key.proof("GET", NOTES, access=access)

    assert dpop_get(access, proof).status_code == 200
    assert_refused(dpop_get(access, proof))
    assert DpopProofUse.objects.count() == rows + 1


def test_with_redis_unreachable_a_replayed_proof_is_still_refused_by_the_local_record(
    settings, dpop_login, dpop_key
):
    access = dpop_login()["access"]
    proof = dpop_key.proof("GET", NOTES, access=access)
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    files = _recorded_files(settings.DPOP_REPLAY_DIR) if settings.DPOP_REPLAY_DIR else []
    rows = DpopProofUse.objects.count()

    with override_settings(CACHES=unreachable):
        assert dpop_get(access, proof).status_code == 200
        assert_refused(dpop_get(access, proof))
    if settings.DPOP_REPLAY_DIR:
        assert len(_recorded_files(settings.DPOP_REPLAY_DIR)) == len(files) + 1
    else:
        assert DpopProofUse.objects.count() == rows + 1


@pytest.mark.usefixtures("without_redis")
def test_a_replay_directory_that_cannot_be_written_falls_back_to_the_database(
    settings, tmp_path, dpop_login, dpop_key
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.DPOP_REPLAY_DIR = str(blocker / "proofs")  # under a file: every create fails
    access = dpop_login()["access"]
    rows = DpopProofUse.objects.count()
    proof = dpop_key.proof("GET", NOTES, access=access)

    assert dpop_get(access, proof).status_code == 200
    assert_refused(dpop_get(access, proof))
    assert DpopProofUse.objects.count() == rows + 1


@pytest.mark.usefixtures("without_redis")
def test_the_first_proof_of_a_new_bucket_sweeps_the_buckets_past_their_window(
    settings, tmp_path, dpop_login, dpop_key
):
    settings.DPOP_REPLAY_DIR = str(tmp_path / "proofs")
    with time_machine.travel(time.time(), tick=True) as clock:
        access = dpop_login()["access"]
        first = dpop_key.proof("GET", NOTES, access=access)
        assert dpop_get(access, first).status_code == 200
        (old_bucket,) = {path.parent for path in _recorded_files(settings.DPOP_REPLAY_DIR)}

        clock.shift(settings.DPOP_PROOF_MAX_AGE + 3 * replay.BUCKET_SECONDS)
        access = dpop_login()["access"]
        assert dpop_get(access, dpop_key.proof("GET", NOTES, access=access)).status_code == 200

        assert not old_bucket.exists()
        assert _recorded_files(settings.DPOP_REPLAY_DIR)  # the new login's and request's
        # The proof whose record went is refused anyway: its `iat` is past the window.
        assert_refused(dpop_get(access, first))


@pytest.mark.usefixtures("without_redis")
def test_flushexpiredtokens_deletes_the_records_past_their_window_and_keeps_the_rest(
    settings, tmp_path, dpop_login, dpop_key
):
    settings.DPOP_REPLAY_DIR = str(tmp_path / "proofs")
    access = dpop_login()["access"]
    live = dpop_key.proof("GET", NOTES, access=access)
    assert dpop_get(access, live).status_code == 200
    # A bucket whose window ended long ago, as a worker that stopped before its sweep leaves it.
    stale = Path(settings.DPOP_REPLAY_DIR) / "1"
    stale.mkdir()
    for name in ("a", "b"):
        (stale / name).write_text("")
    out = io.StringIO()

    call_command("flushexpiredtokens", stdout=out)

    assert "Deleted 2 records of DPoP proofs" in out.getvalue()
    assert not stale.exists()
    assert len(_recorded_files(settings.DPOP_REPLAY_DIR)) == 2  # the login's and the request's
    assert_refused(dpop_get(access, live))


def test_by_default_on_sqlite_proofs_are_recorded_in_shared_memory_apart_for_each_database(tmp_path):
    read = {"dir": "s.DPOP_REPLAY_DIR"}
    first, second = (
        settings_in_process(read, DATABASE_URL=f"sqlite:///{tmp_path / name}")["dir"]
        for name in ("a.db", "b.db")
    )

    if SHARED_MEMORY.is_dir():
        assert {Path(first).parent, Path(second).parent} == {SHARED_MEMORY}
        assert Path(first).name.startswith("notes-api-dpop-") and first != second
    else:
        assert (first, second) == (f"{tmp_path / 'a.db'}-dpop-proofs", f"{tmp_path / 'b.db'}-dpop-proofs")
    assert settings_in_process(read, DATABASE_URL="postgres://u@127.0.0.1:5432/notes") == {"dir": ""}


@pytest.mark.usefixtures("without_redis")
def test_a_replay_directory_others_may_write_is_refused_for_the_database(
    settings, tmp_path, dpop_login, dpop_key
):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # as another local user could leave it in /dev/shm, to delete records
    settings.DPOP_REPLAY_DIR = str(shared)
    access = dpop_login()["access"]
    rows = DpopProofUse.objects.count()
    proof = dpop_key.proof("GET", NOTES, access=access)

    assert dpop_get(access, proof).status_code == 200
    assert_refused(dpop_get(access, proof))
    assert DpopProofUse.objects.count() == rows + 1
    assert list(shared.iterdir()) == []


def test_a_replay_directory_with_postgresql_is_one_line():
    (line,) = assert_startup_refused(
        check(DATABASE_URL="postgres://u@127.0.0.1:5432/notes", DPOP_REPLAY_DIR="/var/lib/notes/proofs"),
        "DPOP_REPLAY_DIR",
    )
    assert line.startswith("DPOP_REPLAY_DIR is for SQLite (one host)")


def test_a_relative_replay_directory_is_one_line():
    (line,) = assert_startup_refused(check(DPOP_REPLAY_DIR="proofs"), "DPOP_REPLAY_DIR")
    assert line == "DPOP_REPLAY_DIR must be an absolute path, not 'proofs'."
