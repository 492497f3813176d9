"""What the scale scenario prints and saves: load, latency large : small, targets, token tables."""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import UTC, datetime

from bench.report import display_path, git_commit


def scale_targets(result, scenarios, limit):
    """Every per-request figure, large : small, against the limit; a scenario with errors fails."""
    rows = []
    for key, label in scenarios.items():
        row = result["latency"][key]
        errors = row["small"]["errors"] + row["large"]["errors"]
        for percentile in ("p50_ms", "p99_ms"):
            value = row["ratio"][percentile]
            ok = value is not None and value <= limit and not errors
            rows.append(
                {
                    "target": f"{label} {percentile[:3]}, large : small",
                    "value": value,
                    "limit": f"<= {limit:g}",
                    "pass": ok,
                }
            )
    return rows


def print_scale(result, scenarios, opts):
    sizes = result["sizes"]
    small, large = sizes["small"], sizes["large"]
    print(
        f"\n== PostgreSQL at scale ==  small: {small['users']:,} users, {small['notes']:,} notes; "
        f"large: {large['users']:,} users, {large['notes']:,} notes"
    )
    for size, info in sizes.items():
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in info["load_s"].items())
        print(
            f"load {size}: {info['load_total_s']:.1f} s ({steps}); {info['database_mib']} MiB; "
            f"deep user {info['deep_notes']:,} notes, other users median "
            f"{info['bulk_notes_per_user']['median']}, max {info['bulk_notes_per_user']['max']:,}"
        )
    print(
        f"\nlatency, wrk -c1, median of {opts.rounds} interleaved rounds x {opts.duration} s "
        "(login 4 s); ratios are the median of each round's large : small"
    )
    print(
        f"{'scenario':<24}{'small p50':>10}{'large p50':>10}{'ratio':>7}"
        f"{'small p99':>11}{'large p99':>10}{'ratio':>7}  errors"
    )
    for key, label in scenarios.items():
        row = result["latency"][key]
        s, big, ratio = row["small"], row["large"], row["ratio"]
        print(
            f"{label:<24}{s['p50_ms']:>8.2f}ms{big['p50_ms']:>8.2f}ms{ratio['p50_ms']:>6.2f}x"
            f"{s['p99_ms']:>9.2f}ms{big['p99_ms']:>8.2f}ms{ratio['p99_ms']:>6.2f}x  "
            f"{(s['errors'] + big['errors']) or ''}"
        )

    tokens = result["tokens"]
    print(
        f"\ntoken tables (large database): {tokens['logins']:,} logins in {tokens['logins_s']} s, "
        f"{tokens['refreshes']:,} refreshes in {tokens['refreshes_s']} s, "
        f"{tokens['mfa_logins']} two-factor logins (half completed with a recovery code); then "
        f"{tokens['ended_sessions']:,} of those sessions and a quarter of the waiting two-factor "
        "logins moved into the past with SQL, and manage.py flushexpiredtokens "
        f"({tokens['flush_s']} s)"
    )
    stages = tokens["counts"]
    tables = list(stages["before"])
    print(f"{'rows':<30}" + "".join(f"{table:>18}" for table in tables))
    for stage, counts in stages.items():
        print(f"{stage.replace('_', ' '):<30}" + "".join(f"{counts.get(t, 0):>18,}" for t in tables))
    print("flushexpiredtokens: " + " ".join(tokens["flush_output"]))
    print(
        f"live sessions after the flush: {tokens['live_refreshed']:,} of {tokens['live_sessions_checked']:,} "
        "refreshed; " + ", ".join(f"{name.replace('_', ' ')}: {ok}" for name, ok in tokens["checks"].items())
    )

    print("\n== scale: targets ==")
    for row in result["targets"]:
        value = "-" if row["value"] is None else f"{row['value']:.2f}"
        print(f"{row['target']:<44}{value:>7}  {row['limit']:<8}{'PASS' if row['pass'] else 'FAIL'}")
    verdict = "PASS" if tokens["ok"] else "FAIL"
    print(f"{'token tables: flush keeps every live session':<44}{'':>7}  {'':<8}{verdict}")


def write_scale_results(args, result, started):
    output = args.output
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python bench/run.py --scale",
        "git_commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {
            "duration_s": args.duration,
            "rounds": args.rounds,
            "wrk_connections": 1,
            "gunicorn": "--workers 2 (sync), one server per database",
        },
        "elapsed_s": round(time.monotonic() - started, 1),
        "scale": result,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwrote {display_path(output)} ({report['elapsed_s']} s)")
