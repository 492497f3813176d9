"""Django settings for the notes API, by concern: `base` (debug mode, secret key, hosts, apps),
`database` (the database and the Redis cache), `tokens` (REST framework, JWT and its keys, the
refresh cookie, login limits), `security` (HTTPS, cookies, CORS and CSRF, the admin, password
hashers), `passwords` (the rules for new passwords, the breached-password check), `mail`
(account mail, its links and budgets, retention), `passkeys` (the WebAuthn relying party), `oidc`
(sign-in with OpenID Connect providers) and `observability` (logs, metrics).

Every value that differs between machines comes from the environment, read in these modules and
nowhere else, through environs. A `.env` file at the repository root is read too, but variables
set in the real environment win over it; a blank value means "the default". `.env.example`
documents each variable.

Every value is checked where it is read, before anything else runs: each bad one is reported on
standard error in one line that names the variable and what it accepts, all of them at once, and
the process exits (`backend/environment.py` says how).
"""

# Each module reads its own variables and notes their problems in the one shared `env`; later
# modules build on earlier ones (security's CSRF cookie follows tokens' refresh cookie), so the
# order is the reading order, not the alphabet's.
# isort: off
from backend.settings.base import *  # noqa: F403
from backend.settings.database import *  # noqa: F403
from backend.settings.tokens import *  # noqa: F403
from backend.settings.security import *  # noqa: F403
from backend.settings.passwords import *  # noqa: F403
from backend.settings.mail import *  # noqa: F403
from backend.settings.passkeys import *  # noqa: F403
from backend.settings.oidc import *  # noqa: F403
from backend.settings.observability import *  # noqa: F403
from backend.settings.base import env

# isort: on

env.stop_on_problems()
