"""Adds `User.email_verified`; every existing account counts as verified.

Accounts made before this migration registered while nothing asked them to verify an address,
so turning REQUIRE_EMAIL_VERIFICATION on must not lock them out. The column's default (true)
fills the existing rows; registration sets false itself while verification is required.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_drop_token_blacklist_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified",
            field=models.BooleanField(default=True),
        ),
    ]
