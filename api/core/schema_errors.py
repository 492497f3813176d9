"""Error answers in the OpenAPI schema: every `code` an error body can carry, by status, and
the schemas that name them as enums, so that a generated client knows each code it must handle.

`CODES` is the list of them all; a view adds the codes its own logic raises to those that
`api.core.schema.AutoSchema` gives every operation of its kind, with `error(...)` in its
`extend_schema(responses=...)`. A 400 is either `{detail, code}` or field errors
(`{field: [message, ...]}`, each field of the request, and `non_field_errors`).
The tests hold these lists to the exception classes and to what the API answers.
"""

from dataclasses import dataclass, field

from drf_spectacular.utils import OpenApiResponse

# Every code by status, in the order the schema lists them (docs/api.md, "Errors", says what
# each means). A code named for an operation but missing here stops the schema's generation.
CODES: dict[int, tuple[str, ...]] = {
    400: (
        "parse_error",
        "bad_request",
        "invalid",
        "null_characters_not_allowed",
        "max_length",
        "max_terms",
        "invalid_token",
        "token_expired",
        "mfa_not_enabled",
        "mfa_setup_not_started",
        "invalid_code",
        "no_passkey",
        "passkey_invalid",
        "passkey_challenge_invalid",
        "invalid_dpop_proof",
        "use_dpop_nonce",
        "oidc_state_invalid",
        "oidc_state_used",
        "oidc_state_expired",
        "oidc_browser_mismatch",
        "oidc_provider_refused",
        "oidc_id_token_invalid",
        "oidc_code_invalid",
        "oidc_no_identity",
        "oidc_identity_mismatch",
        "oidc_login_not_fresh",
    ),
    401: (
        "not_authenticated",
        "bad_authorization_header",
        "token_not_valid",
        "invalid_dpop_proof",
        "use_dpop_nonce",
        "no_active_account",
        "mfa_required",
        "mfa_token_invalid",
        "invalid_code",
        "passkey_invalid",
        "passkey_challenge_invalid",
        "oidc_code_invalid",
    ),
    403: (
        "reauthentication_required",
        "email_not_verified",
        "csrf_failed",
        "origin_missing",
        "origin_not_allowed",
        "oidc_signup_closed",
        "oidc_link_required",
        "oidc_tenant_not_allowed",
    ),
    404: ("not_found", "passkeys_disabled", "oidc_provider_unknown"),
    409: (
        "conflict",
        "mfa_already_enabled",
        "last_login_method",
        "too_many_passkeys",
        "passkey_already_registered",
        "oidc_identity_taken",
    ),
    413: ("request_too_large",),
    415: ("unsupported_media_type",),
    429: ("throttled",),
    503: ("service_unavailable", "oidc_provider_unavailable"),
}

# What an error of each status means whatever the operation; a view's `error()` says more.
STATUS_DESCRIPTIONS = {
    400: "The request cannot be done as it stands: see the code, or the field errors.",
    401: "The request's credentials are missing or no longer good.",
    403: "Refused: see the code.",
    404: "No such object for this user.",
    409: "The write collided with another made at the same moment (`conflict`): safe to retry.",
    413: "The body is over the size limit.",
    415: "The body is not `application/json`.",
    429: "Too many requests or failed attempts: wait `Retry-After` seconds.",
    503: "The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds.",
}

# The key DRF gives errors of the request as a whole (its NON_FIELD_ERRORS_KEY).
NON_FIELD_ERRORS = "non_field_errors"


@dataclass(frozen=True)
class ErrorCodes:
    """What a view declares of one error answer: the codes its own logic raises (beside the
    common ones), and properties its body has beyond `detail` and `code`."""

    codes: tuple[str, ...]
    properties: dict = field(default_factory=dict)


def error(*codes: str, description: str = "", properties: dict | None = None) -> OpenApiResponse:
    """An error answer for `extend_schema(responses={status: error(...)})`."""
    return OpenApiResponse(ErrorCodes(codes, properties or {}), description=description)


def component_name(status: int) -> str:
    return f"Error{status}"


def error_body_schema(status: int, codes: set[str], properties: dict | None = None) -> dict:
    """`{detail, code}` with `code` one of `codes`: the status's shared component when it has
    them all, else an object of its own."""
    unknown = codes - set(CODES.get(status, ()))
    if unknown:
        raise ValueError(
            f"codes {sorted(unknown)} are not listed for {status} in api.core.schema_errors.CODES"
        )
    if codes == set(CODES[status]) and not properties:
        return {"$ref": f"#/components/schemas/{component_name(status)}"}
    return _body([code for code in CODES[status] if code in codes], properties or {})


def field_errors_schema(fields: list[str]) -> dict:
    """Field errors: each named field (of the request, or a query parameter) may carry a list of
    messages; none other appears."""
    return {
        "type": "object",
        "description": "Field errors: each invalid field (or `non_field_errors`) with its messages.",
        "properties": {name: {"type": "array", "items": {"type": "string"}} for name in fields},
        "additionalProperties": False,
    }


def _body(codes: list[str], properties: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "For people: may change between releases."},
            "code": {"type": "string", "enum": codes, "description": "For programs: stable."},
            **properties,
        },
        "required": ["detail", "code"],
    }


def add_error_components(result, generator, request, public):
    """A postprocessing hook: the shared `Error<status>` components, each with every code of its
    status. Added after drf-spectacular's enum hook, which would otherwise make the `code` enums
    components of their own."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for status, codes in CODES.items():
        schemas[component_name(status)] = {
            **_body(list(codes), {}),
            "description": f"{status}: {STATUS_DESCRIPTIONS[status]} Every code this status can carry.",
        }
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
