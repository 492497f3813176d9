"""OpenAPI schema generation (drf-spectacular): names, tags and the error answers of every
operation, so that a client generated from the schema (openapi-typescript, for one) is typed.

- Tags and operationIds come from one rule each (`api.core.schema_names`).
- Views describe their success bodies; this module adds the errors every client must handle
  anyway, so no view can forget one: 400 for bodies and cursors, 401 behind authentication, 404
  on detail routes, 409 on writes (a constraint a concurrent write tripped), 413 and 415 for
  bodies, 429 where a throttle applies, and 503 everywhere (the database unreachable;
  docs/operations.md, "Outages"). Each names its codes as an enum: those common to every
  operation of its kind, and those a view declares with `api.core.schema_errors.error`. A 400
  is also the field errors of the operation's request fields.
"""

from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance, is_list_serializer, is_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from api.core.schema_errors import (
    NON_FIELD_ERRORS,
    STATUS_DESCRIPTIONS,
    ErrorCodes,
    error_body_schema,
    field_errors_schema,
)
from api.core.schema_names import operation_id_for, tag_for

# What the authentication of every signed-in request can refuse (api/sessions/authentication.py).
AUTHENTICATION_CODES = (
    "not_authenticated",
    "bad_authorization_header",
    "token_not_valid",
    "invalid_dpop_proof",
    "use_dpop_nonce",
)
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(SpectacularAutoSchema):
    def get_tags(self) -> list[str]:
        tag = tag_for(self.path)
        if tag is None:
            warn(f"{self.path} has no tag: give its prefix one in api.core.schema_names.TAG_BY_PATH_PREFIX")
            return super().get_tags()
        return [tag]

    def get_operation_id(self) -> str:
        creates = isinstance(self.view, mixins.CreateModelMixin)
        name = operation_id_for(self.method, self.path, is_list=self._is_list_view(), creates=creates)
        if name is None:
            warn(
                f"{self.method} {self.path} has no operationId: name it in "
                "api.core.schema_names.OPERATION_IDS"
            )
            return super().get_operation_id()
        return name

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._common_codes():
            if str(status) not in responses:
                responses[str(status)] = self._error_response(status, ErrorCodes(()), "")
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        declared, description = serializer, ""
        if isinstance(serializer, OpenApiResponse):
            declared, description = serializer.response, serializer.description
        if isinstance(declared, ErrorCodes):
            return self._error_response(int(status_code), declared, description)
        return super()._get_response_for_code(serializer, status_code, media_types, direction)

    def _error_response(self, status: int, declared: ErrorCodes, description: str) -> dict:
        codes = set(self._common_codes().get(status, ())) | set(declared.codes)
        fields = self._field_error_names() if status == 400 else []
        bodies = []
        if codes:
            bodies.append(error_body_schema(status, codes, declared.properties))
        if fields:
            bodies.append(field_errors_schema(fields))
        if not bodies:
            warn(f"{self.method} {self.path} documents a {status} without a code: name its codes")
            bodies.append(error_body_schema(status, set()))
        schema = bodies[0] if len(bodies) == 1 else {"oneOf": bodies}
        return {
            "content": {media_type: {"schema": schema} for media_type in self.map_renderers("media_type")},
            "description": description or STATUS_DESCRIPTIONS[status],
        }

    def _common_codes(self) -> dict[int, tuple[str, ...]]:
        """The error codes any operation of this kind can answer, by status, whatever its view does."""
        view = self.view
        takes_body = self._takes_body()
        codes = {}
        if takes_body:
            codes[400] = ("parse_error",)
        elif self._paginated():
            codes[400] = ()  # field errors of the cursor only
        if view.get_authenticators() and any(issubclass(p, IsAuthenticated) for p in view.permission_classes):
            codes[401] = AUTHENTICATION_CODES
        if "{" in self.path:
            codes[404] = ("not_found",)
        if self.method in _WRITES:
            codes[409] = ("conflict",)
        if takes_body:
            codes[413] = ("request_too_large",)
            codes[415] = ("unsupported_media_type",)
        # The view's throttles for this method: drf-spectacular's mock request has it.
        if view.get_throttles():
            codes[429] = ("throttled",)
        codes[503] = ("service_unavailable",)
        return codes

    def _takes_body(self) -> bool:
        if self.method in {"POST", "PUT", "PATCH"}:
            return self._get_request_body() is not None
        # A sensitive DELETE carries its proof, the current password, in its body (api/sessions/stepup.py).
        return self.method == "DELETE" and self.method in getattr(self.view, "step_up_methods", ())

    def _paginated(self) -> bool:
        return getattr(self.view, "pagination_class", None) is not None and self._is_list_view()

    def _field_error_names(self) -> list[str]:
        """The fields a 400 may name: the request's writable fields and `non_field_errors`, or a
        paginated list's cursor."""
        if self._paginated():
            return [self.view.pagination_class.cursor_query_param]
        if not self._takes_body():
            return []
        serializer = force_instance(self.get_request_serializer())
        if not is_serializer(serializer) or is_list_serializer(serializer):
            return []
        names = [name for name, field in serializer.fields.items() if not field.read_only]
        return [*names, NON_FIELD_ERRORS]
