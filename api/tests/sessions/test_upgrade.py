"""Upgrading a database that SimpleJWT's token_blacklist app once wrote to."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from api.models import TokenFamily, User
from api.tests.conftest import PASSWORD

BEFORE = [("api", "0002_username_keys")]

# The app's tables as its migrations left them: each row points at a user (or a token).
OLD_TABLES = [
    "CREATE TABLE token_blacklist_outstandingtoken (id integer PRIMARY KEY, jti varchar(255) NOT NULL "
    "UNIQUE, token text NOT NULL, user_id bigint NULL REFERENCES api_user (id) DEFERRABLE INITIALLY DEFERRED)",
    "CREATE TABLE token_blacklist_blacklistedtoken (id integer PRIMARY KEY, token_id integer NOT NULL "
    "UNIQUE REFERENCES token_blacklist_outstandingtoken (id) DEFERRABLE INITIALLY DEFERRED)",
]


@pytest.mark.django_db(transaction=True)
def test_upgrade_drops_stored_tokens_so_accounts_that_logged_in_before_can_be_deleted(api_client, login):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_user = executor.loader.project_state(BEFORE).apps.get_model("api", "User")
        user = old_user.objects.create(username="alice", password=make_password(PASSWORD))
        with connection.cursor() as cursor:
            for statement in OLD_TABLES:
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO token_blacklist_outstandingtoken VALUES (1, 'j1', 'a.refresh.token', %s)",
                [user.pk],
            )
            cursor.execute("INSERT INTO token_blacklist_blacklistedtoken VALUES (1, 1)")
        MigrationRecorder(connection).record_applied("token_blacklist", "0001_initial")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert not [t for t in connection.introspection.table_names() if t.startswith("token_blacklist_")]
    assert not MigrationRecorder(connection).migration_qs.filter(app="token_blacklist").exists()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login('alice')['access']}")
    deleted = api_client.delete("/api/user/me/", {"password": PASSWORD}, format="json")
    assert deleted.status_code == 204
    assert not User.objects.filter(username="alice").exists()


@pytest.mark.django_db(transaction=True)
def test_upgrade_gives_existing_sessions_their_last_use_and_keeps_them_working(api_client):
    before = [("api", "0004_user_email_verified")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        user = old.get_model("api", "User").objects.create(username="alice", password=make_password(PASSWORD))
        family = old.get_model("api", "TokenFamily")
        start = timezone.now() - timedelta(hours=1)
        expires = start + timedelta(days=30)
        rotated = family.objects.create(
            user_id=user.pk,
            created_at=start,
            expires_at=expires,
            current_jti="b",
            rotated_at=start + timedelta(minutes=5),
        )
        fresh = family.objects.create(user_id=user.pk, created_at=start, expires_at=expires, current_jti="c")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    sessions = {s.pk: s for s in TokenFamily.objects.all()}
    assert sessions[rotated.pk].last_used_at == start + timedelta(minutes=5)
    assert sessions[fresh.pk].last_used_at == start
    assert {(s.user_agent, s.ip) for s in sessions.values()} == {("", None)}
