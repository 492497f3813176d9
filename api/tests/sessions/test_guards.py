"""Rules that two guards protect, each guard tested alone: a forged token or a stale object gets past
one guard, so only the other stands between it and an answer it must not get.

- A token is used only as its type: the type check of each token class, and the claims each use
  needs besides (an access token's session, `fam`; an `mfa_token`'s waiting login, `mfc`).
- A TOTP code works once: `mfa_codes.totp_step` skips steps up to the last used one, and the
  UPDATE that records the step is conditional on the stored step being earlier.

Tokens are forged by signing claims with the project's own token classes, as the server would.
"""

import uuid
from datetime import UTC, datetime

import pyotp
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.mfa import codes as mfa_codes
from api.mfa import services as mfa
from api.mfa.tokens import CHALLENGE_CLAIM, NAME_KEY_CLAIM
from api.models import TokenFamily, TotpDevice, User
from api.sessions.tokens import FAMILY_CLAIM, VERSION_CLAIM, AccessToken, MfaToken, RefreshToken
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

USER_ID = "user_id"  # SimpleJWT's USER_ID_CLAIM, which the project keeps


def _bearer(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.get("/api/notes/")


def _assert_token_not_valid(response) -> None:
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "token_not_valid"


# --- An access token's session (`fam`) -------------------------------------------------------


def _resigned(access: str, **claims) -> str:
    """`access` signed again with some claims replaced (a value of `...` drops the claim)."""
    token = AccessToken(access)
    for name, value in claims.items():
        if value is ...:
            del token[name]
        else:
            token[name] = value
    return str(token)


def test_an_access_token_signed_again_unchanged_still_works(tokens):
    # The forgeries below differ from this one only in the claim they change.
    assert _bearer(_resigned(tokens["access"])).status_code == 200
    assert _bearer(_resigned(tokens["access"], note="an extra claim")).status_code == 200


@pytest.mark.parametrize(
    "fam",
    [..., None, "", "not-a-uuid", 12345, 0, [], ["x"], {"id": "x"}, True],
    ids=["missing", "null", "empty", "not-a-uuid", "number", "zero", "empty-list", "list", "object", "true"],
)
def test_an_access_token_without_a_valid_session_claim_is_401_token_not_valid(tokens, fam):
    _assert_token_not_valid(_bearer(_resigned(tokens["access"], fam=fam)))


def test_an_access_token_naming_a_session_as_a_list_of_its_id_is_401(tokens):
    session = str(AccessToken(tokens["access"])[FAMILY_CLAIM])

    _assert_token_not_valid(_bearer(_resigned(tokens["access"], fam=[session])))


def test_an_access_token_naming_an_unknown_session_is_401(tokens):
    _assert_token_not_valid(_bearer(_resigned(tokens["access"], fam=str(uuid.uuid4()))))


def test_an_access_token_naming_another_users_live_session_is_401(tokens, make_user, login):
    make_user("bob")
    bobs_session = AccessToken(login("bob")["access"])[FAMILY_CLAIM]
    assert TokenFamily.objects.get(pk=bobs_session).revoked_at is None

    _assert_token_not_valid(_bearer(_resigned(tokens["access"], fam=bobs_session)))


# --- Each token type where another is expected -----------------------------------------------


def test_a_refresh_token_as_bearer_is_401_token_not_valid(tokens):
    # It carries everything an access token's checks read (user, version, a live session): only
    # its type keeps it out.
    refresh = RefreshToken(tokens["refresh"])
    assert {USER_ID, VERSION_CLAIM, FAMILY_CLAIM} <= set(refresh.payload)

    _assert_token_not_valid(_bearer(tokens["refresh"]))


def test_an_mfa_typed_token_with_a_live_session_as_bearer_is_401_token_not_valid(tokens):
    access = AccessToken(tokens["access"])
    forged = MfaToken()
    for claim in (USER_ID, VERSION_CLAIM, FAMILY_CLAIM):
        forged[claim] = access[claim]

    _assert_token_not_valid(_bearer(str(forged)))


def test_an_access_token_as_refresh_token_is_401_token_not_valid(api_client, tokens):
    response = api_client.post("/api/token/refresh/", {"refresh": tokens["access"]}, format="json")

    _assert_token_not_valid(response)
    assert _bearer(tokens["access"]).status_code == 200


# --- The `mfa_token` -------------------------------------------------------------------------


def _totp_on(user: User) -> str:
    """Turn TOTP on for `user` as a confirmed setup leaves it; returns the secret."""
    secret = mfa_codes.new_secret()
    now = timezone.now()
    TotpDevice.objects.create(user=user, secret=secret, created_at=now, confirmed_at=now)
    User.objects.filter(pk=user.pk).update(mfa_enabled=True)
    return secret


def _mfa_token(api_client, user: User) -> str:
    response = api_client.post(
        "/api/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "mfa_required"
    return response.json()["mfa_token"]


def _code_step(api_client, mfa_token: str, code: str):
    return api_client.post("/api/token/mfa/", {"mfa_token": mfa_token, "code": code}, format="json")


def test_an_access_typed_token_with_every_mfa_claim_is_refused_as_mfa_token(api_client, user):
    secret = _totp_on(user)
    real = MfaToken(_mfa_token(api_client, user))
    # An access token naming the same waiting login: only its type tells it from the real one.
    forged = AccessToken()
    for claim in (USER_ID, VERSION_CLAIM, CHALLENGE_CLAIM, NAME_KEY_CLAIM):
        forged[claim] = real[claim]

    response = _code_step(api_client, str(forged), pyotp.TOTP(secret).now())

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "mfa_token_invalid"
    assert TokenFamily.objects.count() == 0
    # Neither the waiting login nor the code was spent: the real token finishes with them.
    assert _code_step(api_client, str(real), pyotp.TOTP(secret).now()).status_code == 200


def test_an_mfa_typed_token_without_its_login_claim_is_refused_as_mfa_token(api_client, user):
    secret = _totp_on(user)
    real = MfaToken(_mfa_token(api_client, user))
    forged = MfaToken()
    for claim in (USER_ID, VERSION_CLAIM, NAME_KEY_CLAIM):
        forged[claim] = real[claim]

    response = _code_step(api_client, str(forged), pyotp.TOTP(secret).now())

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "mfa_token_invalid"


# --- A TOTP code works once --------------------------------------------------------------------

# Mid-step, so that the drift window around it is whole steps.
AT = datetime(2030, 1, 1, 12, 0, 15, tzinfo=UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _step_and_code(offset: int = 0) -> tuple[int, str]:
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(AT) + offset
    return step, totp.generate_otp(step)


def test_totp_step_refuses_a_code_of_the_last_used_step():
    step, code = _step_and_code()

    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=None) == step
    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=step - 1) == step
    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=step) is None
    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=step + 1) is None


def test_totp_step_refuses_a_code_of_the_step_before_once_that_step_was_used():
    # The drift window takes the previous step's code, but not once that step is spent.
    previous, code = _step_and_code(-1)

    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=previous - 1) == previous
    assert mfa_codes.totp_step(secret=SECRET, code=code, at=AT, after_step=previous) is None


@pytest.fixture
def device(user) -> TotpDevice:
    return TotpDevice.objects.create(user=user, secret=SECRET, created_at=AT, confirmed_at=AT)


def _stored_step(device: TotpDevice) -> int | None:
    return TotpDevice.objects.values_list("last_used_step", flat=True).get(pk=device.pk)


@pytest.mark.parametrize("stored_offset", [0, 1], ids=["same-step", "later-step"])
def test_recording_a_step_refuses_one_not_after_the_stored_one_whatever_the_device_object_says(
    device, stored_offset
):
    # Another request used this step (or the next) after `device` was read: the object still
    # says no step was used, so `totp_step` passes the code and only the UPDATE can refuse it.
    step, code = _step_and_code()
    TotpDevice.objects.filter(pk=device.pk).update(last_used_step=step + stored_offset)
    assert device.last_used_step is None

    assert mfa._use_totp_code(device, code, AT) is False
    assert _stored_step(device) == step + stored_offset


def test_recording_a_step_after_the_stored_one_succeeds(device):
    step, code = _step_and_code()
    TotpDevice.objects.filter(pk=device.pk).update(last_used_step=step - 1)

    assert mfa._use_totp_code(device, code, AT) is True
    assert _stored_step(device) == step


def test_recording_a_step_of_a_device_turned_off_meanwhile_is_refused(device):
    _step, code = _step_and_code()
    TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=None)

    assert mfa._use_totp_code(device, code, AT) is False
    assert _stored_step(device) is None
