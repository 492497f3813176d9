"""The project's URLs plus /bench/bare/, the ceiling every scenario is compared to.

The bare view returns the exact bytes of the notes list (20 notes) through the
same middleware stack, without authentication, database or serializers: what
a perfect implementation of the list endpoint would cost inside Django.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path


@functools.cache
def bare_body() -> bytes:
    # The benchmark captures the real list response after seeding (bench/measure.py)
    # and passes it in a file; it is read once per process, before any measured request.
    body_file = os.environ.get("BENCH_BARE_BODY_FILE")
    return Path(body_file).read_bytes() if body_file else b"[]"


def bare(request):
    return HttpResponse(bare_body(), content_type="application/json")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("backend.urls")),
]
