"""What each scenario sends, and the in-process CPU time per request measured with Django's test client."""

from __future__ import annotations

import re
import statistics
import time
import urllib.parse
from dataclasses import dataclass

from bench.common import BARE_PATH, LIST_PAGE_SIZE, LIST_PATH, NOTE_CONTENT, PROXY_HEADERS, ROWS, check_status
from bench.dpop import DpopClient

PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
# Enough for measure_cpu's most samples of a scenario (2,000 and a block), its warm-up and more.
IN_PROCESS_PROOFS = 2200


@dataclass(frozen=True)
class Request:
    """One scenario's request, identical every time it is sent, in-process or over HTTP."""

    method: str
    path: str
    status: int = 200
    body: dict | None = None
    user: object = None  # the seeded user whose access token it carries; None: anonymous
    pbkdf2: bool = False  # answered with Django's default PBKDF2 hasher alone
    stock: bool = False  # answered by the stock Django process (over HTTP only)
    dpop: bool = False  # the user's DPoP-bound token, with a fresh proof each time


def fixed_requests(seed):
    """Scenario -> its request, for every row but refresh, whose token changes with each request."""
    return {
        "stock": Request("GET", BARE_PATH, stock=True),
        "bare": Request("GET", BARE_PATH),
        "list": Request("GET", LIST_PATH, user=seed.list_user),
        "list_dpop": Request("GET", LIST_PATH, user=seed.list_user, dpop=True),
        "retrieve": Request("GET", f"/api/notes/{seed.note_id}/", user=seed.list_user),
        "create": Request(
            "POST", "/api/notes/", 201, {"title": "Bench note", "content": NOTE_CONTENT}, seed.writer
        ),
        "login": Request("POST", "/api/token/", body=seed.credentials(seed.login_user)),
        "login_pbkdf2": Request("POST", "/api/token/", body=seed.credentials(seed.pbkdf2_user), pbkdf2=True),
    }


class InProcess:
    """Requests through django.test.Client in this process, with the servers' settings and database."""

    def __init__(self, seed):
        from django.test import Client

        self.seed = seed
        # The Host header gunicorn sees too; ALLOWED_HOSTS stays production's.
        self.anon = Client(HTTP_HOST="127.0.0.1", headers=PROXY_HEADERS)
        self.clients = {}

    def client(self, user):
        from django.test import Client

        if user.username not in self.clients:
            token = self.login(user.username)["access"]
            self.clients[user.username] = Client(
                HTTP_HOST="127.0.0.1", headers={**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
            )
        return self.clients[user.username]

    def login(self, username):
        response = self.anon.post(
            "/api/token/",
            {"username": username, "password": self.seed.password},
            content_type="application/json",
        )
        check_status("in-process login", response.status_code, 200, response.content)
        return response.json()

    def list_body(self):
        response = self.client(self.seed.list_user).get(LIST_PATH)
        check_status("in-process notes list", response.status_code, 200, response.content)
        return response.content

    def dpop_sender(self, request, count=IN_PROCESS_PROOFS):
        """Like sender(), with a DPoP-bound token and one of `count` proofs made beforehand."""
        dpop = DpopClient("127.0.0.1")
        response = self.anon.post(
            "/api/token/",
            {"username": request.user.username, "password": self.seed.password},
            content_type="application/json",
            headers={"DPoP": dpop.login_proof()},
        )
        dpop.logged_in(response.status_code, response.content)
        proofs = dpop.proofs(request.method, request.path, count)
        authorization = f"DPoP {dpop.access}"

        def send():
            if not proofs:
                raise SystemExit(f"in-process DPoP list: all {count} proofs used")
            response = self.anon.get(
                request.path, headers={"Authorization": authorization, "DPoP": proofs.pop()}
            )
            if response.status_code != request.status:
                check_status(
                    "in-process DPoP request", response.status_code, request.status, response.content
                )
            return response

        return send

    def sender(self, request):
        """A zero-argument callable sending the request once and checking its status."""
        if request.dpop:
            return self.dpop_sender(request)
        client = self.client(request.user) if request.user else self.anon
        method = getattr(client, request.method.lower())
        args = (request.path,) if request.body is None else (request.path, request.body)
        kwargs = {} if request.body is None else {"content_type": "application/json"}

        def send():
            response = method(*args, **kwargs)
            if response.status_code != request.status:
                check_status("in-process request", response.status_code, request.status, response.content)
            return response

        return send

    def requests(self):
        """Scenario -> zero-argument callable sending one request and checking it, in ROWS order."""
        from django.test import override_settings

        # The stock process has settings of its own: it is measured over HTTP only.
        fixed = {name: r for name, r in fixed_requests(self.seed).items() if not r.stock}
        senders = {name: self.sender(request) for name, request in fixed.items()}
        pbkdf2_only = senders["login_pbkdf2"]

        def login_pbkdf2():
            # What the PBKDF2-only server runs; the override also stops the
            # hash from being upgraded, so every login pays PBKDF2.
            with override_settings(PASSWORD_HASHERS=[PBKDF2]):
                pbkdf2_only()

        # Rotation spends every refresh token, so each request continues a chain.
        chain = [self.login(self.seed.login_user.username)["refresh"]]

        def refresh():
            response = self.anon.post(
                "/api/token/refresh/", {"refresh": chain[-1]}, content_type="application/json"
            )
            if response.status_code != 200:
                check_status("in-process request", response.status_code, 200, response.content)
            chain.append(response.json()["refresh"])

        senders.update(refresh=refresh, login_pbkdf2=login_pbkdf2)
        return {name: senders[name] for name in ROWS if name in senders}

    def measure_cpu(self, quick):
        """Median process CPU time per request, after warm-up, and SQL queries per request.

        Each scenario runs in blocks that alternate with blocks of bare-view requests, and its
        ratio is taken against the bare samples of its own stretch, so a change of machine
        speed during the run moves both sides of a ratio alike. Blocks rather than single
        requests, so that each side runs with its own code warm in the CPU caches.
        """
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        budget = 0.5 if quick else 1.5  # seconds of measuring per scenario
        requests = self.requests()
        bare = requests.pop("bare")
        for _ in range(50):
            bare()
        out, bare_all = {}, []
        for name, send in requests.items():
            slow = name in ("login", "refresh", "login_pbkdf2")  # hashing or token writes
            for _ in range(2 if slow else 50):
                send()
            with CaptureQueriesContext(connection) as captured:
                send()
            # Read now: the next request's request_started signal resets the log.
            queries = len(captured)
            samples, bare_samples = [], []
            deadline = time.perf_counter() + budget
            minimum = 5 if name == "login_pbkdf2" else 20  # a fifth of a second each
            block = 2 if slow else 20
            while len(samples) < minimum or (time.perf_counter() < deadline and len(samples) < 2000):
                for measure, runs, into in ((send, block, samples), (bare, 20, bare_samples)):
                    for _ in range(runs):
                        t0 = time.process_time()
                        measure()
                        into.append(time.process_time() - t0)
            bare_all += bare_samples
            out[name] = {
                "cpu_ms": round(statistics.median(samples) * 1000, 3),
                "samples": len(samples),
                "queries": queries,
                "ratio": round(statistics.median(samples) / statistics.median(bare_samples), 2),
            }
        return {
            "bare": {
                "cpu_ms": round(statistics.median(bare_all) * 1000, 3),
                "samples": len(bare_all),
                "queries": 0,
                "ratio": 1.0,
            },
            **out,
        }

    def deep_page_paths(self):
        """Size -> (first page path, deep page path) for each scaling user.

        The deep page starts in the middle of the user's notes, reached by
        following rel="next" links, so it is as deep relative to the list at
        every size; with keyset pagination it should cost what page one does.
        """
        paths = {}
        for size, user in self.seed.scale_users.items():
            client = self.client(user)
            step = min(100, max(1, size // 10))
            url = f"/api/notes/?page_size={step}"
            for _ in range(size // 2 // step):
                response = client.get(url)
                check_status("walking rel=next", response.status_code, 200, response.content)
                url = next_link(response.get("Link", ""))
                if not url:
                    raise SystemExit(f'no rel="next" link while walking {size} notes')
            parts = urllib.parse.urlsplit(url)
            query = dict(urllib.parse.parse_qsl(parts.query))
            query["page_size"] = str(LIST_PAGE_SIZE)
            deep = f"{parts.path}?{urllib.parse.urlencode(query)}"
            response = client.get(deep)
            check_status("deep page", response.status_code, 200, response.content)
            if len(response.json()) != LIST_PAGE_SIZE:
                raise SystemExit(f"deep page of {size} notes has {len(response.json())} items")
            paths[size] = {"first": LIST_PATH, "deep": deep}
        return paths


def next_link(header):
    for part in header.split(","):
        match = re.search(r'<([^>]*)>\s*;\s*rel="?next"?', part)
        if match:
            return match.group(1)
    return None
