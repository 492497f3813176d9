"""Prometheus metrics: their definitions, and `GET /metrics`, which serves them to operators.

Every metric of the project is defined here, so their names and labels are in one place
(docs/operations.md, "Observability", lists them). Labels take few values: a request is counted
under its route's name, never its raw path, and the domain counters under fixed outcomes.

An increment touches memory only: a dictionary look-up and, in prometheus-client's multiprocess
mode (`PROMETHEUS_MULTIPROC_DIR`, set by `backend/gunicorn.py`), a write to a memory-mapped file
of the worker's own, which the scrape adds up over all workers, the exited ones included.
"""

import functools
import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from rest_framework import exceptions
from rest_framework.settings import api_settings

from api.core.error_bodies import error_body

# A `_created` sample beside every counter doubles the output for nothing a dashboard uses (and
# multiprocess mode never exports them): one process-wide switch of the library.
disable_created_metrics()

NAMESPACE = "notes"

# --- HTTP -----------------------------------------------------------------------------------

# What a request is counted under when no route matched: unknown URLs, static files.
UNMATCHED_VIEW = "unmatched"
# Methods counted under their own name; any other (a client may send anything) is "other".
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "http_requests",
    "Requests answered, by route name, method and status.",
    ["view", "method", "status"],
    namespace=NAMESPACE,
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from the first middleware receiving a request to its response, by route name, method and status.",
    ["view", "method", "status"],
    namespace=NAMESPACE,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

# --- Sessions -------------------------------------------------------------------------------

LOGINS = Counter(
    "logins",
    "Login attempts at POST /api/token/ and /api/token/mfa/: ok, failed (wrong credentials or code), "
    "mfa_required (right password, a code still to come) or throttled.",
    ["outcome"],
    namespace=NAMESPACE,
)
LOGIN_OK = LOGINS.labels(outcome="ok")
LOGIN_FAILED = LOGINS.labels(outcome="failed")
LOGIN_THROTTLED = LOGINS.labels(outcome="throttled")
LOGIN_MFA_REQUIRED = LOGINS.labels(outcome="mfa_required")
TOKEN_REFRESHES = Counter(
    "token_refreshes", "Refresh tokens exchanged for a new access token.", namespace=NAMESPACE
)
REFRESH_REUSES = Counter(
    "refresh_token_reuses",
    "Spent refresh tokens presented again (outside the grace), each revoking its session.",
    namespace=NAMESPACE,
)
SESSIONS_ENDED = Counter(
    "sessions_ended",
    "Login sessions ended: logout, logout everywhere, a session deleted, a reuse detected.",
    namespace=NAMESPACE,
)

# --- Passwords ------------------------------------------------------------------------------

BREACH_CHECKS = Counter(
    "breached_password_checks",
    "New passwords looked up in the breached-password range API (PWNED_PASSWORDS_URL): found "
    "(refused), not_found, or unavailable (the API not reached in time or no usable answer: the "
    "password was let through).",
    ["outcome"],
    namespace=NAMESPACE,
)
BREACH_CHECK_FOUND = BREACH_CHECKS.labels(outcome="found")
BREACH_CHECK_NOT_FOUND = BREACH_CHECKS.labels(outcome="not_found")
BREACH_CHECK_UNAVAILABLE = BREACH_CHECKS.labels(outcome="unavailable")

# --- Abuse limits ---------------------------------------------------------------------------

THROTTLED_REQUESTS = Counter(
    "throttled_requests",
    "Requests refused with 429 by a throttle, by the view's throttle scope.",
    ["scope"],
    namespace=NAMESPACE,
)


# (view, method, status) -> its counter and histogram: `labels()` checks and locks on every
# call, and the same few routes answer nearly every request. Bounded by the routes, methods and
# statuses there are; a child made before a fork moves to the worker's own file on first use.
_request_series: dict[tuple[str, str, int], tuple] = {}


def count_request(view: str, method: str, status: int, seconds: float) -> None:
    key = (view, method, status)
    series = _request_series.get(key)
    if series is None:
        label = method if method in KNOWN_METHODS else "other"
        series = (
            HTTP_REQUESTS.labels(view, label, str(status)),
            HTTP_REQUEST_DURATION.labels(view, label, str(status)),
        )
        if label == method:  # a client's made-up method is never kept: the cache stays bounded
            _request_series[key] = series
    series[0].inc()
    series[1].observe(seconds)


def count_throttled(scope: str | None) -> None:
    THROTTLED_REQUESTS.labels(scope or "none").inc()


# --- GET /metrics ---------------------------------------------------------------------------

# Headers a proxy adds when it forwards a request: their presence means the peer address is the
# proxy's, not the client's.
_FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def multiprocess_mode() -> bool:
    # The test prometheus-client itself applies when it picks how to keep values.
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ


# HEAD as GET: the server leaves the body out.
_SCRAPE_METHODS = ("GET", "HEAD")


# Nothing here acts on cookies, and Django's CSRF check would otherwise answer a POST from
# anyone with a 403 before this view runs, telling outsiders that something is there.
@csrf_exempt
def metrics_view(request):
    """The metrics in Prometheus' text format, for allowed addresses or the metrics token only.

    Anyone else gets the API's 404, as for a URL that does not exist, whatever the method; an
    allowed client's method other than GET or HEAD is the API's 405.
    """
    if not _may_scrape(request):
        return JsonResponse(error_body(exceptions.NotFound()), status=404)
    if request.method not in _SCRAPE_METHODS:
        response = JsonResponse(error_body(exceptions.MethodNotAllowed(request.method)), status=405)
        response["Allow"] = ", ".join(_SCRAPE_METHODS)
        return response
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def _may_scrape(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, presented = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
            return True
    client = _client_address(request)
    if client is None:
        return False
    return any(client in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


@functools.lru_cache(maxsize=4)
def _networks(allowed: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    # Validated by the settings (`Environment.networks`): addresses, or networks in CIDR notation.
    return [ipaddress.ip_network(entry, strict=False) for entry in allowed]


def _client_address(request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The client's address as the throttles see it (`NUM_PROXIES`), or None if unknown.

    Without trusted proxies, a forwarded request has no known client: a proxy on the same
    machine would otherwise make every client look like loopback.
    """
    address = request.META.get("REMOTE_ADDR", "")
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        address = hops[-min(num_proxies, len(hops))]
    elif any(request.META.get(header) for header in _FORWARDING_HEADERS):
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed
