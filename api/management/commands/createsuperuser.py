"""`manage.py createsuperuser` with the password rules of every other door (docs/security.md,
"Passwords"). Django's own checks a password typed at its prompt but then offers to bypass the
rules, and checks `DJANGO_SUPERUSER_PASSWORD` (`--no-input`) against none: an administrator's
account, of all accounts, would be the one with a password the API refuses."""

import builtins
import os

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

BYPASS_QUESTION = "Bypass password validation"


class Command(createsuperuser.Command):
    """Django's `createsuperuser`, whose password always passes `AUTH_PASSWORD_VALIDATORS`."""

    def handle(self, *args, **options) -> None:
        if not options["interactive"] and "DJANGO_SUPERUSER_PASSWORD" in os.environ:
            self._check_environment_password(options)
        # Django's prompt asks its bypass question with the builtin `input`, looked up in its
        # module: a name there of the same spelling answers it "no", so the prompt asks again.
        createsuperuser.input = self._input_without_bypass
        try:
            super().handle(*args, **options)
        finally:
            del createsuperuser.input

    def _input_without_bypass(self, prompt: str = "") -> str:
        if prompt.startswith(BYPASS_QUESTION):
            self.stderr.write("The password rules apply to every account; choose another password.")
            return "n"
        return builtins.input(prompt)

    def _check_environment_password(self, options) -> None:
        fields = self.UserModel.USERNAME_FIELD, *self.UserModel.REQUIRED_FIELDS
        # The account as it will be made, for the rules that compare the password with it.
        candidate = self.UserModel(
            **{
                field: options.get(field) or os.environ.get(f"DJANGO_SUPERUSER_{field.upper()}", "")
                for field in fields
            }
        )
        try:
            validate_password(os.environ["DJANGO_SUPERUSER_PASSWORD"], candidate)
        except ValidationError as exc:
            # The rules' messages only: never the password.
            raise CommandError("DJANGO_SUPERUSER_PASSWORD: " + " ".join(exc.messages)) from None
