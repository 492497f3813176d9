"""/bench/bare/ of the stock process: 20 notes held in memory, encoded as JSON on every request.

The notes are the API's own list answer, captured after seeding, so both bodies are the same
bytes (DRF writes compact JSON and UTF-8 as is; so does this view).
"""

import functools
import json
import os
from pathlib import Path

from django.http import JsonResponse
from django.urls import path

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


@functools.cache
def notes() -> list:
    body_file = os.environ.get("BENCH_BARE_BODY_FILE")
    return json.loads(Path(body_file).read_bytes()) if body_file else []


def notes_view(request):
    return JsonResponse(notes(), safe=False, json_dumps_params=_COMPACT)


urlpatterns = [path("bench/bare/", notes_view)]
