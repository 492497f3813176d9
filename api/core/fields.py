"""Serializer fields every domain shares: the password field and its length limit."""

from rest_framework import serializers

# Long enough for any passphrase, short enough that hashing stays cheap.
PASSWORD_MAX_LENGTH = 1024


def password_field(**kwargs) -> serializers.CharField:
    """A write-only password: never trimmed, never echoed, at most `PASSWORD_MAX_LENGTH` long."""
    return serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        **kwargs,
    )
