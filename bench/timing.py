"""`--profile`: each middleware's own share of a request under gunicorn, with no profiler.

`timed_middleware` puts a marker before every middleware and one before the view. A marker
notes the thread's CPU clock on the way in and on the way out (CPU time: a busy machine
preempting the worker does not count), so a middleware's own time is what passes
between its marker and the next one, down and back up; the innermost marker's time is URL
resolution, the `process_view` hooks and the view. Each worker adds them up and writes them
to `BENCH_MIDDLEWARE_TIMING/<pid>.json` when it exits (bench/gunicorn_profile.py).
"""

import json
import os
import time
from pathlib import Path

_names: list[str] = []
_sums: list[int] = []
_count = [0]
# A worker's first requests import and warm up lazily: not what a request costs.
WARM_UP = 20
_seen = [0]


def timed_middleware(middleware: list[str]) -> list[str]:
    _names[:] = [*middleware, "URL resolution, process_view hooks and the view"]
    _sums[:] = [0] * len(_names)
    timed = []
    for index, name in enumerate(middleware):
        timed += [f"bench.timing.mark{index}", name]
    return [*timed, f"bench.timing.mark{len(middleware)}"]


def _marker(index: int):
    class Marker:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            if index == 0:
                request.bench_in, request.bench_out = [], []
            request.bench_in.append(time.thread_time_ns())
            response = self.get_response(request)
            request.bench_out.append(time.thread_time_ns())
            if index == 0:
                _add(request.bench_in, request.bench_out[::-1])
            return response

    Marker.__name__ = f"mark{index}"
    return Marker


def _add(entered, left):
    if len(entered) != len(_names) or len(left) != len(_names):
        return  # answered before reaching the view (a redirect, static file): not counted
    _seen[0] += 1
    if _seen[0] <= WARM_UP:
        return
    last = len(_names) - 1
    for i in range(last):
        _sums[i] += (entered[i + 1] - entered[i]) + (left[i] - left[i + 1])
    _sums[last] += left[last] - entered[last]
    _count[0] += 1


def dump() -> None:
    folder = os.environ.get("BENCH_MIDDLEWARE_TIMING")
    if folder and _count[0]:
        data = {"names": _names, "ns": _sums, "requests": _count[0]}
        (Path(folder) / f"{os.getpid()}.json").write_text(json.dumps(data))


def __getattr__(name):
    # `bench.timing.mark3` is the marker before the fourth middleware (import_string asks so).
    if name.startswith("mark") and name[4:].isdigit():
        return _marker(int(name[4:]))
    raise AttributeError(name)
