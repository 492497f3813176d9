"""How settings read the environment: typed readers that note a bad value instead of raising.

`backend/settings.py` names every variable and its default; this module only says how each kind
of value is parsed and what it accepts. Each bad value becomes one line naming the variable, and
`stop_on_problems()` prints them all and exits before Django, gunicorn or pytest runs anything.
"""

import ipaddress
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from environs import Env, EnvError, validate

from backend.jwt_keys import RSA_MIN_BITS, check_key_pair

A_CENTURY = 100 * 365 * 24 * 3600
JWT_MIN_KEY_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# A worker that exits with 4 makes gunicorn's master stop ("App failed to load.") instead of
# starting worker after worker; Django's autoreloader restarts a child that exits with 3, and
# stops on any other code.
EXIT_BAD_SETTINGS = 4
DEVELOPMENT_HINT = "For development: DJANGO_DEBUG=true (make run, make shell, make superuser do it for you)."

# What DRF's throttles parse (they read only the number and the period's first letter, so a
# typo would otherwise pass as some other period, and "20 per min" fail at the first request).
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)\Z")

_EMAIL_SCHEMES = ("smtp", "smtp+ssl", "console", "dummy")
_EMAIL_URL_FORMS = (
    "smtp://[USER:PASSWORD@]HOST[:PORT] (?tls=1 for STARTTLS, ?ssl=1 for TLS from the start), "
    "smtp+ssl://[USER:PASSWORD@]HOST[:PORT] (TLS from the start, port 465 by default), console:// "
    "or dummy://"
)

_URL_PREFIX = re.compile(r"(?:[A-Za-z0-9_.-]+/)+")

_SQLITE, _POSTGRESQL = "django.db.backends.sqlite3", "django.db.backends.postgresql"


class Environment(Env):
    """environs' reader, with a blank value meaning the default and bad values collected."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []

    def _get_value(self, env_key, default):
        # A blank value means "the default": a copied .env.example leaves most variables empty,
        # and environs would parse "" as a value (an invalid number, an empty list). A blank
        # variable in the real environment still wins over .env. environs' own FileAwareEnv
        # extends this same method.
        value = super()._get_value(env_key, default)
        if isinstance(value, str):
            return value.strip() or default
        return value

    def problem(self, line: str) -> None:
        self.problems.append(line)

    def parsed(self, parse, name: str, default, accepts: str, **options):
        """`parse(name, default, **options)`; for a bad value, the default and a problem noted."""
        try:
            return parse(name, default, **options)
        except EnvError:
            self.problem(f"{name} must be {accepts}, not {self.str(name)!r}.")
            return default

    def flag(self, name: str, default: bool) -> bool:
        return self.parsed(self.bool, name, default, "true or false (or 1/0, yes/no, on/off)")

    def whole(
        self, name: str, default: int, *, minimum: int, maximum: int | None = None, unit: str = "seconds"
    ) -> int:
        bounds = f"{minimum} or more" if maximum is None else f"from {minimum} to {maximum}"
        accepts = f"a whole number of {unit}, {bounds}" if unit else f"a whole number, {bounds}"
        return self.parsed(
            self.int, name, default, accepts, validate=validate.Range(min=minimum, max=maximum)
        )

    def seconds(self, name: str, default: float, *, zero_allowed: bool) -> float:
        # Fractions allowed; never infinite (marshmallow refuses inf and nan).
        accepts = "a number of seconds, " + ("0 or more" if zero_allowed else "more than 0")
        return self.parsed(
            self.float, name, default, accepts, validate=validate.Range(min=0, min_inclusive=zero_allowed)
        )

    def names(self, name: str, default: list[str]) -> list[str]:
        return [item.strip() for item in self.list(name, default) if item.strip()]

    def rate(self, name: str, default: str) -> str:
        accepts = (
            "N/PERIOD with N 1 or more and PERIOD one of s, sec, second, m, min, minute, h, hour, d, "
            "day (e.g. 20/min)"
        )
        return self.parsed(self.str, name, default, accepts, validate=validate.Regexp(_RATE))

    def one_of(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        accepts = f"one of {', '.join(choices)}"
        return self.parsed(self.str, name, default, accepts, validate=validate.OneOf(choices))

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        """One of `choices`, matched ignoring case and given back as `choices` spells it."""
        by_case = {choice.casefold(): choice for choice in choices}
        accepts = f"one of {', '.join(choices)}"
        value = self.parsed(
            self.str, name, default, accepts, validate=lambda value: validate.OneOf(by_case)(value.casefold())
        )
        return by_case[value.casefold()]

    def url_prefix(self, name: str, default: str, *, reserved: tuple[str, ...]) -> str:
        """A path prefix such as `admin/` (segments of URL-safe characters, ending in `/`), or ""
        for `off`: a blank value means the default here too, so "none" must be said."""
        value = self.str(name, default)
        if value.lower() == "off":
            return ""
        if not _URL_PREFIX.fullmatch(value) or value.split("/")[0] in reserved:
            self.problem(
                f"{name} must be off or a path such as admin/ or staff-8f3k/ (letters, digits, "
                f"'-', '_' and '.', ending in '/', not under {', '.join(reserved)}), not {value!r}."
            )
            return default
        return value

    def is_set_false(self, name: str) -> bool:
        """Whether the variable is explicitly false (blank or missing is not)."""
        return self.str(name, "").lower() in ("0", "f", "false", "n", "no", "off")

    def email_url(self, name: str) -> dict[str, object]:
        """Django's EMAIL_* settings from a URL (dj-email-url, plus smtp+ssl://); {} if unset.
        The URL may hold a password, so no problem line ever shows it."""
        url = self.str(name, "")
        if not url:
            return {}
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", url)
        try:
            config = self.dj_email_url(name)
        except ValueError:  # EnvError, or dj-email-url's own (a port that is not a number)
            config = None
        # Its timeout and sender have variables of their own, so the URL may not hold them.
        if (
            config is None
            or scheme is None
            or scheme[1].lower() not in _EMAIL_SCHEMES
            or any(
                config.get(key) is not None for key in ("EMAIL_TIMEOUT", "SERVER_EMAIL", "DEFAULT_FROM_EMAIL")
            )
        ):
            self.problem(
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

    def email_address(self, name: str) -> str:
        """An address, or a name and an address in angle brackets; "" if unset."""
        value = self.str(name, "")
        # A line break would forge headers.
        if value and not re.fullmatch(r"[^\s<>@]+@[^\s<>@]+|[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>", value):
            self.problem(
                f"{name} must be an email address, alone or as Name <address> (e.g. "
                f"Notes <no-reply@example.com>), not {value!r}."
            )
        return value

    def link_template(self, name: str, default: str, *, example: str) -> str:
        """A frontend page's URL with {uid} and {token} in it: account mail links there."""
        value = self.str(name, default)
        if value and not (
            re.fullmatch(r"https?://[^\s/?#{}]+(?:[/?#]\S*)?", value)
            and "{uid}" in value
            and "{token}" in value
        ):
            self.problem(
                f"{name} must be an http:// or https:// URL of a frontend page with {{uid}} and {{token}} "
                f"in it (e.g. {example}), not {value!r}."
            )
        return value

    def cookie_name(self, name: str, default: str, *, taken: tuple[str, ...], path: str) -> str:
        """A cookie name browsers keep as it is, used by no other cookie of the server."""
        value = self.str(name, default)
        # RFC 6265's token characters: anything else would be quoted or dropped by browsers.
        if not re.fullmatch(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", value):
            self.problem(
                f"{name} must be a cookie name of letters, digits and !#$%&'*+-.^_`|~ (e.g. {default}), "
                f"not {value!r}."
            )
            return default
        if value.lower() in taken:
            # One cookie would overwrite the other.
            self.problem(
                f"{name} must differ from the server's other cookies ({', '.join(taken)}), not {value!r}."
            )
        elif value.startswith("__Host-") and path != "/":
            self.problem(
                f"{name} must not start with __Host- (such cookies need Path=/, and this cookie's path is "
                f"{path}), not {value!r}."
            )
        return value

    def hosts(self, name: str, default: list[str]) -> list[str]:
        """Host names as Django compares them to the Host header; at least one."""
        hosts = self.names(name, default)
        if not hosts:
            # Django would start, then answer every request 400.
            self.problem(
                f"{name} must be set when DJANGO_DEBUG is off: the host names this server answers to, "
                "comma-separated (e.g. api.example.com)."
            )
        # A scheme, path or port never matches the Host header Django compares (without its port).
        if bad := [
            host for host in hosts if not re.fullmatch(r"\*|\.?[^\s/:@\[\]*]+|\[[0-9A-Fa-f:.]+\]", host)
        ]:
            self.problem(
                f"{name} must list host names without scheme, port or path (e.g. api.example.com, "
                f".example.com for its subdomains too), not {bad[0]!r}."
            )
        return hosts

    def redis_url(self, name: str) -> str:
        """A Redis URL (or a list, as Django's backend takes) as redis-py will parse it; "" if unset.
        The URL may hold a password, so no problem line ever shows it."""
        url = self.str(name, "")
        if not url:
            return ""
        # Imported only here: processes without Redis need not load it.
        from redis.connection import parse_url

        try:
            # Django's backend splits a list of servers at , and ;.
            for location in re.split("[;,]", url):
                parse_url(location.strip())
        except ValueError:
            self.problem(
                f"{name} must be redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... (TLS) or "
                "unix:///PATH; the value set is not (not shown: it may hold a password)."
            )
        return url

    def jwt_keys(self, algorithm: str, *, secret_key: str, debug: bool) -> tuple[str, str]:
        """The signing and verifying keys for `algorithm`: HS256's secret, or RS256/ES256's pair."""
        secret = self.str("JWT_SIGNING_KEY", "")
        # HMAC keys shorter than the hash (32 bytes for SHA-256) weaken it (RFC 7518, section 3.2),
        # in development too: a short key there ends up in a production .env.
        if secret and len(secret) < JWT_MIN_KEY_LENGTH:
            self.problem(
                f"JWT_SIGNING_KEY must be at least {JWT_MIN_KEY_LENGTH} characters when set, whatever "
                "DJANGO_DEBUG says (unset, DJANGO_SECRET_KEY signs the tokens)."
            )
        if algorithm == "HS256":
            if debug and not secret and len(secret_key) < JWT_MIN_KEY_LENGTH:
                # With DEBUG off the secret key's own rule already asks for 50 characters.
                self.problem(
                    f"DJANGO_SECRET_KEY must be at least {JWT_MIN_KEY_LENGTH} characters when it signs "
                    "the tokens (JWT_SIGNING_KEY unset), whatever DJANGO_DEBUG says."
                )
            return secret or secret_key, ""
        signing, verifying = (
            self.key_file("JWT_PRIVATE_KEY_FILE", algorithm),
            self.key_file("JWT_PUBLIC_KEY_FILE", algorithm),
        )
        if signing and verifying:
            try:
                check_key_pair(algorithm, signing, verifying)
            except ValueError as exc:
                self.problem(
                    f"JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must name a key pair {algorithm} "
                    f"can sign with, but {exc}."
                )
        return signing, verifying

    def key_file(self, name: str, algorithm: str) -> str:
        """The text of the file whose path the variable holds, or "" with a problem noted."""
        path = self.str(name, "")
        if not path:
            self.problem(
                f"{name} must be set to the path of a readable PEM file when JWT_ALGORITHM is {algorithm}."
            )
            return ""
        try:
            return Path(path).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            self.problem(
                f"{name}: cannot read {path!r} ({reason}); it must be the path of a readable PEM file."
            )
            return ""

    def jwt_previous_keys(self, algorithm: str, *, signing_key: str, verifying_key: str) -> list[str]:
        """Keys that still verify tokens after a rotation: HS256 secrets (JWT_PREVIOUS_SIGNING_KEYS),
        or RS256/ES256 public keys (JWT_PREVIOUS_PUBLIC_KEY_FILES). No problem line shows a secret."""
        secrets_name, files_name = "JWT_PREVIOUS_SIGNING_KEYS", "JWT_PREVIOUS_PUBLIC_KEY_FILES"
        secrets, paths = self.names(secrets_name, []), self.names(files_name, [])
        if algorithm != "HS256":
            if secrets:
                self.problem(
                    f"{secrets_name} must be blank when JWT_ALGORITHM is {algorithm}: previous HS256 "
                    f"secrets verify nothing then (list previous public keys in {files_name})."
                )
            return self._public_keys(files_name, paths, algorithm, current=verifying_key)
        if paths:
            self.problem(
                f"{files_name} must be blank when JWT_ALGORITHM is HS256: public keys verify nothing "
                f"then (list previous secrets in {secrets_name})."
            )
        for number, secret in enumerate(secrets, 1):
            if len(secret) < JWT_MIN_KEY_LENGTH:
                wrong = f"key {number} is shorter"
            elif secret == signing_key:
                wrong = "it lists the current key (JWT_SIGNING_KEY, or DJANGO_SECRET_KEY when that is unset)"
            elif secret in secrets[: number - 1]:
                wrong = f"key {number} is listed twice"
            else:
                continue
            self.problem(
                f"{secrets_name} must list earlier signing keys of at least {JWT_MIN_KEY_LENGTH} "
                f"characters each, comma-separated, other than the current one; {wrong} (not shown: "
                "keys are secret)."
            )
            return []
        return secrets

    def jwt_next_key(self, algorithm: str, *, verifying_key: str, previous: list[str]) -> str:
        """RS256/ES256: the public key to sign with next, published ahead of use; "" if unset."""
        name = "JWT_NEXT_PUBLIC_KEY_FILE"
        path = self.str(name, "")
        if not path:
            return ""
        if algorithm == "HS256":
            self.problem(
                f"{name} must be blank when JWT_ALGORITHM is HS256: there is no public key to publish "
                "(a new secret is listed in JWT_PREVIOUS_SIGNING_KEYS ahead of use instead)."
            )
            return ""
        (key,) = self._public_keys(name, [path], algorithm, current=verifying_key) or [""]
        if key and _spki(key) in {_spki(other) for other in previous}:
            self.problem(f"{name} must not be one of JWT_PREVIOUS_PUBLIC_KEY_FILES: {path!r} is.")
            return ""
        return key

    def _public_keys(self, name: str, paths: list[str], algorithm: str, *, current: str) -> list[str]:
        """The PEM public keys in these files, each one `algorithm` verifies with and none the
        current key or another's twin; [] with one problem noted for the first that is not."""
        keys: list[str] = []
        seen = {_spki(current)} if current else set()
        for path in paths:
            try:
                text = Path(path).read_text()
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                self.problem(
                    f"{name}: cannot read {path!r} ({reason}); it must name readable PEM public key files."
                )
                return []
            wrong = _unusable_public_key(algorithm, text)
            if wrong is None and _spki(text) in seen:
                wrong = "is the current public key (JWT_PUBLIC_KEY_FILE) or listed twice"
            if wrong is not None:
                self.problem(
                    f"{name} must name PEM public keys {algorithm} verifies with, but {path!r} {wrong}."
                )
                return []
            seen.add(_spki(text))
            keys.append(text)
        return keys

    def networks(self, name: str, default: list[str]) -> list[str]:
        """IP addresses or networks (CIDR), e.g. 127.0.0.1,::1,10.0.0.0/8; given back as written."""
        entries = self.names(name, default)
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                self.problem(
                    f"{name} must list IP addresses or networks, comma-separated (e.g. "
                    f"127.0.0.1,::1,10.0.0.0/8), not {entry!r}."
                )
                return default
        return entries

    def secret(self, name: str, *, min_length: int) -> str:
        """A secret of at least `min_length` characters, or "" if unset; never printed."""
        value = self.str(name, "")
        if value and (len(value) < min_length or any(char.isspace() for char in value)):
            self.problem(
                f"{name} must be at least {min_length} characters without spaces when set (not shown: it is "
                'secret); generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
            return ""
        return value

    def writable_directory(self, name: str) -> str:
        """The path of an existing directory this process may write in, or "" if unset."""
        value = self.str(name, "")
        if value and not (os.path.isdir(value) and os.access(value, os.W_OK | os.X_OK)):
            wrong = "is not a directory" if not os.path.isdir(value) else "is not writable by this process"
            self.problem(
                f"{name} must be an existing directory this process can write to, but {value!r} {wrong}."
            )
            return ""
        return value

    def database(self, name: str, default: str) -> dict:
        """The parsed database URL, or the default's with a problem noted. The value itself is
        never printed: it may hold a password."""
        try:
            config = self.dj_db_url(name, default)
        except EnvError:
            wrong = "is neither (not shown: it may hold a password)"
        else:
            if config["ENGINE"] not in (_SQLITE, _POSTGRESQL):
                scheme = urlsplit(self.str(name)).scheme
                wrong = f"is a {scheme}:// URL, for which this project installs no driver"
            elif config["ENGINE"] == _POSTGRESQL and not config["NAME"]:
                # Django would refuse every connection, so every request would answer 503.
                wrong = "names no database"
            else:
                return config
        self.problem(
            f"{name} must be sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME (postgresql:// "
            f"also works); the value set {wrong}."
        )
        return dj_database_url.parse(default)

    def stop_on_problems(self) -> None:
        """Print each problem on a line of its own and exit: no traceback, and before Django,
        gunicorn or pytest runs anything with these settings."""
        if self.problems:
            # `manage.py createsuperuser` or `shell` run by hand lack the Makefile's DEBUG, and
            # then miss what production requires: one more line says how to develop.
            missing = tuple(
                f"{name} " for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS") if not self.str(name, "")
            )
            if missing and any(problem.startswith(missing) for problem in self.problems):
                self.problems.append(DEVELOPMENT_HINT)
            sys.stderr.write("".join(f"{problem}\n" for problem in self.problems))
            sys.stderr.flush()
            raise SystemExit(EXIT_BAD_SETTINGS)


def is_origin(origin: str) -> bool:
    """As django-cors-headers' own check, which only `manage.py check` would run: an origin is
    scheme://host[:port], with no path (not even "/"); "null" and "file://" are browsers' own."""
    parts = urlsplit(origin)
    return origin in ("null", "file://") or bool(
        parts.scheme and parts.netloc and not (parts.path or parts.query or parts.fragment)
    )


def _unusable_public_key(algorithm: str, pem: str) -> str | None:
    """Why `algorithm` cannot verify with this PEM public key, or None if it can."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, UnsupportedAlgorithm):
        return "is not a PEM public key"
    if algorithm == "RS256" and not (isinstance(key, rsa.RSAPublicKey) and key.key_size >= RSA_MIN_BITS):
        return f"is not an RSA key of at least {RSA_MIN_BITS} bits"
    if algorithm == "ES256" and not (
        isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    ):
        return "is not an EC key on curve P-256"
    return None


def _spki(pem: str) -> bytes:
    """A public key's DER encoding, the same however its PEM file is laid out; b"" if unreadable."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, UnsupportedAlgorithm):
        return b""
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
