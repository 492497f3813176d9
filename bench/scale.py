"""The scale scenario: request latency with 100,000 users and a million notes vs a small database.

Both PostgreSQL databases are loaded by the same code (`bench/scale_load.py`) and served by a
gunicorn each, started as production does; wrk with one connection measures each request's
latency on both, alternating which goes first from round to round, so that drift on the machine
hits both alike. The token tables are then filled and flushed (`bench/scale_tokens.py`).
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import multiprocessing
import secrets
import shutil
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.common import LIST_PAGE_SIZE, LIST_PATH, NOTE_CONTENT, PROXY_HEADERS, check_status, log, median
from bench.load import LUA_REFRESH, LUA_REQUEST, run_wrk
from bench.scale_load import SIZES, prepare
from bench.scale_report import print_scale, scale_targets, write_scale_results
from bench.scale_tokens import token_lifecycle
from bench.scenarios import next_link
from bench.seed import throwaway_database
from bench.servers import Server, http_json, production_python, server_env

# Scenario key -> label, in the order they are measured and printed.
SCALE_SCENARIOS = {
    "list_first": "notes list, first page",
    "list_deep": "notes list, deep page",
    "retrieve": "note retrieve",
    "create": "note create",
    "login": "token obtain",
    "refresh": "token refresh",
}
SCALE_LIMIT = 1.5  # large : small, every per-request figure


def run_scale(args):
    """The whole scenario; returns the exit status."""
    started = time.monotonic()
    python = str(args.server_python or production_python())
    password = "bench-" + secrets.token_urlsafe(16)
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    servers = []
    try:
        with (
            throwaway_database("postgresql", args.database_url, "_small") as small_url,
            throwaway_database("postgresql", args.database_url, "_large") as large_url,
        ):
            targets = {}
            for size, url in (("small", small_url), ("large", large_url)):
                env = server_env(url, workdir)
                env.pop("BENCH_BARE_BODY_FILE")  # no bare view here: it answers []
                spec = SIZES[size]
                log(f"{size}: migrating, loading {spec['users']:,} users and {spec['notes']:,} notes")
                ctx = multiprocessing.get_context("spawn")
                with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
                    info = pool.submit(prepare, size, url, env, password).result()
                log(f"{size}: loaded in {info['load_total_s']} s ({info['database_mib']} MiB)")
                server = Server(size, env, workdir, python)
                servers.append(server)
                targets[size] = Target(size, server, env, info, password)
            for target in targets.values():
                target.server.start()
            for target in targets.values():
                target.server.wait_ready()
                target.ready()
            log(
                f"gunicorn up on ports {targets['small'].server.port} (small), {targets['large'].server.port} (large)"
            )
            result = {
                "sizes": {size: target.info for size, target in targets.items()},
                "latency": measure_latency(targets, args),
            }
            log("token tables: logins and refreshes through the API, then flushexpiredtokens")
            result["tokens"] = token_lifecycle(targets["large"], python, quick=args.quick)
            for info in result["sizes"].values():
                info.pop("recovery_codes")  # secrets of a dropped database; not worth saving
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result["targets"] = scale_targets(result, SCALE_SCENARIOS, SCALE_LIMIT)
    print_scale(result, SCALE_SCENARIOS, args)
    write_scale_results(args, result, started)
    failed = not all(row["pass"] for row in result["targets"]) or not result["tokens"]["ok"]
    return 1 if failed else 0


class Target:
    """One database behind its gunicorn: the probe users' tokens and each scenario's request."""

    def __init__(self, size, server, env, info, password):
        self.size, self.server, self.env, self.info, self.password = size, server, env, info, password
        self.url = env["DATABASE_URL"]
        self.access = {}

    def credentials(self, probe):
        return {"username": self.info["probes"][probe]["username"], "password": self.password}

    def login(self, probe):
        status, body = http_json("POST", self.server.base + "/api/token/", self.credentials(probe))
        check_status(f"login of {probe} ({self.size})", status, 200, body)
        return json.loads(body)

    def ready(self):
        """Tokens of the probe users, the deep page's path, and one request of each scenario."""
        for probe in ("list", "deep", "writer"):
            self.access[probe] = self.login(probe)["access"]
        self.deep_path = self.walk_to_deep_page()
        for scenario in SCALE_SCENARIOS:
            if scenario == "refresh":
                refresh = self.login("login")["refresh"]
                status, body = http_json(
                    "POST", self.server.base + "/api/token/refresh/", {"refresh": refresh}
                )
                check_status(f"refresh ({self.size})", status, 200, body)
                continue
            method, path, status_expected, body, probe = self.request(scenario)
            token = self.access.get(probe)
            status, answer = http_json(method, self.server.base + path, body, token)
            check_status(f"{scenario} ({self.size})", status, status_expected, answer)

    def walk_to_deep_page(self):
        """The page that starts halfway through the deep user's notes, reached through rel="next"."""
        step = 100
        url = f"/api/notes/?page_size={step}"
        for _ in range(self.info["deep_notes"] // 2 // step):
            status, headers, body = get(self.server.base + url, self.access["deep"])
            check_status("walking rel=next", status, 200, body)
            link = next_link(headers.get("Link", ""))
            if not link:
                raise SystemExit(f'no rel="next" link while walking the deep user\'s notes ({self.size})')
            parts = urllib.parse.urlsplit(link)  # absolute, with the proxy's scheme
            url = f"{parts.path}?{parts.query}"
        parts = urllib.parse.urlsplit(url)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page_size"] = str(LIST_PAGE_SIZE)
        deep = f"{parts.path}?{urllib.parse.urlencode(query)}"
        status, _, body = get(self.server.base + deep, self.access["deep"])
        check_status("deep page", status, 200, body)
        if len(json.loads(body)) != LIST_PAGE_SIZE:
            raise SystemExit(f"the deep page ({self.size}) does not hold {LIST_PAGE_SIZE} notes")
        return deep

    def request(self, scenario):
        """(method, path, expected status, JSON body, probe whose access token it carries)."""
        return {
            "list_first": ("GET", LIST_PATH, 200, None, "list"),
            "list_deep": ("GET", self.deep_path, 200, None, "deep"),
            "retrieve": ("GET", f"/api/notes/{self.info['note_id']}/", 200, None, "list"),
            "create": (
                "POST",
                "/api/notes/",
                201,
                {"title": "Bench note", "content": NOTE_CONTENT},
                "writer",
            ),
            "login": ("POST", "/api/token/", 200, self.credentials("login"), None),
        }[scenario]

    def run(self, scenario, duration):
        """wrk with one connection: each request's own latency, no queueing behind another."""
        if scenario == "refresh":
            # One chain, continued with each answer's token; spares in case a refresh fails.
            tokens_file = self.server.workdir / f"refresh-tokens-{self.size}.txt"
            tokens_file.write_text("\n".join(self.login("login")["refresh"] for _ in range(3)) + "\n")
            env = {"BENCH_TOKENS_FILE": str(tokens_file)}
            return run_wrk(self.server.base + "/api/token/refresh/", LUA_REFRESH, env, duration, 1)
        method, path, _, body, probe = self.request(scenario)
        env = {"BENCH_METHOD": method}
        if body is not None:
            env["BENCH_BODY"] = json.dumps(body)
        if probe:
            env["BENCH_ACCESS_TOKEN"] = self.access[probe]
        return run_wrk(self.server.base + path, LUA_REQUEST, env, duration, 1)


def measure_latency(targets, args):
    """p50 and p99 of each scenario on both databases, and their ratio large : small per round."""
    small, large = targets["small"], targets["large"]
    log("warm-up (1 s per scenario and database)")
    for scenario in SCALE_SCENARIOS:
        for target in (small, large):
            target.run(scenario, 1)
    runs = {(size, s): [] for size in targets for s in SCALE_SCENARIOS}
    ratios = {(s, p): [] for s in SCALE_SCENARIOS for p in ("p50_ms", "p99_ms")}
    for round_no in range(1, args.rounds + 1):
        log(f"round {round_no}/{args.rounds}: {args.duration} s per measurement")
        for scenario in SCALE_SCENARIOS:
            # Logins take tens of milliseconds: measure longer to count enough for a p99.
            duration = max(args.duration, 4) if scenario == "login" else args.duration
            order = (small, large) if round_no % 2 else (large, small)
            for target in order:
                runs[(target.size, scenario)].append(target.run(scenario, duration))
            for percentile in ("p50_ms", "p99_ms"):
                big, little = runs[("large", scenario)][-1], runs[("small", scenario)][-1]
                if big[percentile] and little[percentile]:
                    ratios[(scenario, percentile)].append(big[percentile] / little[percentile])
    out = {}
    for scenario in SCALE_SCENARIOS:
        row = {}
        for size in targets:
            results = runs[(size, scenario)]
            row[size] = {
                "p50_ms": median(r["p50_ms"] for r in results),
                "p99_ms": median(r["p99_ms"] for r in results),
                "rps": median(r["rps"] for r in results),
                "errors": sum(r["non_2xx"] + r["socket_errors"] for r in results),
                "rounds": results,
            }
        row["ratio"] = {p: median(ratios[(scenario, p)]) for p in ("p50_ms", "p99_ms")}
        out[scenario] = row
    return out


def get(url, token):
    """GET with an access token: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
        conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()
