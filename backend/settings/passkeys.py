"""Passkeys (WebAuthn): the relying party this server is to authenticators, the web pages (origins)
allowed to run its ceremonies, and how long a challenge stays good (docs/security.md, "Passkeys").

A passkey is bound for good to the RP ID it was made for: the browser lets a page use it only if
the page's host is that domain or a subdomain of it. So the RP ID is the registrable domain the
frontends share (`example.com` for `app.example.com` and `www.example.com`), and changing it
later orphans every passkey made before. With DEBUG off nothing is assumed: passkeys stay off
until WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS are set. With DEBUG on the defaults fit `make run` and
a Vite or Create React App dev server on localhost (not 127.0.0.1: an IP address is never an RP
ID, and a page on 127.0.0.1 cannot use the RP ID `localhost`).
"""

import re
from urllib.parse import urlsplit

from backend.settings.base import DEBUG, env
from backend.settings.tokens import SPECTACULAR_SETTINGS

# A domain name as WebAuthn takes it: lower-case labels of letters, digits and hyphens, no scheme,
# port or trailing dot. Browsers compare the RP ID with the page's host after IDNA, so an
# internationalised domain is written in its xn-- form.
_DOMAIN = re.compile(
    r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)
# The origin an Android app's Credential Manager reports: its signing certificate's SHA-256, in
# base64url without padding (assetlinks.json on the RP ID's site vouches for the app).
_ANDROID_ORIGIN = re.compile(r"android:apk-key-hash:[A-Za-z0-9_-]{43}")
_LOCAL_HOSTS = ("localhost",)

_DEVELOPMENT_ORIGINS = ["http://localhost:5173", "http://localhost:3000", "http://localhost:8000"]

WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", "localhost" if DEBUG else "")
WEBAUTHN_RP_NAME = env.str("WEBAUTHN_RP_NAME", SPECTACULAR_SETTINGS["TITLE"])
WEBAUTHN_ORIGINS = env.names("WEBAUTHN_ORIGINS", _DEVELOPMENT_ORIGINS if DEBUG else [])
# Seconds between an options call and its verify call: the user picks an authenticator and
# unlocks it. Also the `timeout` the options ask the browser for.
WEBAUTHN_CHALLENGE_MAX_AGE = env.whole("WEBAUTHN_CHALLENGE_MAX_AGE", 300, minimum=30, maximum=900)


def _is_local(host: str) -> bool:
    return host in _LOCAL_HOSTS or host.endswith(".localhost")


def _origin_problem(origin: str, rp_id: str) -> str | None:
    """Why `origin` cannot run ceremonies for `rp_id`, or None if it can."""
    if _ANDROID_ORIGIN.fullmatch(origin):
        return None
    parts = urlsplit(origin)
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if (
        parts.scheme not in ("https", "http")
        or not host
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
        or f"{parts.scheme}://{host}{'' if port is None else f':{port}'}" != origin
    ):
        return "origins, scheme://host[:port] in lower case without a path (e.g. https://app.example.com)"
    if host != rp_id and not host.endswith(f".{rp_id}"):
        return f"origins whose host is WEBAUTHN_RP_ID ({rp_id}) or a subdomain of it (an IP address never is)"
    if parts.scheme == "http" and not _is_local(host):
        return "https:// origins (http:// only on localhost)"
    return None


if WEBAUTHN_RP_ID and (not _DOMAIN.fullmatch(WEBAUTHN_RP_ID) or re.fullmatch(r"[0-9.]+", WEBAUTHN_RP_ID)):
    env.problem(
        "WEBAUTHN_RP_ID must be a domain name in lower case without scheme, port or path, the one the "
        f"frontends' hosts share (e.g. example.com for app.example.com), not {WEBAUTHN_RP_ID!r}."
    )
elif WEBAUTHN_RP_ID and not WEBAUTHN_ORIGINS:
    env.problem(
        "WEBAUTHN_ORIGINS must be set when WEBAUTHN_RP_ID is: the frontends' origins, comma-separated "
        f"(e.g. https://app.{WEBAUTHN_RP_ID})."
    )
elif WEBAUTHN_ORIGINS and not WEBAUTHN_RP_ID:
    env.problem(
        "WEBAUTHN_RP_ID must be set when WEBAUTHN_ORIGINS is: the domain the origins' hosts share "
        "(e.g. example.com)."
    )
elif WEBAUTHN_RP_ID:
    # One line for the variable, naming its first bad entry, as for every other list.
    _bad = [(origin, why) for origin in WEBAUTHN_ORIGINS if (why := _origin_problem(origin, WEBAUTHN_RP_ID))]
    if _bad:
        env.problem(f"WEBAUTHN_ORIGINS must list only {_bad[0][1]}, not {_bad[0][0]!r}.")
if not WEBAUTHN_RP_NAME or len(WEBAUTHN_RP_NAME) > 64:
    env.problem(
        "WEBAUTHN_RP_NAME must be 1 to 64 characters, the name authenticators show beside the "
        f"account, not {WEBAUTHN_RP_NAME!r}."
    )
