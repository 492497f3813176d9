"""Sessions record when they were last used and the client that started them.

Existing sessions count as last used at their last rotation (or their login); their client is
unknown.
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def last_used_at_last_rotation(apps, schema_editor) -> None:
    TokenFamily = apps.get_model("api", "TokenFamily")
    TokenFamily.objects.update(last_used_at=Coalesce("rotated_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_user_email_verified"),
    ]

    operations = [
        migrations.AddField(
            model_name="tokenfamily",
            name="last_used_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(last_used_at_last_rotation, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="tokenfamily",
            name="last_used_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="tokenfamily",
            name="user_agent",
            field=models.CharField(blank=True, default="", max_length=256),
        ),
        migrations.AddField(
            model_name="tokenfamily",
            name="ip",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
    ]
