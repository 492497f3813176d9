"""`LOG_FORMAT=json`: every log record as one JSON object on one line.

Each object has `time` (UTC, ISO 8601 with milliseconds), `level`, `logger` and `message`, and
`request_id` for anything logged while a request is handled. The request log line
(`api.core.middleware.RequestLogMiddleware`) adds `method`, `path` (without the query string),
`status`, `duration_ms` and `user_id`. Only these fields are written: whatever else a record
carries (Django attaches the request object to its own records) never reaches the log.

Standard library only: `LOGGING` loads this module before Django sets the apps up.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# The id of the request being handled in this thread or task, set by the request middleware.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# What the request log line passes in `extra`, in the order written.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


class JSONFormatter(logging.Formatter):
    """One JSON object per record, with a fixed set of fields (the module docstring lists them)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs its 4xx and 5xx warnings after the middleware returned: their record
        # carries the request, which the middleware named.
        current = (
            getattr(record, "request_id", None)
            or request_id.get()
            or getattr(getattr(record, "request", None), "request_id", None)
        )
        if current is not None:
            entry["request_id"] = current
        for field in REQUEST_FIELDS:
            # `user_id` is null for an anonymous request: present, so every request line has
            # the same fields.
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # ensure_ascii: whatever a message holds, the line is plain ASCII with no raw line break.
        return json.dumps(entry, default=str)
