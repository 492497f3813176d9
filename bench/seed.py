"""The database of one run: a throwaway SQLite file or PostgreSQL database, and its seeded users and notes."""

from __future__ import annotations

import os
import secrets
import tempfile
import urllib.parse

from bench.common import LIST_PAGE_SIZE, NOTE_CONTENT, SCALE_SIZES


class throwaway_database:
    """Yield a DATABASE_URL for one run: a temp SQLite file or a new PG database."""

    def __init__(self, kind, admin_url, suffix=""):
        # `suffix` tells apart several databases of one run (the scale scenario has two).
        self.kind, self.admin_url, self.suffix = kind, admin_url, suffix

    def __enter__(self):
        if self.kind == "sqlite":
            self.tmp = tempfile.TemporaryDirectory(prefix="bench-sqlite-")
            return f"sqlite:///{self.tmp.name}/bench.sqlite3"
        self.name = f"bench_{os.getpid()}{self.suffix}"
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
        self._admin(f'CREATE DATABASE "{self.name}"')
        parts = urllib.parse.urlsplit(self.admin_url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    def __exit__(self, *exc):
        if self.kind == "sqlite":
            self.tmp.cleanup()
        else:
            # FORCE (PostgreSQL 13+) ends connections a crashed run may have left.
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, sql):
        try:
            import psycopg
        except ImportError:  # the project may pin psycopg2 instead
            import psycopg2

            conn = psycopg2.connect(self.admin_url)
            conn.autocommit = True
            with conn, conn.cursor() as cur:
                cur.execute(sql)
            conn.close()
            return
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)


def db_config_summary():
    from django.conf import settings

    db = settings.DATABASES["default"]
    return {
        "engine": db["ENGINE"].rsplit(".", 1)[-1],
        "conn_max_age": db.get("CONN_MAX_AGE", 0),
        "pool": bool((db.get("OPTIONS") or {}).get("pool")),
    }


class Seed:
    """Users and notes written directly through the ORM (bulk_create)."""

    # One password for every seeded user; only this process and its servers use it.
    password = "bench-" + secrets.token_urlsafe(16)

    @classmethod
    def create(cls):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.db import transaction

        from api.models import Note

        seed = cls()
        user_model = get_user_model()

        def user(username, hasher="default"):
            u = user_model(username=username, email=f"{username}@example.com")
            u.password = make_password(cls.password, hasher=hasher)
            u.save()
            return u

        def notes(owner, count):
            Note.objects.bulk_create(
                (Note(author=owner, title=f"Note {i}", content=NOTE_CONTENT) for i in range(count)),
                batch_size=2000,
            )

        with transaction.atomic():
            seed.list_user = user("bench_list")  # list and retrieve
            notes(seed.list_user, LIST_PAGE_SIZE)
            seed.note_id = Note.objects.filter(author=seed.list_user).order_by("id").first().id
            seed.writer = user("bench_writer")  # create, so the list user keeps 20 notes
            seed.login_user = user("bench_login")  # login and refresh
            # Logged in only on the PBKDF2-only server, where it is not upgraded.
            seed.pbkdf2_user = user("bench_pbkdf2", hasher="pbkdf2_sha256")
            seed.scale_users = {}
            for size in SCALE_SIZES:
                seed.scale_users[size] = user(f"bench_scale_{size}")
                notes(seed.scale_users[size], size)
        return seed

    def credentials(self, user):
        return {"username": user.username, "password": self.password}
