"""The errors of the emailed links, as `{"detail", "code"}` bodies."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class InvalidLink(exceptions.APIException):
    """400: a link's uid or token is wrong, already used, for another account, or made up."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This link is invalid or has already been used; ask for a new one.")
    default_code = "invalid_token"


class ExpiredLink(InvalidLink):
    """400: an authentic link whose time is up."""

    default_detail = _("This link has expired; ask for a new one.")
    default_code = "token_expired"
