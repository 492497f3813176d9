import logging
from http import HTTPStatus

from django.http import JsonResponse

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class JSONErrorsMiddleware:
    """Turns Django's own HTML error pages under /api/ (unknown URL, crash) into JSON.

    DRF already answers JSON for errors inside its views; this covers what happens outside
    them, in development (DEBUG pages) as in production.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._json_error(response.status_code, response)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=exception)
        return self._json_error(500)

    @staticmethod
    def _json_error(status: int, original=None) -> JsonResponse:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        code = "server_error" if status >= 500 else phrase.lower().replace(" ", "_")
        response = JsonResponse({"detail": f"{phrase}.", "code": code}, status=status)
        if original is not None:
            # Keep the headers that matter to clients (CORS, Allow, Retry-After).
            for header, value in original.items():
                if header.lower() not in {"content-type", "content-length"}:
                    response[header] = value
        return response
