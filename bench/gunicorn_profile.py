"""gunicorn hooks of `--profile`: cProfile of each worker's whole life, middleware timings.

With `BENCH_CPROFILE_DIR` set, each worker profiles its main thread (the one that serves
requests) in CPU time, so waiting for connections costs nothing, from its 20th request on (the
first ones import lazily), and writes `<pid>.prof` there when it exits; `BENCH_MIDDLEWARE_TIMING` makes it write bench/timing.py's sums.
"""

import os
import time

_profiler = None


def pre_request(worker, req):
    global _profiler
    if _profiler is None and worker.nr >= 20 and os.environ.get("BENCH_CPROFILE_DIR"):
        import cProfile

        _profiler = cProfile.Profile(time.process_time)
        _profiler.enable()


def worker_exit(server, worker):
    if _profiler is not None:
        _profiler.disable()
        _profiler.dump_stats(os.path.join(os.environ["BENCH_CPROFILE_DIR"], f"{os.getpid()}.prof"))
    if os.environ.get("BENCH_MIDDLEWARE_TIMING"):
        from bench import timing

        timing.dump()
