"""A password reset link works once, under two guards: the confirm serializer checks the token
against the account as the request read it, and `recovery.password_reset_confirm` checks it again
against the row it has locked. These tests bypass the first to show that the second holds alone
(a confirm that raced another, or a password change, past the serializer's check)."""

import pytest

from api.accounts import recovery
from api.accounts.errors import InvalidLink
from api.accounts.tokens import TokenState, password_reset_tokens
from api.models import TokenFamily, User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGED_PASSWORD = "changed meanwhile 1234"
NEW_PASSWORD = "a brand new passphrase 42"


def _password_of(user: User) -> str:
    return User.objects.values_list("password", flat=True).get(pk=user.pk)


def test_a_token_made_before_a_password_change_is_refused_under_the_row_lock(user, tokens):
    # The account as the confirm request read it, before the password changed.
    stale = User.objects.get(pk=user.pk)
    token = password_reset_tokens.make_token(stale)
    current = User.objects.get(pk=user.pk)
    current.set_password(CHANGED_PASSWORD)
    current.save(update_fields=["password"])
    changed = _password_of(user)
    # The serializer's check, on what the request read, passes: only the re-check can refuse.
    assert password_reset_tokens.check(stale, token) is TokenState.VALID

    with pytest.raises(InvalidLink):
        recovery.password_reset_confirm(user=stale, token=token, new_password=NEW_PASSWORD)

    assert _password_of(user) == changed
    assert TokenFamily.objects.get().revoked_at is None


def test_a_token_used_by_another_confirm_is_refused_under_the_row_lock(user):
    # Two confirms of one link, both past the serializer with the same account state.
    first, second = User.objects.get(pk=user.pk), User.objects.get(pk=user.pk)
    token = password_reset_tokens.make_token(first)

    recovery.password_reset_confirm(user=first, token=token, new_password=NEW_PASSWORD)
    assert password_reset_tokens.check(second, token) is TokenState.VALID
    with pytest.raises(InvalidLink):
        recovery.password_reset_confirm(user=second, token=token, new_password="the second one 5678")

    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_a_current_token_sets_the_password_and_ends_every_session(user, tokens):
    before = User.objects.get(pk=user.pk)
    token = password_reset_tokens.make_token(before)

    recovery.password_reset_confirm(user=before, token=token, new_password=NEW_PASSWORD)

    after = User.objects.get(pk=user.pk)
    assert after.check_password(NEW_PASSWORD)
    assert after.token_version == before.token_version + 1


def test_a_deactivated_account_is_refused_under_the_row_lock(user):
    stale = User.objects.get(pk=user.pk)
    token = password_reset_tokens.make_token(stale)
    User.objects.filter(pk=user.pk).update(is_active=False)

    with pytest.raises(InvalidLink):
        recovery.password_reset_confirm(user=stale, token=token, new_password=NEW_PASSWORD)

    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
