"""Drops the tables of SimpleJWT's token_blacklist app, which this project no longer installs.

Sessions (`TokenFamily`) were already the record that decided whether a refresh token may be
used; the outstanding and blacklist tables were written on every login and refresh and never
read, and they held every issued refresh token in full. Left behind, their foreign key to the
user would make PostgreSQL refuse to delete any account that ever logged in.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

# A blacklist row points at an outstanding token: that table goes first.
_TABLES = ("token_blacklist_blacklistedtoken", "token_blacklist_outstandingtoken")


def drop_token_blacklist_tables(apps, schema_editor) -> None:
    connection = schema_editor.connection
    present = set(connection.introspection.table_names())
    for table in _TABLES:
        if table in present:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    # Forget the app's migrations too, so that installing it again would create its tables.
    MigrationRecorder(connection).migration_qs.filter(app="token_blacklist").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_username_keys"),
    ]

    operations = [
        migrations.RunPython(drop_token_blacklist_tables, migrations.RunPython.noop, elidable=True),
    ]
