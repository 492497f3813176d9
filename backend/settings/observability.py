"""What the server tells about itself: the log on standard output, and GET /metrics for
Prometheus (docs/operations.md, "Observability")."""

import os

from backend.settings.base import env

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# --- Logging: never a token or a password ---------------------------------------------------

_log_level = env.choice("LOG_LEVEL", "INFO", LOG_LEVELS)
# text: the message alone (`GET /api/notes/ 200 4.2ms user=17`); json: one object per line with
# time, level and request id (api/core/log_format.py; docs/operations.md, "Observability").
LOG_FORMAT = env.one_of("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.core.log_format.JSONFormatter"}},
    # Standard output, where process managers and platforms collect logs.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": _log_level},
}

# GET /metrics (api/core/metrics.py): answered to these addresses or networks, or to a request
# with `Authorization: Bearer <METRICS_TOKEN>`; 404 to anyone else. A request forwarded by a proxy
# counts as from the client the proxy names (NUM_PROXIES), or from no address if none is trusted.
METRICS_ALLOWED_IPS = env.networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env.secret("METRICS_TOKEN", min_length=32)
# Scrapers reach it over plain HTTP on the private port: SECURE_REDIRECT_EXEMPT (`security.py`).
# Several gunicorn workers: where each keeps its metrics for the scrape to add up (prometheus-
# client's multiprocess mode; backend/gunicorn.py sets and empties it). prometheus-client reads
# the process environment itself, so the checked value is put there, and a blank one removed
# (the library would take a blank one as set).
_metrics_dir = env.writable_directory("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir
else:
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
