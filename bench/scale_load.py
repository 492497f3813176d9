"""The scale scenario's databases, each in a process of its own: migrate, then load users and notes.

Bulk rows go in with set-based SQL on PostgreSQL (INSERT ... SELECT generate_series, and COPY for
what Python computes), into the migrated schema with every index in place. The few users the
scenario logs in as are made through the ORM, with real password hashes; the rest share one
precomputed hash of a password nobody knows.
"""

from __future__ import annotations

import datetime
import os
import time

from bench.common import LIST_PAGE_SIZE, NOTE_CONTENT, log

# Both databases are loaded by the same code; only these sizes differ.
SIZES = {
    "small": {"users": 100, "notes": 2_000, "deep_notes": 1_000},
    "large": {"users": 100_000, "notes": 1_000_000, "deep_notes": 100_000},
}
# The users requests are made as: list and retrieve (20 notes), the deep page, note create,
# login and refresh, and two-factor login (a confirmed authenticator and recovery codes).
PROBES = ("list", "deep", "writer", "login", "mfa")
RECOVERY_CODES = 200  # one per two-factor login of the token-table phase
BULK_PREFIX = "member"
NOTE_INTERVAL = datetime.timedelta(minutes=1)  # between consecutive notes' created_at


def prepare(size, db_url, env, password):
    """Migrate and load one database; what the scenario needs to know about it, and the timings."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if getattr(settings, "STATIC_ROOT", None):
        call_command("collectstatic", verbosity=0, interactive=False)
    spec = SIZES[size]
    timings = {}
    started = time.perf_counter()
    probes, codes = probe_users(password)
    timings["probe users"] = time.perf_counter() - started

    import psycopg

    # A connection of its own: the project's sets a statement timeout made for requests.
    with psycopg.connect(db_url, autocommit=True) as conn:
        loader = Loader(conn, spec, probes)
        for step in ("users", "username_keys", "notes", "vacuum_analyze"):
            t0 = time.perf_counter()
            getattr(loader, step)()
            timings[step.replace("_", " ")] = time.perf_counter() - t0
            log(f"{size}: {step.replace('_', ' ')} {timings[step.replace('_', ' ')]:.1f} s")
        info = loader.describe()
    info.update(
        probes=probes,
        recovery_codes=codes,
        load_s={k: round(v, 1) for k, v in timings.items()},
        load_total_s=round(time.perf_counter() - started, 1),
    )
    return info


def probe_users(password):
    """The users requests are made as, through the ORM (their username keys come with them)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from api.mfa import codes as mfa_codes
    from api.models import RecoveryCode, TotpDevice, User

    hashed = make_password(password)  # the project's hasher (Argon2id), as a login leaves it
    probes = {}
    with transaction.atomic():
        for name in PROBES:
            user = User(username=f"bench_{name}", email=f"bench_{name}@example.com", password=hashed)
            user.save()
            probes[name] = {"id": user.pk, "username": user.username}
        now = timezone.now()
        mfa_user = User.objects.get(pk=probes["mfa"]["id"])
        TotpDevice(user=mfa_user, secret=mfa_codes.new_secret(), created_at=now, confirmed_at=now).save(
            force_insert=True
        )
        codes = []
        while len(codes) < RECOVERY_CODES:
            codes += mfa_codes.new_recovery_codes()
        codes = codes[:RECOVERY_CODES]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=mfa_user, code_hash=mfa_codes.recovery_code_hash(code), created_at=now)
            for code in codes
        )
    return probes, codes


class Loader:
    """Set-based loading of one database's bulk users, their username keys, and the notes."""

    USER_COLUMNS = (
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "token_version",
        "email_verified",
    )
    NOTE_COLUMNS = ("title", "content", "author_id", "created_at", "updated_at")

    def __init__(self, conn, spec, probes):
        from api.models import Note, User, UsernameKey

        self.conn, self.spec, self.probes = conn, spec, probes
        self.bulk_users = spec["users"] - len(probes)
        self.tables = {
            "user": User._meta.db_table,
            "note": Note._meta.db_table,
            "key": UsernameKey._meta.db_table,
        }
        self.start = datetime.datetime.now(datetime.UTC) - spec["notes"] * NOTE_INTERVAL
        self.check_columns("user", self.USER_COLUMNS)
        self.check_columns("note", self.NOTE_COLUMNS)

    def check_columns(self, table, filled):
        """Fail clearly if the schema gained a column the loader would leave NULL."""
        rows = self.conn.execute(
            "SELECT column_name, is_nullable, column_default, is_identity FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            [self.tables[table]],
        ).fetchall()
        missing = [
            name
            for name, nullable, default, identity in rows
            if name not in filled and nullable == "NO" and default is None and identity != "YES"
        ]
        if missing:
            raise SystemExit(f"{self.tables[table]} has NOT NULL columns the loader does not fill: {missing}")

    def users(self):
        # Every user but the probes has the hash of a password nobody knows: usable, never used.
        from django.contrib.auth.hashers import make_password

        name = f"'{BULK_PREFIX}' || lpad(i::text, 6, '0')"
        self.conn.execute(
            f"INSERT INTO {self.tables['user']} ({', '.join(self.USER_COLUMNS)}) "  # noqa: S608
            f"SELECT %(hash)s, NULL, false, {name}, '', '', {name} || '@example.com', false, true, "
            "%(start)s + i * interval '5 minutes', 0, true FROM generate_series(1, %(n)s) AS i",
            {"hash": make_password(os.urandom(16).hex()), "start": self.start, "n": self.bulk_users},
        )
        first, last = self.conn.execute(
            f"SELECT min(id), max(id) FROM {self.tables['user']} WHERE username LIKE %s",  # noqa: S608
            [f"{BULK_PREFIX}%"],
        ).fetchone()
        # One statement into a fresh table: the identity column numbered them in one run.
        if last - first + 1 != self.bulk_users:
            raise SystemExit(f"bulk user ids are not contiguous: {first}..{last}")
        self.first_bulk_id = first

    def username_keys(self):
        # The look-alike keys registration checks against: computed by the project's own code,
        # as `UsernameKey.store` does, and copied in.
        from api.core.skeletons import username_keys

        rows = self.conn.execute(
            f"SELECT id, username FROM {self.tables['user']} WHERE id >= %s",  # noqa: S608
            [self.first_bulk_id],
        ).fetchall()
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {self.tables['key']} (key, user_id) FROM STDIN") as copy,
        ):
            for user_id, username in rows:
                for key in set(username_keys(username)):
                    copy.write_row((key, user_id))

    def notes(self):
        """Notes in the order they were written over time, so each user's are spread over the table.

        Every k-th note is the deep user's, 20 evenly spaced ones the list user's; the rest go to
        the bulk users with a skew (random()^2: the first users have thousands, most a few).
        """
        total, deep = self.spec["notes"], self.spec["deep_notes"]
        self.conn.execute("SELECT setseed(0.5)")
        self.conn.execute(
            f"INSERT INTO {self.tables['note']} ({', '.join(self.NOTE_COLUMNS)}) "  # noqa: S608
            "SELECT 'Note ' || i, %(content)s, CASE "
            "WHEN i %% %(deep_every)s = 0 THEN %(deep_id)s "
            "WHEN i %% %(list_every)s = 1 THEN %(list_id)s "
            "ELSE %(first_bulk)s + floor(%(bulk)s * random() ^ 2)::bigint END, t.at, t.at "
            "FROM generate_series(1, %(total)s) AS i, "
            "LATERAL (SELECT %(start)s + i * %(step)s) AS t(at)",
            {
                "content": NOTE_CONTENT,
                "deep_every": total // deep,
                "deep_id": self.probes["deep"]["id"],
                "list_every": total // LIST_PAGE_SIZE,
                "list_id": self.probes["list"]["id"],
                "first_bulk": self.first_bulk_id,
                "bulk": self.bulk_users,
                "total": total,
                "start": self.start,
                "step": NOTE_INTERVAL,
            },
        )

    def vacuum_analyze(self):
        # ANALYZE for the planner's statistics; VACUUM too, so that autovacuum does not start on
        # the large database's fresh million rows in the middle of the measurements.
        self.conn.execute("VACUUM (ANALYZE)")

    def describe(self):
        t = self.tables

        def one(sql, params=()):
            return self.conn.execute(sql, params).fetchone()[0]

        per_author = f"SELECT count(*) FROM {t['note']} WHERE author_id = %s"  # noqa: S608
        list_count = one(per_author, [self.probes["list"]["id"]])
        deep_count = one(per_author, [self.probes["deep"]["id"]])
        if list_count != LIST_PAGE_SIZE or deep_count != self.spec["deep_notes"]:
            raise SystemExit(f"loaded {list_count} list notes and {deep_count} deep notes")
        # The list user's note in the middle of the table, for retrieve.
        note_id = one(
            f"SELECT id FROM {t['note']} WHERE author_id = %s ORDER BY id OFFSET %s LIMIT 1",  # noqa: S608
            [self.probes["list"]["id"], LIST_PAGE_SIZE // 2],
        )
        per_user = self.conn.execute(
            f"SELECT max(n), percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM "  # noqa: S608
            f"(SELECT count(*) AS n FROM {t['note']} WHERE author_id >= %s GROUP BY author_id) AS c",
            [self.first_bulk_id],
        ).fetchone()
        return {
            "users": one(f"SELECT count(*) FROM {t['user']}"),  # noqa: S608
            "notes": one(f"SELECT count(*) FROM {t['note']}"),  # noqa: S608
            "username_keys": one(f"SELECT count(*) FROM {t['key']}"),  # noqa: S608
            "bulk_notes_per_user": {"max": per_user[0], "median": per_user[1]},
            "deep_notes": deep_count,
            "note_id": note_id,
            "database_mib": round(one("SELECT pg_database_size(current_database())") / 2**20),
        }
