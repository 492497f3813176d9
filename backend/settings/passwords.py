"""New passwords as NIST SP 800-63B-4 (section 3.1.1) asks: a minimum length and no composition
rules, no context words, none on the list of common ones (docs/security.md, "Passwords").
The hashers are in `security.py`; the rules are Django validators, so every door that sets a
password applies them: the API, the admin's forms, `createsuperuser` and `changepassword`."""

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "api.accounts.validators.LengthValidator"},
    {"NAME": "api.accounts.validators.ContextWordValidator"},
    {"NAME": "api.accounts.validators.UserAttributeSimilarityValidator"},
    # Django's list of 20,000 common passwords.
    {"NAME": "api.accounts.validators.CommonPasswordValidator"},
]
