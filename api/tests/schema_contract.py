"""The schema's error answers, held to what the API answers: every error that any test provokes
through Django's test client must be one its operation documents, for that status, with a code
of that status's enum, or field errors of the fields it names.

So a view that starts raising a code the schema does not list fails the first test that makes
it answer so, not only a test written for the schema. Live servers' answers are not seen.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from drf_spectacular.generators import SchemaGenerator

# The error statuses the schema documents wherever they can occur; others (405, 406, 411, 500)
# are the same for every operation and documented once, in docs/api.md.
DOCUMENTED_STATUSES = {400, 401, 403, 404, 409, 413, 415, 429, 503}


def decided_before_any_operation(status: int, code: object, query: str) -> bool:
    """Answers that come before the request reaches an operation, the same for all of them:
    a refused Host header (Django's, 400 `bad_request`), and a `?format=` that names no
    renderer (DRF's, 404 `not_found`)."""
    return (status, code) == (400, "bad_request") or (
        (status, code) == (404, "not_found") and "format" in parse_qs(query, keep_blank_values=True)
    )


@dataclass(frozen=True)
class Alternatives:
    """What one documented answer may be: codes of a `{detail, code}` body, and field names."""

    codes: frozenset[str]
    fields: frozenset[str] | None
    # Not an error body of the API's kind (the health check's 503): nothing to hold it to.
    other: bool


class SchemaContract:
    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self.operations = [
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), item)
            for path, item in schema["paths"].items()
        ]

    @classmethod
    def generate(cls) -> "SchemaContract":
        return cls(SchemaGenerator().get_schema(request=None, public=True))

    def problem(
        self, method: str, path: str, query: str, status: int, content_type: str, content: bytes
    ) -> str | None:
        """What is wrong with an answer, measured against the schema; None when it fits."""
        if status not in DOCUMENTED_STATUSES:
            return None
        operation = next(
            (
                item[method.lower()]
                for regex, item in self.operations
                if regex.match(path) and method.lower() in item
            ),
            None,
        )
        if operation is None:
            return None  # an unknown URL or method (HEAD, OPTIONS), the docs pages
        name = f"{method} {path} ({operation['operationId']}) answered {status}"
        try:
            body = json.loads(content)
        except ValueError:
            return f"{name} with a body that is not JSON ({content_type})"
        code = body.get("code") if isinstance(body, dict) else None
        if decided_before_any_operation(status, code, query):
            return None
        documented = operation["responses"].get(str(status))
        if documented is None:
            return f"{name}, which the schema does not document"
        allowed = self.alternatives(documented["content"]["application/json"]["schema"])
        if allowed.other:
            return None
        if isinstance(body, dict) and "detail" in body:
            if code not in allowed.codes:
                return f"{name} with code {code!r}, not one of {sorted(allowed.codes)}"
            return None
        if allowed.fields is not None and isinstance(body, dict):
            unnamed = set(body) - allowed.fields
            if unnamed:
                return f"{name} with field errors of {sorted(unnamed)}, not among {sorted(allowed.fields)}"
            return None
        return f"{name} with a body the schema does not allow: {content[:200]!r}"

    def alternatives(self, schema: dict) -> Alternatives:
        codes, fields, other = set(), None, False
        for option in schema.get("oneOf", [schema]):
            option = self.resolve(option)
            properties = option.get("properties", {})
            if "detail" in properties and "code" in properties:
                codes |= set(properties["code"].get("enum", ()))
            elif option.get("additionalProperties") is False:
                fields = frozenset(properties)
            else:
                other = True
        return Alternatives(frozenset(codes), fields, other)

    def resolve(self, schema: dict) -> dict:
        reference = schema.get("$ref")
        if reference is None:
            return schema
        return self.schema["components"]["schemas"][reference.rpartition("/")[2]]
