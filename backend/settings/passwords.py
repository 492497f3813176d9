"""New passwords as NIST SP 800-63B-4 (section 3.1.1) asks: a minimum length and no composition
rules, no context words, none found in breached-password lists (docs/security.md, "Passwords").
The hashers are in `security.py`; the rules are Django validators, so every door that sets a
password applies them: the API, the admin's forms, `createsuperuser` and `changepassword`."""

from urllib.parse import urlsplit

from backend.settings.base import env

# Characters (Unicode code points of the NFKC form). 63B-4 asks for 15 where the password is the
# only factor, as it is here for every account without TOTP; 8 is its floor for a password used
# only beside a second factor, and 64 the least a verifier must accept, so no minimum above it.
PASSWORD_MIN_LENGTH = env.whole("PASSWORD_MIN_LENGTH", 15, minimum=8, maximum=64, unit="characters")

# Words refused anywhere in a password, besides the account's username and the part of its email
# before the @: the site's name, and any other word of the service users would reach for.
PASSWORD_CONTEXT_WORDS = env.names("PASSWORD_CONTEXT_WORDS", ["notes"])
# A context word shorter than this is not looked for inside passwords: "bob" or "al" would refuse
# countless good passphrases. A constant, not a variable.
PASSWORD_CONTEXT_WORD_MIN_LENGTH = 4
if _short := [word for word in PASSWORD_CONTEXT_WORDS if len(word) < PASSWORD_CONTEXT_WORD_MIN_LENGTH]:
    env.problem(
        f"PASSWORD_CONTEXT_WORDS must list words of {PASSWORD_CONTEXT_WORD_MIN_LENGTH} or more "
        f"characters, comma-separated (e.g. notes,acme), not {_short[0]!r}."
    )

# The breached-password check: the first 5 hex digits of the password's SHA-1 go to a Pwned
# Passwords range API, which answers the suffixes of every breached hash with that prefix.
PWNED_PASSWORDS_CHECK = env.flag("PWNED_PASSWORDS_CHECK", True)
PWNED_PASSWORDS_URL = env.str("PWNED_PASSWORDS_URL", "https://api.pwnedpasswords.com/range/")
_pwned_url = urlsplit(PWNED_PASSWORDS_URL)
if not (
    _pwned_url.scheme in ("http", "https")
    and _pwned_url.hostname
    and _pwned_url.path.endswith("/")
    and not (_pwned_url.query or _pwned_url.fragment)
):
    # A URL may hold a mirror's credentials: never printed.
    env.problem(
        "PWNED_PASSWORDS_URL must be an http(s) URL ending in / to which the 5-character hash prefix "
        "is added (e.g. https://api.pwnedpasswords.com/range/); the value set is not one (not shown: a "
        "URL may hold credentials)."
    )
# Seconds to wait for the range API, once to connect and once for the whole answer; a password
# change or sign-up waits that long at worst. Past it the password is let through (logged and
# counted): docs/security.md says why.
PWNED_PASSWORDS_TIMEOUT = env.seconds("PWNED_PASSWORDS_TIMEOUT", 2.0, zero_allowed=False, maximum=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "api.accounts.validators.LengthValidator"},
    {"NAME": "api.accounts.validators.ContextWordValidator"},
    {"NAME": "api.accounts.validators.UserAttributeSimilarityValidator"},
    # Django's list of 20,000 common passwords, checked locally: the floor that stays when the
    # range API cannot be reached.
    {"NAME": "api.accounts.validators.CommonPasswordValidator"},
    # Last: a network call, skipped for a password the length rule refuses anyway.
    {"NAME": "api.accounts.validators.BreachedPasswordValidator"},
]
