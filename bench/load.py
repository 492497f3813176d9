"""Load over HTTP with wrk: interleaved rounds against the bare view, and list latency as notes grow."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess

from bench.common import BARE_PATH, BENCH, LIST_PATH, ROWS, SCENARIOS, check_status, log, median
from bench.dpop import DpopClient
from bench.scenarios import fixed_requests
from bench.servers import http_json

LUA_REQUEST = BENCH / "wrk" / "request.lua"
LUA_REFRESH = BENCH / "wrk" / "refresh.lua"
LUA_DPOP = BENCH / "wrk" / "dpop.lua"
# Proofs signed per second of a DPoP measurement: twice the Bearer list's last rate, or this
# before it has one (the warm-up), so that wrk never runs out (and would say so if it did).
DPOP_PROOFS_PER_SECOND = 5000
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def parse_latency(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output):
    """Requests/s of successful responses, error counts and p50/p99 in ms."""
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    seconds_match = re.search(r"requests in ([\d.]+)(us|ms|s|m)", output)
    seconds = parse_latency(seconds_match.group(1) + seconds_match.group(2)) / 1000
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    non_2xx = int(non_2xx.group(1)) if non_2xx else 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = sum(map(int, socket_errors.groups())) if socket_errors else 0
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
    return {
        "rps": round((requests - non_2xx) / seconds, 1) if seconds else 0.0,
        "requests": requests,
        "non_2xx": non_2xx,
        "socket_errors": errors,
        "p50_ms": round(parse_latency(percentiles["50"]), 3) if "50" in percentiles else None,
        "p99_ms": round(parse_latency(percentiles["99"]), 3) if "99" in percentiles else None,
    }


def run_wrk(url, script, env, duration, connections, threads=1):
    """One wrk run of `script` against `url`: its parsed output (see parse_wrk)."""
    threads = min(threads, connections)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
    ]
    proc = subprocess.run(
        cmd,
        env={
            **os.environ,
            **env,
            "BENCH_WRK_THREADS": str(threads),
            "BENCH_WRK_DIR": str(LUA_REQUEST.parent),
        },
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    if proc.returncode != 0 or "requests in" not in proc.stdout:
        raise SystemExit(f"wrk failed: {proc.stderr or proc.stdout}")
    return parse_wrk(proc.stdout)


class HttpBench:
    """wrk against the project's gunicorn, the PBKDF2-only one and the stock Django process."""

    def __init__(self, main, pbkdf2, stock, seed, opts):
        self.main, self.pbkdf2, self.stock, self.seed, self.opts = main, pbkdf2, stock, seed, opts
        self.requests = fixed_requests(seed)
        self.access = {}
        self.dpop = None
        self.last_rps = {}

    def token(self, server, username):
        status, body = http_json(
            "POST", server.base + "/api/token/", {"username": username, "password": self.seed.password}
        )
        check_status(f"login of {username} on {server.name}", status, 200, body)
        return json.loads(body)

    def access_token(self, user):
        if user.username not in self.access:
            self.access[user.username] = self.token(self.main, user.username)["access"]
        return self.access[user.username]

    def dpop_client(self):
        """The list user's DPoP key and the DPoP-bound access token of a login with it."""
        if self.dpop is None:
            self.dpop = DpopClient(f"127.0.0.1:{self.main.port}")
            status, body = http_json(
                "POST",
                self.main.base + "/api/token/",
                self.seed.credentials(self.seed.list_user),
                headers={"DPoP": self.dpop.login_proof()},
            )
            self.dpop.logged_in(status, body)
        return self.dpop

    def check_bare_body(self, expected):
        status, body = http_json(
            "GET", self.main.base + LIST_PATH, token=self.access_token(self.seed.list_user)
        )
        check_status("notes list over HTTP", status, 200, body)
        _, bare = http_json("GET", self.main.base + BARE_PATH)
        _, stock = http_json("GET", self.stock.base + BARE_PATH)
        same = body == bare == stock == expected
        if not same:
            log("warning: the bare or stock view's body differs from the notes list over HTTP")
        return same

    def wrk(self, url, script, env, duration, connections=None):
        connections = connections or self.opts.connections
        return run_wrk(url, script, env, duration, connections, self.opts.threads)

    def server(self, request):
        if request.stock:
            return self.stock
        return self.pbkdf2 if request.pbkdf2 else self.main

    def run(self, scenario, duration):
        """One wrk measurement of a scenario, with its server's CPU time per answered request."""
        server = self.main if scenario == "refresh" else self.server(self.requests[scenario])
        before = server.cpu_seconds()
        result = self._run(scenario, duration)
        self.last_rps[scenario] = result["rps"]
        answered = result["requests"] - result["non_2xx"]
        result["server_cpu_ms"] = (
            round((server.cpu_seconds() - before) * 1000 / answered, 3) if answered else None
        )
        return result

    def _run(self, scenario, duration):
        # Requests are prepared before wrk starts.
        if scenario == "refresh":
            # One login per connection starts that connection's refresh chain;
            # a few spares replace chains that a failed refresh would break.
            count = self.opts.connections + 2
            tokens = [self.token(self.main, self.seed.login_user.username)["refresh"] for _ in range(count)]
            tokens_file = self.main.workdir / "refresh-tokens.txt"
            tokens_file.write_text("\n".join(tokens) + "\n")
            return self.wrk(
                self.main.base + "/api/token/refresh/",
                LUA_REFRESH,
                {"BENCH_TOKENS_FILE": str(tokens_file)},
                duration,
            )
        request = self.requests[scenario]
        if request.dpop:
            return self._run_dpop(request, duration)
        # The variables bench/wrk/request.lua builds its one request from.
        env = {"BENCH_METHOD": request.method}
        if request.body is not None:
            env["BENCH_BODY"] = json.dumps(request.body)
        if request.user:
            env["BENCH_ACCESS_TOKEN"] = self.access_token(request.user)
        return self.wrk(self.server(request).base + request.path, LUA_REQUEST, env, duration)

    def _run_dpop(self, request, duration):
        dpop = self.dpop_client()
        bearer_rps = self.last_rps.get("list")
        per_second = 2 * bearer_rps if bearer_rps else DPOP_PROOFS_PER_SECOND
        proofs_file = self.main.workdir / "dpop-proofs.txt"
        proofs_file.write_text(
            "\n".join(dpop.proofs(request.method, request.path, int(per_second * duration) + 500))
        )
        env = {"BENCH_ACCESS_TOKEN": dpop.access, "BENCH_PROOFS_FILE": str(proofs_file)}
        return self.wrk(self.main.base + request.path, LUA_DPOP, env, duration)

    def smoke_check(self):
        """Fail early, with the server's answer, if a scenario does not work at all."""
        for name, request in self.requests.items():
            token = self.access_token(request.user) if request.user else None
            headers = {}
            if request.dpop:
                dpop = self.dpop_client()
                token = None
                (proof,) = dpop.proofs(request.method, request.path, 1)
                headers = {"Authorization": f"DPoP {dpop.access}", "DPoP": proof}
            status, body = http_json(
                request.method, self.server(request).base + request.path, request.body, token, headers
            )
            check_status(f"{name} over HTTP", status, request.status, body)
        refresh = self.token(self.main, self.seed.login_user.username)["refresh"]
        status, body = http_json("POST", self.main.base + "/api/token/refresh/", {"refresh": refresh})
        check_status("refresh over HTTP", status, 200, body)

    def run_scenarios(self):
        opts = self.opts
        self.smoke_check()
        warmup = 1  # loads lazy imports and caches in both workers
        log(f"warm-up ({warmup} s per scenario)")
        for scenario in ROWS:
            self.run(scenario, warmup)

        runs = {name: [] for name in ROWS}
        compared = ("bare", *SCENARIOS)
        ratios = {name: [] for name in (*compared, "login_vs_pbkdf2", "dpop_vs_bearer")}
        cpu_ratios = {name: [] for name in compared}
        for round_no in range(1, opts.rounds + 1):
            log(f"round {round_no}/{opts.rounds}: {opts.duration} s per measurement")
            for scenario in compared:
                # Each scenario is measured right after a run of the stock view, so a
                # machine that speeds up or slows down affects both alike.
                stock = self.run("stock", opts.duration)
                result = self.run(scenario, opts.duration)
                runs["stock"].append(stock)
                runs[scenario].append(result)
                ratios[scenario].append(result["rps"] / stock["rps"] if stock["rps"] else 0.0)
                if result["server_cpu_ms"] and stock["server_cpu_ms"]:
                    cpu_ratios[scenario].append(result["server_cpu_ms"] / stock["server_cpu_ms"])
                if scenario == "list_dpop" and runs["list"][-1]["rps"]:
                    # The list with Bearer ran earlier in this round, against its own stock run.
                    ratios["dpop_vs_bearer"].append(result["rps"] / runs["list"][-1]["rps"])
                if scenario == "login":
                    # A few PBKDF2 logins a second: measure longer to count enough.
                    pbkdf2 = self.run("login_pbkdf2", max(opts.duration, 4))
                    runs["login_pbkdf2"].append(pbkdf2)
                    ratios["login_vs_pbkdf2"].append(
                        result["rps"] / pbkdf2["rps"] if pbkdf2["rps"] else float("inf")
                    )

        summary = {}
        for name, results in runs.items():
            summary[name] = {
                "rps": median(r["rps"] for r in results),
                "p50_ms": median(r["p50_ms"] for r in results),
                "p99_ms": median(r["p99_ms"] for r in results),
                "server_cpu_ms": median(r["server_cpu_ms"] for r in results),
                "non_2xx": sum(r["non_2xx"] for r in results),
                "socket_errors": sum(r["socket_errors"] for r in results),
                "rounds": results,
            }
            if name in ratios:
                summary[name]["ratio"] = round(median(ratios[name]), 3)
            if cpu_ratios.get(name):
                summary[name]["server_cpu_ratio"] = round(median(cpu_ratios[name]), 2)
        summary["login"]["vs_pbkdf2"] = round(median(ratios["login_vs_pbkdf2"]), 2)
        summary["list_dpop"]["vs_bearer"] = round(median(ratios["dpop_vs_bearer"]), 2)
        return summary

    def run_scaling(self, paths):
        """p50 latency with one connection (service time, no queueing).

        Many short rounds, each measuring every size back to back: the ratio
        is taken within a round and its median reported, so a noisy second on
        the machine spoils one round rather than one size.
        """
        rounds = 2 if self.opts.quick else 4
        small, large = min(paths), max(paths)
        samples = {(size, page): [] for page in ("first", "deep") for size in paths}
        ratios = {"first": [], "deep": []}
        for _ in range(rounds):
            for size, page in samples:
                token = self.access_token(self.seed.scale_users[size])
                result = self.wrk(
                    self.main.base + paths[size][page],
                    LUA_REQUEST,
                    {"BENCH_ACCESS_TOKEN": token},
                    1,
                    connections=1,
                )
                if result["non_2xx"] or result["socket_errors"]:
                    raise SystemExit(f"errors on the {page} page of {size} notes: {result}")
                samples[(size, page)].append(result["p50_ms"])
            for page in ratios:
                ratios[page].append(samples[(large, page)][-1] / samples[(small, page)][-1])
        out = {
            str(size): {page: median(samples[(size, page)]) for page in ("first", "deep")} for size in paths
        }
        out["ratio"] = {page: round(statistics.median(values), 2) for page, values in ratios.items()}
        return out
