"""cProfile of the bare view, the notes list and a note retrieve in-process, with self time grouped by area."""

from __future__ import annotations

from bench.common import BENCH, REPO, RESULTS

# Self time is attributed to the first matching area, by file path; time in
# generic helpers (builtins, Django utils) goes to the areas that called them.
PROFILE_AREAS = [
    ("ORM query compilation", ("django/db/models/sql/",)),
    ("ORM querysets and model instances", ("django/db/models/",)),
    ("DB driver and backend", ("django/db/backends/", "django/db/utils", "sqlite3", "psycopg")),
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
    ("middleware", ("django/middleware/", "/middleware.py", "corsheaders/")),
    ("Django request/response/URLs", ("django/core/handlers/", "django/http/", "django/urls/")),
    ("test client (harness)", ("django/test/", str(BENCH))),
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
