"""OpenAPI schema generation (drf-spectacular): each operation's tag and operationId (one rule
each, `api.core.schema_names`), and the error responses every endpoint documents.

Views describe their success bodies; this module adds what every client must handle anyway, so
no view can forget it: 400 for bodies and cursors, 401 behind authentication or on token
endpoints, 404 on detail routes, 409 on writes (a constraint a concurrent write tripped), 413
for bodies over the size limit, 429 where a throttle applies, and 503 everywhere (the database
unreachable; docs/operations.md, "Outages").
"""

from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import mixins, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework_simplejwt.views import TokenViewBase

from api.core.schema_names import operation_id_for, tag_for


class ErrorSerializer(serializers.Serializer):
    """Every non-field error: a human-readable `detail` and a stable `code`."""

    detail = serializers.CharField()
    code = serializers.CharField()


# Field errors: each invalid field names its messages; non-field problems come as detail/code.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field errors (`{field: [message, ...]}`), or `{detail, code}`.",
    "additionalProperties": {},
}


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
        for code, body in self._error_responses().items():
            responses.setdefault(code, self._get_response_for_code(body, code, direction=direction))
        return responses

    def _error_responses(self) -> dict:
        view = self.view
        errors = {}
        takes_body = self.method in {"POST", "PUT", "PATCH"} and self._get_request_body() is not None
        paginated = getattr(view, "pagination_class", None) is not None and self._is_list_view()
        if takes_body or paginated:
            errors["400"] = VALIDATION_ERROR_SCHEMA
        needs_token = any(issubclass(p, IsAuthenticated) for p in view.permission_classes)
        if needs_token or isinstance(view, TokenViewBase):
            errors["401"] = ErrorSerializer
        if "{" in self.path:
            errors["404"] = ErrorSerializer
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            errors["409"] = ErrorSerializer
        if takes_body:
            errors["413"] = ErrorSerializer
        if view.throttle_classes:
            errors["429"] = ErrorSerializer
        errors["503"] = ErrorSerializer
        return errors
