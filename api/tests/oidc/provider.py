"""The test OpenID provider (`api/tests/oidc_provider/`) as a process on a free port, and what a
browser does at it: follow the authorize URL to the redirect back with a code."""

import json
import os
import select
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "notes-api"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
REDIRECT_URI = "http://testserver/api/oidc/test/callback/"
BOOT_TIMEOUT = 60
REQUEST_TIMEOUT = 10
# The provider's own redirects a browser follows before it is sent back (its login page, then
# the authorize page again).
MAX_HOPS = 4


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Provider:
    """A running provider: `issuer`, `control(...)` to change it, `authorize(url)` for a browser."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.tests.oidc_provider.serve", CLIENT_ID, CLIENT_SECRET, REDIRECT_URI],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], BOOT_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"the test provider did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(line)
        self.issuer = f"http://127.0.0.1:{self.port}/o"

    def control(self, **body) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/control/", data=json.dumps(body).encode(), method="POST"
        )
        # An http:// URL of its own making.
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:  # noqa: S310
            return json.load(answer)

    def reset(self) -> str:
        """Back to an honest provider with its user signed in; answers that user's `sub`."""
        answer = self.control(
            user={"username": "provider-user", "email": "someone@example.com"},
            email_verified=True,
            claims={},
            omit=[],
            logins=0,
            discovery_issuer=None,
            key_issuer=None,
            deny=False,
        )
        return answer["sub"]

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=REQUEST_TIMEOUT) as answer:
            return json.load(answer)

    def authorize(self, url: str) -> str:
        """Where the provider's authorize page sends the browser back (its `Location`), after
        the provider's own pages it redirects to on the way (its login page)."""
        own = f"127.0.0.1:{self.port}"
        for _ in range(MAX_HOPS):
            try:
                _opener.open(url, timeout=REQUEST_TIMEOUT)
            except urllib.error.HTTPError as redirect:
                assert redirect.code == 302, redirect.read()
                location = urljoin(url, redirect.headers["Location"])
            else:
                raise AssertionError("the authorize page answered without redirecting")
            if urlsplit(location).netloc != own:
                return location
            url = location
        raise AssertionError("the provider kept redirecting to itself")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=REQUEST_TIMEOUT)
        self.process.stdout.close()
        self.process.stderr.close()
