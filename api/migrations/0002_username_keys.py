import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The keys come from the application's own function: this migration must store exactly what
# User.save() stores. A later change to that function needs a migration that recomputes them.
from api.core.skeletons import username_keys

BATCH = 2000


def store_username_keys(apps, schema_editor):
    """Give every existing user the look-alike keys of its name, oldest account first.

    Existing accounts may already clash: case variants outside ASCII on SQLite (whose lower()
    knows ASCII only), look-alikes anywhere. They keep working: deleting or renaming one is an
    administrator's decision, not a migration's. The earliest holds the plain key; each later
    one holds it with a `-<user id>` suffix, which no plain key (a hex digest) can equal, so
    that every account holds a key for each of its name's. Such a later account's name stays
    protected through the earlier account's keys.
    """
    User = apps.get_model("api", "User")
    UsernameKey = apps.get_model("api", "UsernameKey")
    taken = set()
    batch = []
    for user in User.objects.order_by("pk").only("pk", "username").iterator(chunk_size=BATCH):
        for key in set(username_keys(user.username)):
            batch.append(UsernameKey(key=key if key not in taken else f"{key}-{user.pk}", user_id=user.pk))
            taken.add(key)
        if len(batch) >= BATCH:
            UsernameKey.objects.bulk_create(batch)
            batch = []
    UsernameKey.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='UsernameKey',
            fields=[
                ('key', models.CharField(max_length=96, primary_key=True, serialize=False)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='username_keys', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(store_username_keys, migrations.RunPython.noop, elidable=False),
        # The keys fold case in all of Unicode (SQLite's lower() knows ASCII only), and more.
        migrations.RemoveConstraint(
            model_name='user',
            name='api_user_username_ci_unique',
        ),
    ]
