"""Account mail: where it goes, who sends it, the pages its links open and how long they work,
the limits on asking for it and sending it, and how long the outbox and the security log keep
their rows. The mail URL may hold a password, so no problem line ever shows it."""

import re

from backend.environment import A_CENTURY, Environment
from backend.settings.base import DEBUG, env

_EMAIL_SCHEMES = ("smtp", "smtp+ssl", "console", "dummy")
_EMAIL_URL_FORMS = (
    "smtp://[USER:PASSWORD@]HOST[:PORT] (?tls=1 for STARTTLS, ?ssl=1 for TLS from the start), "
    "smtp+ssl://[USER:PASSWORD@]HOST[:PORT] (TLS from the start, port 465 by default), console:// "
    "or dummy://"
)


def _email_url(env: Environment, name: str) -> dict[str, object]:
    """Django's EMAIL_* settings from a URL (dj-email-url, plus smtp+ssl://); {} if unset."""
    url = env.str(name, "")
    if not url:
        return {}
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", url)
    try:
        config = env.dj_email_url(name)
    except ValueError:  # EnvError, or dj-email-url's own (a port that is not a number)
        config = None
    # Its timeout and sender have variables of their own, so the URL may not hold them.
    if (
        config is None
        or scheme is None
        or scheme[1].lower() not in _EMAIL_SCHEMES
        or any(config.get(key) is not None for key in ("EMAIL_TIMEOUT", "SERVER_EMAIL", "DEFAULT_FROM_EMAIL"))
    ):
        env.problem(
            f"{name} must be {_EMAIL_URL_FORMS}; the value set is not (not shown: it may hold a password)."
        )
        return {}
    if scheme[1].lower() == "smtp+ssl":
        # dj-email-url knows smtp:// with ?ssl=1, not this scheme.
        config.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=config["EMAIL_HOST"] or "localhost",
            EMAIL_PORT=config["EMAIL_PORT"] or 465,
            EMAIL_USE_SSL=True,
            EMAIL_USE_TLS=False,
        )
    return config


def _email_address(env: Environment, name: str) -> str:
    """An address, or a name and an address in angle brackets; "" if unset."""
    value = env.str(name, "")
    # A line break would forge headers.
    if value and not re.fullmatch(r"[^\s<>@]+@[^\s<>@]+|[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>", value):
        env.problem(
            f"{name} must be an email address, alone or as Name <address> (e.g. "
            f"Notes <no-reply@example.com>), not {value!r}."
        )
    return value


def _link_template(env: Environment, name: str, default: str, *, example: str) -> str:
    """A frontend page's URL with {uid} and {token} in it: account mail links there."""
    value = env.str(name, default)
    if value and not (
        re.fullmatch(r"https?://[^\s/?#{}]+(?:[/?#]\S*)?", value) and "{uid}" in value and "{token}" in value
    ):
        env.problem(
            f"{name} must be an http:// or https:// URL of a frontend page with {{uid}} and {{token}} "
            f"in it (e.g. {example}), not {value!r}."
        )
    return value


# Where account mail (password reset and verification links) goes. The URL may hold a password,
# so no message ever shows it. console:// prints each message on standard output (the default,
# so `make run` shows the links).
_email = _email_url(env, "EMAIL_URL")
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# Seconds an SMTP connection may take to open or answer. Mail goes out in a background thread
# (api/accounts/email.py), so a slow server delays mail, never an answer.
EMAIL_TIMEOUT = env.seconds("EMAIL_TIMEOUT", 10, zero_allowed=False)
_from_email = _email_address(env, "DEFAULT_FROM_EMAIL")
DEFAULT_FROM_EMAIL = _from_email or "webmaster@localhost"
# The frontend pages that mailed links open; never built from the request's Host.
_RESET_PAGE, _VERIFY_PAGE = "/reset/{uid}/{token}", "/verify-email/{uid}/{token}"
PASSWORD_RESET_URL = _link_template(
    env,
    "PASSWORD_RESET_URL",
    f"http://localhost:5173{_RESET_PAGE}" if DEBUG else "",
    example=f"https://app.example.com{_RESET_PAGE}",
)
EMAIL_VERIFY_URL = _link_template(
    env,
    "EMAIL_VERIFY_URL",
    f"http://localhost:5173{_VERIFY_PAGE}" if DEBUG else "",
    example=f"https://app.example.com{_VERIFY_PAGE}",
)
# Off: accounts log in without verifying their address (and count as verified).
REQUIRE_EMAIL_VERIFICATION = env.flag("REQUIRE_EMAIL_VERIFICATION", False)
if not DEBUG:
    # In production account mail is all or nothing: without these a link would point nowhere,
    # come from an address mail servers reject, or be printed in the log. With none of them set
    # no account mail is sent (each request for one logs a warning).
    _account_mail = {
        "EMAIL_URL": env.str("EMAIL_URL", ""),
        "PASSWORD_RESET_URL": env.str("PASSWORD_RESET_URL", ""),
        "EMAIL_VERIFY_URL": env.str("EMAIL_VERIFY_URL", ""),
        "DEFAULT_FROM_EMAIL": _from_email,
    }
    if REQUIRE_EMAIL_VERIFICATION or any(
        _account_mail[name] for name in _account_mail if name != "DEFAULT_FROM_EMAIL"
    ):
        _why = "REQUIRE_EMAIL_VERIFICATION is on" if REQUIRE_EMAIL_VERIFICATION else "account email is set up"
        for _name in [name for name, value in _account_mail.items() if not value]:
            env.problem(
                f"{_name} must be set when DJANGO_DEBUG is off and {_why}: EMAIL_URL, PASSWORD_RESET_URL, "
                "EMAIL_VERIFY_URL and DEFAULT_FROM_EMAIL go together (.env.example describes each)."
            )
# Seconds a reset link works (Django's own setting; its default is 3 days) and a verification link.
PASSWORD_RESET_TIMEOUT = env.whole("PASSWORD_RESET_TIMEOUT", 3600, minimum=60, maximum=A_CENTURY)
EMAIL_VERIFY_TIMEOUT = env.whole("EMAIL_VERIFY_TIMEOUT", 3 * 24 * 3600, minimum=60, maximum=A_CENTURY)
# Requests for a link: per client IP (each endpoint apart), and per email address from all IPs.
EMAIL_THROTTLE_RATE = env.rate("EMAIL_THROTTLE_RATE", "10/hour")
EMAIL_ADDRESS_THROTTLE_RATE = env.rate("EMAIL_ADDRESS_THROTTLE_RATE", "3/hour")
# Mail budgets (api/core/outbox.py), counted per message: to one address, every kind of mail and
# every account together; and to one account. Past either, a message is not sent (and logged).
MAIL_RECIPIENT_RATE = env.rate("MAIL_RECIPIENT_RATE", "5/hour")
MAIL_ACCOUNT_RATE = env.rate("MAIL_ACCOUNT_RATE", "10/hour")
# Seconds a sent (or given up) message stays in the outbox table before the clean-up deletes it.
OUTBOX_RETENTION = env.whole("OUTBOX_RETENTION", 7 * 24 * 3600, minimum=0, maximum=A_CENTURY)
# Seconds the security log (GET /api/user/security-events/) keeps an event; flushexpiredtokens
# deletes older ones. And whether a login from a device without a device cookie mails a notice.
SECURITY_EVENT_RETENTION = env.whole(
    "SECURITY_EVENT_RETENTION", 90 * 24 * 3600, minimum=3600, maximum=A_CENTURY
)
NOTIFY_NEW_DEVICE_LOGIN = env.flag("NOTIFY_NEW_DEVICE_LOGIN", False)
# Not from the environment: tests turn it off to deliver each message inside the request.
ACCOUNT_EMAIL_BACKGROUND = True
