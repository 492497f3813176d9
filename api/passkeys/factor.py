"""Passkeys as step-up asks for them (`api.sessions.second_factor`): the answer of one of the
caller's passkeys to `POST /api/user/reauthenticate/passkey/options/`. Registered at startup by
`api.apps`, beside the TOTP factor."""

from rest_framework import serializers

from api.models import User
from api.passkeys import services
from api.passkeys.serializers import AuthenticationResponseField


class PasskeyFactor:
    def passkey_use(self, *, request, user: User, credential: object) -> None:
        try:
            answer = AuthenticationResponseField().run_validation(credential)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"credential": exc.detail}) from None
        with services.clone_reported(request):
            services.passkey_reauth(user=user, credential=answer)
