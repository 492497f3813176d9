"""DPoP proofs for the `list_dpop` scenario, signed by the example client's key (examples/dpop/).

Every request needs a proof of its own (a `jti` is accepted once), and signing is the client's
work, not the server's: proofs are made before a measurement starts, never while it is timed.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache

from bench.common import PROXY_HEADERS, REPO, check_status

# The proofs' URLs: what the server sees behind the TLS proxy (X-Forwarded-Proto, PROXY_HEADERS).
SCHEME = PROXY_HEADERS["X-Forwarded-Proto"]


@cache
def _client():
    """examples/dpop/dpop_login.py, the project's own small DPoP client, as a module."""
    spec = importlib.util.spec_from_file_location("dpop_login", REPO / "examples" / "dpop" / "dpop_login.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DpopClient:
    """One key pair: the DPoP-bound access token of a login with it, and proofs for requests."""

    def __init__(self, host: str) -> None:
        # host[:port] as the Host header names it: htu is compared with the URL the server saw.
        self.origin = f"{SCHEME}://{host}"
        self.key = _client().Key()
        self.access: str | None = None

    def login_proof(self) -> str:
        return self.key.proof("POST", f"{self.origin}/api/token/")

    def logged_in(self, status: int, body: bytes) -> str:
        """Keeps the access token of a login answered `status`, `body`; checks it is DPoP-bound."""
        check_status("DPoP login", status, 200, body)
        answer = json.loads(body)
        if answer.get("token_type") != "DPoP":
            raise SystemExit(f"DPoP login answered token_type {answer.get('token_type')!r}")
        self.access = answer["access"]
        return self.access

    def proofs(self, method: str, path: str, count: int) -> list[str]:
        """`count` proofs for `method` `path` with the access token, each good for one request."""
        url = f"{self.origin}{path.split('?', 1)[0]}"
        return [self.key.proof(method, url, self.access) for _ in range(count)]
