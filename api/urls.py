"""The routes under /api/, each handled by the package of its domain."""

from django.urls import path

from api.accounts import views as accounts
from api.accounts.security_events import SecurityEvents
from api.core import docs, health
from api.mfa import views as mfa
from api.notes import views as notes
from api.oidc import reauth_views as oidc_reauth
from api.oidc import views as oidc
from api.passkeys import login_views as passkey_login
from api.passkeys import views as passkeys
from api.sessions import views as sessions

urlpatterns = [
    # First: Django tries the patterns in order, and the notes are what clients ask for most.
    path("notes/", notes.NoteListCreate.as_view(), name="note-list"),
    path("notes/<int:pk>/", notes.NoteDetail.as_view(), name="note-detail"),
    path("notes/delete/<int:pk>/", notes.NoteDelete.as_view(), name="note-delete"),
    path("user/register/", accounts.Register.as_view(), name="register"),
    path("user/me/", accounts.Me.as_view(), name="me"),
    path("user/password/", accounts.PasswordChange.as_view(), name="password-change"),
    path("user/password-reset/", accounts.PasswordResetRequest.as_view(), name="password-reset"),
    path(
        "user/password-reset/confirm/",
        accounts.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path("user/verify-email/", accounts.EmailVerify.as_view(), name="verify-email"),
    path("user/verify-email/resend/", accounts.EmailVerifyResend.as_view(), name="verify-email-resend"),
    path("user/mfa/totp/", mfa.TotpSetup.as_view(), name="mfa-totp"),
    path("user/mfa/totp/confirm/", mfa.TotpConfirm.as_view(), name="mfa-totp-confirm"),
    path("user/mfa/recovery-codes/", mfa.RecoveryCodes.as_view(), name="mfa-recovery-codes"),
    path("user/passkeys/", passkeys.PasskeyList.as_view(), name="passkey-list"),
    path(
        "user/passkeys/register/options/",
        passkeys.PasskeyRegistrationOptions.as_view(),
        name="passkey-register-options",
    ),
    path("user/passkeys/register/", passkeys.PasskeyRegister.as_view(), name="passkey-register"),
    path("user/passkeys/<int:pk>/", passkeys.PasskeyDetail.as_view(), name="passkey-detail"),
    path("user/identities/", oidc.IdentityList.as_view(), name="identity-list"),
    path("user/identities/complete/", oidc.IdentityLink.as_view(), name="identity-link"),
    path("user/identities/<int:pk>/", oidc.IdentityDetail.as_view(), name="identity-detail"),
    path("user/security-events/", SecurityEvents.as_view(), name="security-events"),
    path("user/sessions/", sessions.SessionList.as_view(), name="session-list"),
    path("user/sessions/<uuid:pk>/", sessions.SessionDetail.as_view(), name="session-detail"),
    path("user/reauthenticate/", sessions.Reauthenticate.as_view(), name="reauthenticate"),
    path(
        "user/reauthenticate/passkey/options/",
        passkeys.ReauthPasskeyOptions.as_view(),
        name="reauthenticate-passkey-options",
    ),
    path("user/reauthenticate/oidc/", oidc_reauth.ReauthStart.as_view(), name="reauthenticate-oidc"),
    path("user/logout-all/", sessions.LogoutAll.as_view(), name="logout-all"),
    path("token/", sessions.TokenObtainPair.as_view(), name="token-obtain-pair"),
    path("token/mfa/", mfa.TokenMfa.as_view(), name="token-mfa"),
    path(
        "token/mfa/passkey/options/",
        passkey_login.TokenMfaPasskeyOptions.as_view(),
        name="token-mfa-passkey-options",
    ),
    path("token/mfa/passkey/", passkey_login.TokenMfaPasskey.as_view(), name="token-mfa-passkey"),
    path("token/passkey/options/", passkey_login.PasskeyLoginOptions.as_view(), name="token-passkey-options"),
    path("token/passkey/", passkey_login.TokenPasskey.as_view(), name="token-passkey"),
    path("token/oidc/", oidc.TokenOidc.as_view(), name="token-oidc"),
    path("oidc/providers/", oidc.ProviderList.as_view(), name="oidc-providers"),
    path("oidc/<str:name>/start/", oidc.FlowStart.as_view(), name="oidc-start"),
    path("oidc/<str:name>/callback/", oidc.FlowCallback.as_view(), name="oidc-callback"),
    path("token/refresh/", sessions.TokenRefresh.as_view(), name="token-refresh"),
    path("token/verify/", sessions.TokenVerify.as_view(), name="token-verify"),
    path("token/blacklist/", sessions.TokenBlacklist.as_view(), name="token-blacklist"),
    path("csrf/", sessions.Csrf.as_view(), name="csrf"),
    path("health/", health.Health.as_view(), name="health"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", docs.RedocView.as_view(url_name="schema"), name="redoc"),
]
