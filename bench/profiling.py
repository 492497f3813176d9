"""`--profile`: where a request's time goes, in-process (cProfile) and under gunicorn.

Under gunicorn, for the stock view, the bare view through the project's stack, the notes list
and a note retrieve: each middleware's own time with no profiler (bench/timing.py), then a
cProfile of the workers in CPU time, with self time grouped by area.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from bench.common import BENCH, REPO, RESULTS, log

# Self time is attributed to the first matching area, by file path; time in
# generic helpers (builtins, Django utils) goes to the areas that called them.
PROFILE_AREAS = [
    ("ORM query compilation", ("django/db/models/sql/",)),
    ("ORM querysets and model instances", ("django/db/models/",)),
    ("DB driver and backend", ("django/db/", "sqlite3", "psycopg")),
    ("SimpleJWT", ("rest_framework_simplejwt/",)),
    ("PyJWT and crypto", ("/jwt/", "cryptography", "hmac", "_hashlib", "binascii")),
    (
        "DRF serializers and fields",
        (
            "rest_framework/serializers",
            "rest_framework/fields",
            "rest_framework/relations",
            "rest_framework/utils/serializer_helpers",
            "rest_framework/utils/field_mapping",
        ),
    ),
    ("JSON rendering", ("rest_framework/renderers", "/json/", "orjson", "_json", "encoders")),
    ("DRF views, request, negotiation", ("rest_framework/",)),
    ("request log and metrics", ("logging/", "prometheus_client", "api/core/log_format", "uuid")),
    ("middleware", ("django/middleware/", "/middleware.py", "corsheaders/", "django/contrib/", "whitenoise")),
    ("gunicorn (HTTP parsing, socket)", ("gunicorn/", "socket", "selectors")),
    ("Django request/response/URLs", ("django/core/handlers/", "django/http/", "django/urls/")),
    ("test client (harness)", ("django/test/", *(str(p) for p in BENCH.glob("*.py")))),
    ("project code", (str(REPO / "api"), str(REPO / "backend"))),
]
OTHER_AREA = "other"


def profile_areas(stats):
    """Area -> seconds of self time, helpers charged to their callers' areas."""
    memo = {}

    def shares(func, depth=0):
        if func in memo:
            return memo[func]
        filename, _, name = func
        area = next(
            (area for area, needles in PROFILE_AREAS if any(n in f"{filename} {name}" for n in needles)), None
        )
        callers = stats.stats[func][4]
        weight = sum(edge[3] for caller, edge in callers.items() if caller != func)
        if area or depth > 10 or weight <= 0:
            result = {area or OTHER_AREA: 1.0}
        else:
            result = {}
            for caller, edge in callers.items():
                if caller == func:
                    continue
                for caller_area, share in shares(caller, depth + 1).items():
                    result[caller_area] = result.get(caller_area, 0.0) + share * edge[3] / weight
        memo[func] = result
        return result

    areas = {}
    for func, (_, _, tottime, _, _) in stats.stats.items():
        for area, share in shares(func).items():
            areas[area] = areas.get(area, 0.0) + tottime * share
    return areas


def profile_scenarios(kind, inproc, count=400):
    import cProfile
    import io
    import pstats

    requests = inproc.requests()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in ("bare", "list", "retrieve"):
        send = requests[name]
        for _ in range(50):
            send()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            send()
        profiler.disable()
        stats = pstats.Stats(profiler)
        total = sum(row[2] for row in stats.stats.values())
        areas = profile_areas(stats)
        out = io.StringIO()
        print(
            f"{kind} {name}: {count} requests, {total / count * 1000:.3f} ms per request "
            "under cProfile (profiling inflates small calls; compare shares, not totals)\n",
            file=out,
        )
        print("self time by area:", file=out)
        for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds / total:6.1%}  {area}", file=out)
        summary = out.getvalue()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        path = RESULTS / f"profile-{kind}-{name}.txt"
        path.write_text(out.getvalue())
        print(summary + f"  full profile: {path.relative_to(REPO)}\n", flush=True)


HTTP_PROFILED = ("stock", "bare", "list", "list_dpop", "retrieve")
# Proofs signed per second of a profiled DPoP run, well above what a profiled worker answers.
PROFILED_PROOFS_PER_SECOND = 4000


def profile_http(kind, env, workdir, python, seed, seconds=5):
    """Middleware timings and a cProfile per scenario under gunicorn; writes profile-http-<kind>.txt."""
    from bench.scenarios import fixed_requests
    from bench.servers import Server, stock_env

    requests = fixed_requests(seed)
    config = ["-c", str(BENCH / "gunicorn_profile.py")]
    out = [f"{kind}: under gunicorn (2 sync workers), wrk -c4 for {seconds} s a scenario\n"]
    tokens = {}
    for name in HTTP_PROFILED:
        request = requests[name]
        base_env = stock_env(env) if request.stock else env
        for mode in ("BENCH_MIDDLEWARE_TIMING", "BENCH_CPROFILE_DIR"):
            folder = Path(tempfile.mkdtemp(prefix="profile-", dir=workdir))
            server = Server(f"profile-{name}", {**base_env, mode: str(folder)}, workdir, python, config)
            server.start()
            try:
                server.wait_ready()
                if request.dpop:
                    run = _dpop_runner(server, request, seed, workdir)
                else:
                    run = _plain_runner(server, request, seed, tokens)
                run(1)  # warm-up
                served = run(seconds)
            finally:
                server.stop()
            if mode == "BENCH_MIDDLEWARE_TIMING":
                out.append(_middleware_table(name, folder, served))
            else:
                out.append(_cprofile_areas(kind, name, folder))
        log(f"{kind}: profiled {name} under gunicorn")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"profile-http-{kind}.txt"
    path.write_text("\n".join(out))
    print("\n".join(out) + f"\n  written to {path.relative_to(REPO)}\n", flush=True)


def _plain_runner(server, request, seed, tokens):
    """A wrk run of `seconds` of a fixed request on `server`, with the user's access token."""
    from bench.load import LUA_REQUEST, run_wrk
    from bench.servers import http_json

    wrk_env = {"BENCH_METHOD": request.method}
    if request.user:
        if request.user.username not in tokens:
            _, body = http_json("POST", server.base + "/api/token/", seed.credentials(request.user))
            tokens[request.user.username] = json.loads(body)["access"]
        wrk_env["BENCH_ACCESS_TOKEN"] = tokens[request.user.username]
    return lambda seconds: run_wrk(server.base + request.path, LUA_REQUEST, wrk_env, seconds, 4)


def _dpop_runner(server, request, seed, workdir):
    """A wrk run of `seconds` of the DPoP list on `server`, each with proofs of its own."""
    from bench.dpop import DpopClient
    from bench.load import LUA_DPOP, run_wrk
    from bench.servers import http_json

    dpop = DpopClient(f"127.0.0.1:{server.port}")
    status, body = http_json(
        "POST",
        server.base + "/api/token/",
        seed.credentials(request.user),
        headers={"DPoP": dpop.login_proof()},
    )
    dpop.logged_in(status, body)

    def run(seconds):
        proofs = workdir / "profile-dpop-proofs.txt"
        proofs.write_text(
            "\n".join(dpop.proofs(request.method, request.path, PROFILED_PROOFS_PER_SECOND * seconds))
        )
        env = {"BENCH_ACCESS_TOKEN": dpop.access, "BENCH_PROOFS_FILE": str(proofs)}
        return run_wrk(server.base + request.path, LUA_DPOP, env, seconds, 4)

    return run


def _middleware_table(name, folder, served):
    totals, names, count = None, None, 0
    for dump in folder.glob("*.json"):
        data = json.loads(dump.read_text())
        names, count = data["names"], count + data["requests"]
        totals = data["ns"] if totals is None else [a + b for a, b in zip(totals, data["ns"], strict=True)]
    if not count:
        return f"{name}: no timings written"
    whole = sum(totals)
    lines = [f"{name}: {served['rps']:.0f} req/s; own time per request, {count} requests, no profiler"]
    for label, ns in zip(names, totals, strict=True):
        lines.append(f"  {ns / count / 1000:8.1f} us {ns / whole:6.1%}  {label}")
    lines.append(f"  {whole / count / 1000:8.1f} us  100.0%  from the first middleware to the last")
    return "\n".join(lines) + "\n"


def _cprofile_areas(kind, name, folder):
    import io
    import pstats

    files = [str(p) for p in folder.glob("*.prof")]
    if not files:
        return f"{name}: no profile written"
    stats = pstats.Stats(*files)
    total = sum(row[2] for row in stats.stats.values())
    out = io.StringIO()
    print(f"{name}: cProfile of the workers in CPU time, self time by area", file=out)
    for area, seconds in sorted(profile_areas(stats).items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / total:6.1%}  {area}", file=out)
    full = io.StringIO()
    pstats.Stats(*files, stream=full).sort_stats("cumulative").print_stats(60)
    pstats.Stats(*files, stream=full).sort_stats("tottime").print_stats(40)
    (RESULTS / f"profile-http-{kind}-{name}.txt").write_text(full.getvalue())
    return out.getvalue()
