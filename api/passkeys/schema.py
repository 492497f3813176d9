"""What the passkey views' OpenAPI operations answer when they refuse: the error codes and their
descriptions, shared by the views of the caller's passkeys and of logging in."""

from api.core.schema_errors import error

DISABLED = error(
    "passkeys_disabled",
    description="Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset).",
)
ANSWER_REFUSED = (
    "Code `passkey_invalid`: the answer does not verify (unknown, deleted or another account's "
    "passkey, bad signature, wrong origin or RP ID, no user verification, a counter that went "
    "backwards); code `passkey_challenge_invalid`: its challenge is unknown, used or expired: ask "
    "for new options. Both count as a failed credential check."
)
PASSKEY_REFUSED = ("passkey_invalid", "passkey_challenge_invalid")
LOGIN_REFUSED = error(*PASSKEY_REFUSED, description=ANSWER_REFUSED)
ORIGIN_REFUSED = error(
    "origin_missing",
    "origin_not_allowed",
    description=(
        "With `JWT_REFRESH_COOKIE` on only: code `origin_missing` or `origin_not_allowed`, as for login."
    ),
)
LOGIN_FORBIDDEN = error(
    "email_not_verified",
    "origin_missing",
    "origin_not_allowed",
    description=(
        "Code `email_not_verified`: the account's email is not verified yet (only with "
        "REQUIRE_EMAIL_VERIFICATION on). With `JWT_REFRESH_COOKIE` on also `origin_missing` or "
        "`origin_not_allowed`, as for login."
    ),
)
