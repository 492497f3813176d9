"""How settings read the environment: typed readers that note a bad value instead of raising.

The modules of `backend/settings/` name every variable and its default; this module only says
how each kind of value is parsed and what it accepts. Readers that serve one concern alone (the
database and Redis URLs, the mail URL and links, the JWT keys) live beside the settings they
feed. Each bad value becomes one line naming the variable, and `stop_on_problems()` prints them
all and exits before Django, gunicorn or pytest runs anything.
"""

import ipaddress
import os
import re
import sys

from environs import Env, EnvError, validate

A_CENTURY = 100 * 365 * 24 * 3600

# A worker that exits with 4 makes gunicorn's master stop ("App failed to load.") instead of
# starting worker after worker; Django's autoreloader restarts a child that exits with 3, and
# stops on any other code.
EXIT_BAD_SETTINGS = 4
DEVELOPMENT_HINT = "For development: DJANGO_DEBUG=true (make run, make shell, make superuser do it for you)."

# What DRF's throttles parse (they read only the number and the period's first letter, so a
# typo would otherwise pass as some other period, and "20 per min" fail at the first request).
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)\Z")

_URL_PREFIX = re.compile(r"(?:[A-Za-z0-9_.-]+/)+")


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

    def seconds(
        self, name: str, default: float, *, zero_allowed: bool, maximum: float | None = None
    ) -> float:
        # Fractions allowed; never infinite (marshmallow refuses inf and nan).
        accepts = "a number of seconds, " + ("0 or more" if zero_allowed else "more than 0")
        if maximum is not None:
            accepts += f" and at most {maximum:g}"
        return self.parsed(
            self.float,
            name,
            default,
            accepts,
            validate=validate.Range(min=0, min_inclusive=zero_allowed, max=maximum),
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
