// Generated from the API's OpenAPI schema by `npm run types` in examples/axios
// (scripts/types.mjs: `manage.py spectacular --format openapi-json` with production settings,
// then openapi-typescript). Do not edit: `npm run types:check` fails when it is stale.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The JWK Set other services fetch to verify access tokens: the next key (if one is
         *     published), the current one, then previous ones; 404 when tokens use HS256.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/csrf/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A CSRF token for cookie mode's refresh and logout, with Django's `csrftoken` cookie. */
        get: operations["getCsrfToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description 200 `{"status": "ok", "database": "ok", "cache": "ok"}`, or 503 naming the failing part. */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notes/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The caller's notes, newest first, in keyset pages; POST creates one. */
        get: operations["listNotes"];
        put?: never;
        /** @description The caller's notes, newest first, in keyset pages; POST creates one. */
        post: operations["createNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/notes/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description One of the caller's notes: read, replace, change or delete it. */
        get: operations["getNote"];
        /** @description One of the caller's notes: read, replace, change or delete it. */
        put: operations["replaceNote"];
        post?: never;
        /** @description One of the caller's notes: read, replace, change or delete it. */
        delete: operations["deleteNote"];
        options?: never;
        head?: never;
        /** @description One of the caller's notes: read, replace, change or delete it. */
        patch: operations["updateNote"];
        trace?: never;
    };
    "/api/notes/delete/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description The tutorial's delete path, kept for its frontend: DELETE /api/notes/delete/<id>/. */
        delete: operations["deleteNoteLegacy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oidc/{name}/callback/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Where the provider sends the browser back. Checks the state and this browser's cookie, exchanges the code (PKCE and the client secret), verifies the ID token, and redirects to OIDC_FRONTEND_CALLBACK_URL with `?code=`: a one-time code for `POST /api/token/oidc/` (`&flow=link` for `POST /api/user/identities/complete/`, `&flow=reauthenticate` for `POST /api/user/reauthenticate/` as `{oidc_code}`). No token is ever in a URL. A refusal is the JSON error below, except to a browser's navigation (a GET whose `Accept` prefers `text/html` to `application/json`): that is redirected there with `?error=<the error's code>` instead (the 4xx and 5xx codes below, and `throttled`), plus `&provider_error=` with the provider's own error code (`access_denied` when the user cancelled) if it is one of OAuth 2.0's or OpenID Connect's; never a detail, the state or the provider's `error_description`. */
        get: operations["finishOidcLogin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oidc/{name}/start/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Start signing in with the provider: answers its authorization URL (PKCE S256, state and nonce kept here) and sets the HttpOnly cookie that binds the sign-in to this browser. The provider sends the browser back to `GET /api/oidc/{name}/callback/`. */
        post: operations["startOidcLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/oidc/providers/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The configured providers (OIDC_PROVIDERS), in order. */
        get: operations["listOidcProviders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log in: an access token and a refresh token. With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"), the answer is `{access}` and the refresh token is in the `Set-Cookie` header; a request that is not from an allowed origin is refused with 403, code `origin_missing` (neither Origin nor Referer) or `origin_not_allowed` (an origin that is neither the API's nor one of `CORS_ALLOWED_ORIGINS`). */
        post: operations["obtainToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/blacklist/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log out one session: every refresh token of its login stops working. With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"), the refresh token comes from the body or else the cookie, and the answer (200, or 401 for a token that no longer works) clears the cookie. */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/mfa/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log in, second step (docs/mfa.md): the `mfa_token` of a login that answered 401 `mfa_required`, and a code of the account's authenticator app or one of its recovery codes; the answer is that of a login. With `JWT_REFRESH_COOKIE` on, as for login: `{access}` with the refresh token in `Set-Cookie`, and the request must come from an allowed origin. */
        post: operations["completeMfaLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/mfa/passkey/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log in, second step, with a passkey: the `mfa_token` and the browser's answer to the options of `POST /api/token/mfa/passkey/options/`; the answer is that of a login. */
        post: operations["completeMfaLoginWithPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/mfa/passkey/options/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Options for finishing a two-factor login with a passkey instead of a code: the `mfa_token` of the login that answered `mfa_required`. The answer goes to `POST /api/token/mfa/passkey/`. */
        post: operations["getMfaPasskeyOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/oidc/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log in with the one-time code of a provider sign-in: the usual token answer (refresh cookie mode and DPoP as for `POST /api/token/`), or `mfa_required` for an account with two-factor login (unless OIDC_TRUST_PROVIDER_MFA and the provider checked a second factor). */
        post: operations["obtainTokenWithOidc"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/passkey/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log in with a passkey: the browser's answer (`AuthenticationResponseJSON`) to the options of `POST /api/token/passkey/options/`; the answer is that of `POST /api/token/` (in cookie mode `{access}` and the refresh cookie). A passkey login is a two-factor login: no code follows. */
        post: operations["obtainTokenWithPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/passkey/options/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Options for a passwordless login (`PublicKeyCredentialRequestOptionsJSON`), naming no account: the browser offers the passkeys it holds for this site, also as autofill (conditional UI: `mediation: "conditional"` with an input of `autocomplete="username webauthn"`). The answer goes to `POST /api/token/passkey/`. */
        post: operations["getPasskeyLoginOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/refresh/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Exchange a refresh token for a new access token and, with rotation, a new refresh token. With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"), the refresh token comes from the body or else the cookie, the answer is `{access}` and the new refresh token is in the `Set-Cookie` header. */
        post: operations["refreshToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token/verify/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description 200 for a token that would be accepted now, 401 otherwise. A DPoP-bound token (claim `cnf.jkt`) is checked as any other here; a resource request with it also needs `Authorization: DPoP` and a proof by its key. */
        post: operations["verifyToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/identities/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The provider accounts linked to the caller's account, oldest first. */
        get: operations["listIdentities"];
        put?: never;
        /** @description Start linking a provider account to the caller's account: as `POST /api/oidc/{name}/start/`, with a fresh proof (the current `password`, or a step-up token). The callback's redirect carries `flow=link`; its code goes to `POST /api/user/identities/complete/`. */
        post: operations["startIdentityLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/identities/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Unlink one of the caller's provider accounts; needs a fresh proof. */
        delete: operations["deleteIdentity"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/identities/complete/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Finish linking: the one-time code of a link flow this caller started. Answers the link; the same provider account linked again answers the existing link. */
        post: operations["linkIdentity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/logout-all/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Log out everywhere: every session and every access token issued until now. */
        post: operations["logoutAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/me/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * @description The signed-in user's account: read it, change the email, or delete it with its notes.
         *     Changing or deleting it needs a fresh proof (`stepup.FreshProof`).
         */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        /**
         * @description The signed-in user's account: read it, change the email, or delete it with its notes.
         *     Changing or deleting it needs a fresh proof (`stepup.FreshProof`).
         */
        delete: operations["deleteAccount"];
        options?: never;
        head?: never;
        /**
         * @description The signed-in user's account: read it, change the email, or delete it with its notes.
         *     Changing or deleting it needs a fresh proof (`stepup.FreshProof`).
         */
        patch: operations["updateAccount"];
        trace?: never;
    };
    "/api/user/mfa/recovery-codes/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description A new set of recovery codes for a current TOTP code (itself the fresh proof of the second
         *     factor, counted by the failure limit); the old set stops working.
         */
        post: operations["regenerateRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/mfa/totp/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Start setting up TOTP: a new secret at each call until a code confirms it; logins need only the password meanwhile (docs/mfa.md). */
        post: operations["startTotpSetup"];
        /** @description Turn TOTP off with a TOTP or recovery code and a fresh proof (the current `password`, or a step-up token); every other session of the user ends. */
        delete: operations["disableTotp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/mfa/totp/confirm/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Turn TOTP on with a first code of the pending secret: the answer holds the recovery codes.
         *     Needs a fresh proof too: the code proves only that the caller holds the new secret.
         */
        post: operations["confirmTotpSetup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/passkeys/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The caller's passkeys, oldest first. */
        get: operations["listPasskeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/passkeys/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description Delete a passkey; needs a fresh proof. Never the account's last way to log in: with no usable password and no linked provider account, its last passkey stays (409 `last_login_method`). Mails a notice. */
        delete: operations["deletePasskey"];
        options?: never;
        head?: never;
        /** @description Rename (PATCH) or delete (DELETE, with a fresh proof) one of the caller's passkeys. */
        patch: operations["updatePasskey"];
        trace?: never;
    };
    "/api/user/passkeys/register/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Register a passkey: the browser's answer (`RegistrationResponseJSON`) to the options of `register/options/`, and a name. Mails a notice to the account's address. */
        post: operations["registerPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/passkeys/register/options/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Options for a new passkey (`PublicKeyCredentialCreationOptionsJSON`), for `navigator.credentials.create()`: a discoverable credential preferred, user verification required, no attestation, the account's passkeys excluded. Needs a fresh proof (the current `password`, or a step-up token). The answer goes to `POST /api/user/passkeys/register/` within WEBAUTHN_CHALLENGE_MAX_AGE seconds. */
        post: operations["getPasskeyRegistrationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/password/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Change the password; every earlier token stops working and the answer is a fresh pair. */
        post: operations["changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/password-reset/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Forgotten password: each active account with this address is mailed a reset link. */
        post: operations["requestPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/password-reset/confirm/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Set a new password with a reset link's uid and token; every earlier token stops working. */
        post: operations["confirmPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/reauthenticate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Prove a credential again for a step-up token: sensitive changes accept it for
         *     `REAUTH_MAX_AGE` seconds in the `X-Reauth-Token` header, beside this session's access token.
         */
        post: operations["reauthenticate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/reauthenticate/oidc/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Start step-up at a provider the caller has linked an account at: answers its authorization URL, asking for a fresh sign-in (`max_age=0`, `prompt=login`), and sets the HttpOnly cookie that binds it to this browser, as `POST /api/oidc/{name}/start/`. The callback checks that the provider signed in one of the caller's linked accounts after this request, and redirects with `flow=reauthenticate`; its code goes to `POST /api/user/reauthenticate/` as `{oidc_code}`, from this session. */
        post: operations["startOidcReauthentication"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/reauthenticate/passkey/options/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Options for a step-up with one of the caller's passkeys; the answer goes to `POST /api/user/reauthenticate/` as `{credential}`. */
        post: operations["getReauthPasskeyOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/register/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Sign up. No authentication: a stale token sent by a client must not block it. */
        post: operations["registerUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/security-events/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The caller's recent security events (logins, failures, changes, sessions ended), newest first. */
        get: operations["listSecurityEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/sessions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The caller's live sessions, newest first, one per login (device). */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/sessions/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** @description End one of the caller's sessions: its refresh and access tokens stop working at once. */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/verify-email/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Confirm the account's email address with a verification link's uid and token. */
        post: operations["verifyEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/verify-email/resend/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description A new verification link for each active, unverified account with this address. */
        post: operations["resendVerificationEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The browser's answer to the request options: `credential.toJSON()`. */
        AuthenticationResponseJSONRequest: {
            /** @description The credential id (base64url). */
            id: string;
            /** @description The same id, as `rawId`. */
            rawId: string;
            type: components["schemas"]["TypeEnum"];
            authenticatorAttachment?: (components["schemas"]["AuthenticatorAttachmentEnum"] | components["schemas"]["NullEnum"]) | null;
            response: components["schemas"]["AuthenticatorAssertionResponseJSONRequest"];
        };
        AuthenticatorAssertionResponseJSONRequest: {
            clientDataJSON: string;
            authenticatorData: string;
            signature: string;
            userHandle?: (string) | null;
        };
        /**
         * @description * `platform` - platform
         *     * `cross-platform` - cross-platform
         * @enum {string}
         */
        AuthenticatorAttachmentEnum: "platform" | "cross-platform";
        AuthenticatorAttestationResponseJSONRequest: {
            clientDataJSON: string;
            attestationObject: string;
            transports?: string[];
        };
        AuthenticatorSelectionCriteria: {
            residentKey: string;
            requireResidentKey: boolean;
            userVerification: string;
        };
        CsrfToken: {
            csrf_token: string;
        };
        /** @description An address to mail a link to; the answer is the same whether or not an account has it. */
        EmailRequestRequest: {
            /** Format: email */
            email: string;
        };
        /** @description 400: The request cannot be done as it stands: see the code, or the field errors. Every code this status can carry. */
        Error400: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "parse_error" | "bad_request" | "invalid" | "null_characters_not_allowed" | "max_length" | "max_terms" | "invalid_token" | "token_expired" | "mfa_not_enabled" | "mfa_setup_not_started" | "invalid_code" | "no_passkey" | "passkey_invalid" | "passkey_challenge_invalid" | "invalid_dpop_proof" | "use_dpop_nonce" | "oidc_state_invalid" | "oidc_state_used" | "oidc_state_expired" | "oidc_browser_mismatch" | "oidc_provider_refused" | "oidc_id_token_invalid" | "oidc_code_invalid" | "oidc_no_identity" | "oidc_identity_mismatch" | "oidc_login_not_fresh";
        };
        /** @description 401: The request's credentials are missing or no longer good. Every code this status can carry. */
        Error401: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce" | "no_active_account" | "mfa_required" | "mfa_token_invalid" | "invalid_code" | "passkey_invalid" | "passkey_challenge_invalid" | "oidc_code_invalid";
        };
        /** @description 403: Refused: see the code. Every code this status can carry. */
        Error403: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "reauthentication_required" | "email_not_verified" | "csrf_failed" | "origin_missing" | "origin_not_allowed" | "oidc_signup_closed" | "oidc_link_required" | "oidc_tenant_not_allowed";
        };
        /** @description 404: No such object for this user. Every code this status can carry. */
        Error404: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "not_found" | "passkeys_disabled" | "oidc_provider_unknown";
        };
        /** @description 409: The write collided with another made at the same moment (`conflict`): safe to retry. Every code this status can carry. */
        Error409: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "conflict" | "mfa_already_enabled" | "last_login_method" | "too_many_passkeys" | "passkey_already_registered" | "oidc_identity_taken";
        };
        /** @description 413: The body is over the size limit. Every code this status can carry. */
        Error413: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "request_too_large";
        };
        /** @description 415: The body is not `application/json`. Every code this status can carry. */
        Error415: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "unsupported_media_type";
        };
        /** @description 429: Too many requests or failed attempts: wait `Retry-After` seconds. Every code this status can carry. */
        Error429: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "throttled";
        };
        /** @description 503: The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. Every code this status can carry. */
        Error503: {
            /** @description For people: may change between releases. */
            detail: string;
            /**
             * @description For programs: stable.
             * @enum {string}
             */
            code: "service_unavailable" | "oidc_provider_unavailable";
        };
        /** @description Where to send the browser: the provider's authorization page. */
        FlowStart: {
            /** @description Set `window.location` to it. The answer also sets an HttpOnly cookie that binds the sign-in to this browser: send the request with credentials. */
            readonly authorization_url: string;
        };
        /** @description The health check's answer: `ok`, or `error: <reason>` for each part. */
        Health: {
            status: string;
            database: string;
            cache: string;
        };
        /** @description A provider account linked to the caller's account. */
        Identity: {
            readonly id: number;
            readonly provider: string;
            /** Format: email */
            readonly email: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly last_used_at: string | null;
        };
        /** @description The answer to a request for a link: always the same. */
        LinkAccepted: {
            readonly detail: string;
        };
        /** @description The uid and token of an emailed link; `validate` finds the account (never its token). */
        LinkRequest: {
            uid: string;
            token: string;
        };
        /** @description The provider to link, and the fresh proof a sensitive change needs. */
        LinkStartRequest: {
            /** @description The current password, unless an `X-Reauth-Token` header carries a step-up token (docs/security.md, "Step-up"). */
            password?: string;
            provider: string;
        };
        /** @description The one-time code the callback handed the frontend (`?code=`). */
        LoginCodeRequest: {
            code: string;
        };
        /** @description Second login step: the `mfa_token` of the login that answered `mfa_required`, and a code. */
        MfaLoginRequest: {
            mfa_token: string;
            /** @description The 6-digit code of the authenticator app, or one of the recovery codes. */
            code: string;
        };
        /** @description A note as clients see it; `author` is the owner's id and never writable. */
        Note: {
            readonly id: number;
            title: string;
            content: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly updated_at: string;
            readonly author: number;
        };
        /** @description A note as clients see it; `author` is the owner's id and never writable. */
        NoteRequest: {
            title: string;
            content: string;
        };
        /** @enum {unknown} */
        NullEnum: null;
        PaginatedNoteList: components["schemas"]["Note"][];
        PaginatedSecurityEventList: components["schemas"]["SecurityEvent"][];
        /** @description One of the caller's passkeys; only its name changes. */
        Passkey: {
            readonly id: number;
            name: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly last_used_at: string | null;
            /** @description Whether the passkey is synced (backed up) by its provider now. */
            readonly backed_up: boolean;
            readonly transports: string[];
        };
        /** @description The browser's answer to request options. */
        PasskeyAssertionRequest: {
            credential: components["schemas"]["AuthenticationResponseJSONRequest"];
        };
        /** @description Second login step with a passkey: the `mfa_token`, and the answer to its options. */
        PasskeyMfaLoginRequest: {
            mfa_token: string;
            credential: components["schemas"]["AuthenticationResponseJSONRequest"];
        };
        /** @description The `mfa_token` of a login that answered `mfa_required`. */
        PasskeyMfaOptionsRequest: {
            mfa_token: string;
        };
        /** @description A new passkey: the browser's answer to the options of `register/options/`, and a name. */
        PasskeyRegisterRequest: {
            credential: components["schemas"]["RegistrationResponseJSONRequest"];
            /** @description What the owner calls it ("Laptop", "Phone"); default "Passkey". */
            name?: string;
        };
        PasswordChangeRequest: {
            old_password: string;
            /** @description 15 to 1024 characters, of any kind (no character classes are required): spaces, any script and emoji count as typed, normalised to Unicode NFKC. Refused: a password containing the username, the email's part before the @ or the site's name, ignoring case (`password_context_word`); one too similar to the username or email (`password_too_similar`); a common one (`password_too_common`); and one found in breached-password lists (`password_breached`), checked by k-anonymity: only the first 5 hex digits of its SHA-1 leave the server (when the list cannot be asked in time, the password is let through). Too short or long: `password_too_short`, `password_too_long`. Field errors carry the messages; docs/api.md lists them with their codes. */
            new_password: string;
        };
        /** @description A reset link's uid and token, and the new password (the rules of `api.accounts.validators`). */
        PasswordResetConfirmRequest: {
            uid: string;
            token: string;
            /** @description 15 to 1024 characters, of any kind (no character classes are required): spaces, any script and emoji count as typed, normalised to Unicode NFKC. Refused: a password containing the username, the email's part before the @ or the site's name, ignoring case (`password_context_word`); one too similar to the username or email (`password_too_similar`); a common one (`password_too_common`); and one found in breached-password lists (`password_breached`), checked by k-anonymity: only the first 5 hex digits of its SHA-1 leave the server (when the list cannot be asked in time, the password is let through). Too short or long: `password_too_short`, `password_too_long`. Field errors carry the messages; docs/api.md lists them with their codes. */
            new_password: string;
        };
        /** @description A note as clients see it; `author` is the owner's id and never writable. */
        PatchedNoteRequest: {
            title?: string;
            content?: string;
        };
        /** @description One of the caller's passkeys; only its name changes. */
        PatchedPasskeyRequest: {
            name?: string;
        };
        /**
         * @description The signed-in user's account; only the email can change (and then needs verifying).
         *
         *     A change needs a fresh proof (`api.sessions.stepup`): `password`, or a step-up token.
         */
        PatchedUserRequest: {
            /** Email address */
            email?: string;
            /** @description The current password, unless an X-Reauth-Token header carries a step-up token. */
            password?: string;
        };
        /** @description The proof a sensitive change may carry in its body: the account's current password. */
        ProofRequest: {
            /** @description The current password, unless an `X-Reauth-Token` header carries a step-up token (docs/security.md, "Step-up"). */
            password?: string;
        };
        /** @description A provider to offer on the login page. */
        Provider: {
            /** @description In the paths of /api/oidc/<name>/. */
            readonly name: string;
            readonly display_name: string;
        };
        /**
         * @description Options for `navigator.credentials.create()`, through
         *     `PublicKeyCredential.parseCreationOptionsFromJSON()` or @simplewebauthn/browser's
         *     `startRegistration({optionsJSON})`.
         */
        PublicKeyCredentialCreationOptionsJSON: {
            rp: components["schemas"]["PublicKeyCredentialRpEntity"];
            user: components["schemas"]["PublicKeyCredentialUserEntityJSON"];
            challenge: string;
            pubKeyCredParams: components["schemas"]["PublicKeyCredentialParameters"][];
            timeout: number;
            excludeCredentials: components["schemas"]["PublicKeyCredentialDescriptorJSON"][];
            authenticatorSelection: components["schemas"]["AuthenticatorSelectionCriteria"];
            attestation: string;
        };
        PublicKeyCredentialDescriptorJSON: {
            id: string;
            type: string;
            transports?: string[];
        };
        PublicKeyCredentialParameters: {
            type: string;
            alg: number;
        };
        /**
         * @description Options for `navigator.credentials.get()`, through
         *     `PublicKeyCredential.parseRequestOptionsFromJSON()` or @simplewebauthn/browser's
         *     `startAuthentication({optionsJSON})`; with `mediation: "conditional"` for autofill.
         */
        PublicKeyCredentialRequestOptionsJSON: {
            challenge: string;
            timeout: number;
            rpId: string;
            allowCredentials: components["schemas"]["PublicKeyCredentialDescriptorJSON"][];
            userVerification: string;
        };
        PublicKeyCredentialRpEntity: {
            id: string;
            name: string;
        };
        PublicKeyCredentialUserEntityJSON: {
            /** @description The account's user handle (base64url): random, not its id. */
            id: string;
            name: string;
            displayName: string;
        };
        /** @description The provider to sign in at again: one the caller has linked an account at. */
        ReauthStartRequest: {
            provider: string;
        };
        /** @description A step-up token: send it as `X-Reauth-Token` with a sensitive change, from this session. */
        ReauthToken: {
            readonly reauth_token: string;
            /** @description Seconds it stays good (REAUTH_MAX_AGE). */
            readonly expires_in: number;
        };
        /**
         * @description A credential to prove again: the current password, (with TOTP on) a TOTP or recovery code,
         *     the browser's answer to `POST /api/user/reauthenticate/passkey/options/`, or the one-time
         *     code of a step-up at a provider (`POST /api/user/reauthenticate/oidc/`).
         */
        ReauthenticateRequest: {
            password?: string;
            /** @description The 6-digit code of the authenticator app, or one of the recovery codes. */
            code?: string;
            /** @description A passkey's `AuthenticationResponseJSON` (`credential.toJSON()`), answering the options of `POST /api/user/reauthenticate/passkey/options/`. */
            credential?: {
                [key: string]: unknown;
            };
            /** @description The `code` of the frontend's callback page after `POST /api/user/reauthenticate/oidc/` (`flow=reauthenticate`): from this session, once, within two minutes. */
            oidc_code?: string;
        };
        /** @description A new set of recovery codes: shown this once, each good for one login. */
        RecoveryCodes: {
            /** @description 10 single-use codes that stand in for the app's code; this is the only time they are shown. Any earlier set no longer works. */
            readonly recovery_codes: string[];
        };
        /** @description Sign-up: username, password (the rules of `api.accounts.validators`) and an optional email. */
        Register: {
            readonly id: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. Refused if an account has the same name ignoring case and width, or a name that looks like it (letters of other scripts that look like these, capital I for l, 0 for o...). */
            username: string;
            /** Email address */
            email?: string;
        };
        /** @description Sign-up: username, password (the rules of `api.accounts.validators`) and an optional email. */
        RegisterRequest: {
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. Refused if an account has the same name ignoring case and width, or a name that looks like it (letters of other scripts that look like these, capital I for l, 0 for o...). */
            username: string;
            /** @description 15 to 1024 characters, of any kind (no character classes are required): spaces, any script and emoji count as typed, normalised to Unicode NFKC. Refused: a password containing the username, the email's part before the @ or the site's name, ignoring case (`password_context_word`); one too similar to the username or email (`password_too_similar`); a common one (`password_too_common`); and one found in breached-password lists (`password_breached`), checked by k-anonymity: only the first 5 hex digits of its SHA-1 leave the server (when the list cannot be asked in time, the password is let through). Too short or long: `password_too_short`, `password_too_long`. Field errors carry the messages; docs/api.md lists them with their codes. */
            password: string;
            /** Email address */
            email?: string;
        };
        /** @description The browser's answer to the creation options: `credential.toJSON()`. */
        RegistrationResponseJSONRequest: {
            /** @description The credential id (base64url). */
            id: string;
            /** @description The same id, as `rawId`. */
            rawId: string;
            type: components["schemas"]["TypeEnum"];
            authenticatorAttachment?: (components["schemas"]["AuthenticatorAttachmentEnum"] | components["schemas"]["NullEnum"]) | null;
            response: components["schemas"]["AuthenticatorAttestationResponseJSONRequest"];
        };
        /** @description One event: what (`kind`), where or about what (`detail`), when, and from which client. */
        SecurityEvent: {
            readonly id: number;
            /** @description login, login_failed, login_locked, reauthenticated, password_changed, password_reset, email_change_requested, email_changed, mfa_enabled, mfa_disabled, recovery_codes_regenerated, passkey_added, passkey_removed, passkey_clone_suspected, oidc_linked, oidc_unlinked, session_ended, sessions_ended_all */
            readonly kind: string;
            readonly detail: string;
            /** Format: date-time */
            readonly created_at: string;
            readonly ip: string | null;
            readonly user_agent: string;
        };
        /**
         * @description One of the caller's live sessions (a login and the refreshes since); `current` is the one
         *     whose access token made the request.
         */
        Session: {
            /** Format: uuid */
            readonly id: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly last_used_at: string;
            readonly user_agent: string;
            readonly ip: string | null;
            readonly current: boolean;
        };
        /** @description Logout: the refresh token whose session (every token of that login) ends. */
        TokenBlacklistRequest: {
            refresh?: string;
        };
        /** @description Login: checks the credentials (SimpleJWT) and starts a session. */
        TokenObtainPairRequest: {
            username: string;
            password: string;
        };
        /**
         * @description What every endpoint that logs a client in answers, and a refresh: the access token, the
         *     refresh token (not in cookie mode), and with DPoP the token type.
         */
        TokenPair: {
            access: string;
            /** @description Absent in refresh cookie mode (JWT_REFRESH_COOKIE), where the refresh token is in the `Set-Cookie` header instead, and from a refresh with rotation off. */
            refresh?: string;
            /**
             * @description `DPoP` when the login or refresh sent a DPoP proof: the tokens are bound to its key, and each request needs `Authorization: DPoP <access>` and a fresh proof. Absent for Bearer tokens.
             *
             *     * `DPoP` - DPoP
             */
            token_type?: components["schemas"]["TokenTypeEnum"];
        };
        /** @description Refresh: rotation, reuse detection and the concurrent-refresh grace (`services`). */
        TokenRefreshRequest: {
            refresh?: string;
        };
        /**
         * @description * `DPoP` - DPoP
         * @enum {string}
         */
        TokenTypeEnum: "DPoP";
        /** @description A token to check: accepted now (signature, expiry, revocation, spent refresh token) or not. */
        TokenVerifyRequest: {
            token: string;
        };
        /** @description A current code of the authenticator app. */
        TotpCodeRequest: {
            /** @description The 6-digit code of the authenticator app. */
            code: string;
        };
        /** @description Turning TOTP on: the first code of the pending secret, and the fresh proof. */
        TotpConfirmRequest: {
            /** @description The current password, unless an `X-Reauth-Token` header carries a step-up token (docs/security.md, "Step-up"). */
            password?: string;
            /** @description The 6-digit code of the authenticator app. */
            code: string;
        };
        /**
         * @description A pending TOTP setup: what the authenticator app needs. Logins need no code until a first
         *     code confirms it.
         */
        TotpSetup: {
            /** @description The shared secret in base32, for typing into the app by hand. */
            readonly secret: string;
            /** @description The `otpauth://totp/...` URL the app reads from the QR code. */
            readonly otpauth_url: string;
            /** @description The QR code of `otpauth_url`, as an SVG document to show the user. */
            readonly qr_svg: string;
        };
        /**
         * @description * `public-key` - public-key
         * @enum {string}
         */
        TypeEnum: "public-key";
        /**
         * @description The signed-in user's account; only the email can change (and then needs verifying).
         *
         *     A change needs a fresh proof (`api.sessions.stepup`): `password`, or a step-up token.
         */
        User: {
            readonly id: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            readonly username: string;
            /** Email address */
            email?: string;
            readonly email_verified: boolean;
            /** @description The new address of an email change waiting for its link (docs/accounts.md); empty if none. `email` stays the account's address until the link is used. */
            readonly pending_email: string;
            /** Format: date-time */
            readonly date_joined: string;
            /** @description Whether logins need a TOTP or recovery code as well (docs/mfa.md). */
            readonly mfa_enabled: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            kty: string;
                            kid: string;
                            alg: string;
                            use: string;
                            n?: string;
                            e?: string;
                            crv?: string;
                            x?: string;
                            y?: string;
                        }[];
                    };
                };
            };
            /** @description Tokens are signed with HS256: there is no public key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getCsrfToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CsrfToken"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    listNotes: {
        parameters: {
            query?: {
                /** @description Opaque position of a page; take it from a rel=next/prev link. */
                cursor?: string;
                /** @description Notes per page (default 50, at most 100). */
                page_size?: number;
                /** @description Words that must each occur in the title or content (case-insensitive; at most 10 words, 200 characters). */
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description RFC 8288 links to the neighbouring pages: `<url>; rel="next", <url>; rel="prev"`. */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedNoteList"];
                };
            };
            /** @description Field errors of `cursor`, or a `search` that is too long or has a NUL. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "null_characters_not_allowed" | "max_length" | "max_terms";
                    } | {
                        cursor?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    createNote: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        title?: string[];
                        content?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    replaceNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        title?: string[];
                        content?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    deleteNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    updateNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedNoteRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Note"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        title?: string[];
                        content?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    deleteNoteLegacy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    finishOidcLogin: {
        parameters: {
            query: {
                code?: string;
                error?: string;
                state: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the frontend's callback page, with the one-time code; to a browser's navigation, with the refusal's `error` instead. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The sign-in cannot finish: `oidc_state_invalid` (unknown state), `oidc_state_used` (a replay), `oidc_state_expired` (after OIDC_FLOW_MAX_AGE), `oidc_browser_mismatch` (another browser started it), `oidc_provider_refused` (an error from the provider, or the code exchange refused), `oidc_id_token_invalid` (the ID token does not verify); for step-up also `oidc_identity_mismatch` (not a provider account the account linked) and `oidc_login_not_fresh` (no `auth_time`, or a sign-in before the step-up started). Start again. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "oidc_state_invalid" | "oidc_state_used" | "oidc_state_expired" | "oidc_browser_mismatch" | "oidc_provider_refused" | "oidc_id_token_invalid" | "oidc_identity_mismatch" | "oidc_login_not_fresh";
                    };
                };
            };
            /** @description Code `oidc_tenant_not_allowed`: the ID token is of a tenant of a multi-tenant provider that OIDC_<NAME>_TENANTS does not list. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "oidc_tenant_not_allowed";
                    };
                };
            };
            /** @description Code `oidc_provider_unknown`: no provider of that name. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found" | "oidc_provider_unknown";
                    };
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description Code `oidc_provider_unavailable`: the provider did not answer in time; see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    startOidcLogin: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowStart"];
                };
            };
            /** @description Code `oidc_provider_unknown`: no provider of that name. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found" | "oidc_provider_unknown";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description Code `oidc_provider_unavailable`: the provider did not answer in time; see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listOidcProviders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Provider"][];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    obtainToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenObtainPairRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        username?: string[];
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `no_active_account`: wrong username or password. Code `mfa_required`: the password is right and the account has two-factor login on, so no tokens yet: the body's `mfa_token` and a TOTP or recovery code go to `POST /api/token/mfa/` (docs/mfa.md). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "no_active_account" | "mfa_required";
                        /** @description Only with code `mfa_required`: send it with a code to `POST /api/token/mfa/` within MFA_TOKEN_LIFETIME seconds (default 300). */
                        mfa_token?: string;
                    };
                };
            };
            /** @description Code `email_not_verified`: the password is right, but the account's email is not verified yet (only with REQUIRE_EMAIL_VERIFICATION on). With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode") also `origin_missing` (neither Origin nor Referer) or `origin_not_allowed` (an origin that is neither the API's nor one of `CORS_ALLOWED_ORIGINS`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "email_not_verified" | "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: {
                /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): required, the `csrf_token` of `GET /api/csrf/` (whose `csrftoken` cookie must come along). The request must also carry an `Origin` (or a `Referer`) that is one of `CORS_ALLOWED_ORIGINS` or the API's own. */
                "X-CSRFToken"?: string;
            };
            path?: never;
            cookie?: {
                /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): the refresh token the login or the last refresh set, used when the body has no `refresh`. Ignored otherwise. */
                refresh_token?: string;
            };
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TokenBlacklistRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        refresh?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `token_not_valid`: log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "token_not_valid";
                    };
                };
            };
            /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode") only. Code `csrf_failed` (no `X-CSRFToken`, or one that does not match the `csrftoken` cookie), `origin_missing` (neither Origin nor Referer) or `origin_not_allowed` (an origin that is neither the API's nor one of `CORS_ALLOWED_ORIGINS`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "csrf_failed" | "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    completeMfaLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MfaLoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        mfa_token?: string[];
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `invalid_code`: the code is wrong, already used, or out of its time window; try again with the same `mfa_token` (5 wrong codes end it). Code `mfa_token_invalid`: the `mfa_token` is not one, has expired, was used, took 5 wrong codes, or its account changed; log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "mfa_token_invalid" | "invalid_code";
                    };
                };
            };
            /** @description With `JWT_REFRESH_COOKIE` on only: code `origin_missing` or `origin_not_allowed`, as for login. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    completeMfaLoginWithPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyMfaLoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        mfa_token?: string[];
                        credential?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `passkey_invalid`: the answer does not verify (unknown, deleted or another account's passkey, bad signature, wrong origin or RP ID, no user verification, a counter that went backwards); code `passkey_challenge_invalid`: its challenge is unknown, used or expired: ask for new options. Both count as a failed credential check. Code `mfa_token_invalid`: the login cannot finish; log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "mfa_token_invalid" | "passkey_invalid" | "passkey_challenge_invalid";
                    };
                };
            };
            /** @description With `JWT_REFRESH_COOKIE` on only: code `origin_missing` or `origin_not_allowed`, as for login. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getMfaPasskeyOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyMfaOptionsRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyCredentialRequestOptionsJSON"];
                };
            };
            /** @description Field errors, or code `no_passkey`: the account has none. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "no_passkey";
                    } | {
                        mfa_token?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `mfa_token_invalid`: log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "mfa_token_invalid";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    obtainTokenWithOidc: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginCodeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `oidc_code_invalid` (unknown, used or expired: sign in again), `mfa_required` (with an `mfa_token`, as for `POST /api/token/`) or `no_active_account`. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "no_active_account" | "mfa_required" | "oidc_code_invalid";
                    };
                };
            };
            /** @description Code `oidc_signup_closed` (no account has this identity, OIDC_SIGNUP off), `oidc_link_required` (an account has its verified email: log in there and link it), `email_not_verified`, or in cookie mode `origin_missing`/`origin_not_allowed`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "email_not_verified" | "origin_missing" | "origin_not_allowed" | "oidc_signup_closed" | "oidc_link_required";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    obtainTokenWithPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyAssertionRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        credential?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `passkey_invalid`: the answer does not verify (unknown, deleted or another account's passkey, bad signature, wrong origin or RP ID, no user verification, a counter that went backwards); code `passkey_challenge_invalid`: its challenge is unknown, used or expired: ask for new options. Both count as a failed credential check. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkey_invalid" | "passkey_challenge_invalid";
                    };
                };
            };
            /** @description Code `email_not_verified`: the account's email is not verified yet (only with REQUIRE_EMAIL_VERIFICATION on). With `JWT_REFRESH_COOKIE` on also `origin_missing` or `origin_not_allowed`, as for login. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "email_not_verified" | "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getPasskeyLoginOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyCredentialRequestOptionsJSON"];
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    refreshToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): required, the `csrf_token` of `GET /api/csrf/` (whose `csrftoken` cookie must come along). The request must also carry an `Origin` (or a `Referer`) that is one of `CORS_ALLOWED_ORIGINS` or the API's own. */
                "X-CSRFToken"?: string;
            };
            path?: never;
            cookie?: {
                /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): the refresh token the login or the last refresh set, used when the body has no `refresh`. Ignored otherwise. */
                refresh_token?: string;
            };
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TokenRefreshRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode"): `refresh_token=<refresh token>; Max-Age=<its remaining life>; Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), and the refresh token is never in the body. Set again at every rotation. */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        refresh?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `token_not_valid`: log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "token_not_valid";
                    };
                };
            };
            /** @description With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode") only. Code `csrf_failed` (no `X-CSRFToken`, or one that does not match the `csrftoken` cookie), `origin_missing` (neither Origin nor Referer) or `origin_not_allowed` (an origin that is neither the API's nor one of `CORS_ALLOWED_ORIGINS`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "csrf_failed" | "origin_missing" | "origin_not_allowed";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    verifyToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenVerifyRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        token?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `token_not_valid`: log in again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "token_not_valid";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    listIdentities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Identity"][];
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    startIdentityLink: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkStartRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowStart"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        provider?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description Code `oidc_provider_unknown`: no provider of that name. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "oidc_provider_unknown";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description Code `oidc_provider_unavailable`: the provider did not answer in time; see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    deleteIdentity: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description Code `last_login_method`: the account's last way in. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "last_login_method";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    linkIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginCodeRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Identity"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description Code `oidc_code_invalid`: start linking again. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce" | "oidc_code_invalid";
                    };
                };
            };
            /** @description Code `oidc_identity_taken`: it logs in to another account. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "oidc_identity_taken";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    logoutAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    deleteAccount: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Field errors: a wrong `password` (`wrong_password`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    updateAccount: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedUserRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        email?: string[];
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    regenerateRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpCodeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodes"];
                };
            };
            /** @description Field errors, or `{detail, code}` with code `invalid_code` (wrong or used code) or `mfa_not_enabled`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "mfa_not_enabled" | "invalid_code";
                    } | {
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    startTotpSetup: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ProofRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpSetup"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description Code `mfa_already_enabled`: TOTP is on already (turn it off first), or `conflict`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "mfa_already_enabled";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    disableTotp: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Field errors, or `{detail, code}` with code `invalid_code` (wrong or used code) or `mfa_not_enabled`; a wrong or missing password is a field error of `password`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "mfa_not_enabled" | "invalid_code";
                    } | {
                        password?: string[];
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    confirmTotpSetup: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpConfirmRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecoveryCodes"];
                };
            };
            /** @description Field errors, or `{detail, code}` with code `invalid_code` or `mfa_setup_not_started` (none pending, or over an hour old). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "mfa_setup_not_started" | "invalid_code";
                    } | {
                        password?: string[];
                        code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description Code `mfa_already_enabled`: TOTP is on already (turn it off first), or `conflict`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "mfa_already_enabled";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    listPasskeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Passkey"][];
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    deletePasskey: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description Code `last_login_method`, or `conflict`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "last_login_method";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    updatePasskey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedPasskeyRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Passkey"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        name?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    registerPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyRegisterRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Passkey"];
                };
            };
            /** @description Field errors, or `{detail, code}`. Code `passkey_invalid`: the answer does not verify (unknown, deleted or another account's passkey, bad signature, wrong origin or RP ID, no user verification, a counter that went backwards); code `passkey_challenge_invalid`: its challenge is unknown, used or expired: ask for new options. Both count as a failed credential check. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "passkey_invalid" | "passkey_challenge_invalid";
                    } | {
                        credential?: string[];
                        name?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description Code `passkey_already_registered`, `too_many_passkeys`, or `conflict`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "too_many_passkeys" | "passkey_already_registered";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    getPasskeyRegistrationOptions: {
        parameters: {
            query?: never;
            header?: {
                /** @description A step-up token from `POST /api/user/reauthenticate/`, from this session and at most REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`. */
                "X-Reauth-Token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ProofRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyCredentialCreationOptionsJSON"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `reauthentication_required`: no proof, or a step-up token that expired or is of another session. Reauthenticate, then send the request again. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "reauthentication_required";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description Code `too_many_passkeys`, or `conflict`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict" | "too_many_passkeys";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChangeRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the answer's `DPoP-Nonce`. Nothing is issued or ended. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_dpop_proof" | "use_dpop_nonce";
                    } | {
                        old_password?: string[];
                        new_password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    requestPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailRequestRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkAccepted"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        email?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    confirmPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetConfirmRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `{detail, code}` with code `invalid_token` (wrong, used, another account's, or made up) or `token_expired`; or field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_token" | "token_expired";
                    } | {
                        uid?: string[];
                        token?: string[];
                        new_password?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    reauthenticate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReauthenticateRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReauthToken"];
                };
            };
            /** @description Field errors (a wrong `password`), or code `invalid_code` (a wrong or used code), `mfa_not_enabled` (a code, and TOTP is off), `passkey_invalid` (a passkey's answer that does not verify), `passkey_challenge_invalid` (ask for new options) or `oidc_code_invalid` (a provider's step-up code that is unknown, used, expired, or of another session: sign in at the provider again). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "mfa_not_enabled" | "invalid_code" | "passkey_invalid" | "passkey_challenge_invalid" | "oidc_code_invalid";
                    } | {
                        password?: string[];
                        code?: string[];
                        credential?: string[];
                        oidc_code?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: a passkey's answer, and this server has no passkeys. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    startOidcReauthentication: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReauthStartRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowStart"];
                };
            };
            /** @description Code `oidc_no_identity`: no account of the caller's is linked at this provider. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "oidc_no_identity";
                    } | {
                        provider?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `oidc_provider_unknown`: no provider of that name. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "oidc_provider_unknown";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description Code `oidc_provider_unavailable`: the provider did not answer in time; see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getReauthPasskeyOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicKeyCredentialRequestOptionsJSON"];
                };
            };
            /** @description Code `no_passkey`: the account has none. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "no_passkey";
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description Code `passkeys_disabled`: this server has no passkeys (WEBAUTHN_RP_ID unset). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "passkeys_disabled";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    registerUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Register"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        username?: string[];
                        password?: string[];
                        email?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    listSecurityEvents: {
        parameters: {
            query?: {
                /** @description The pagination cursor value. */
                cursor?: string;
                /** @description Number of results to return per page. */
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedSecurityEventList"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cursor?: string[];
                    };
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"][];
                };
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request's credentials are missing or no longer good. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_authenticated" | "bad_authorization_header" | "token_not_valid" | "invalid_dpop_proof" | "use_dpop_nonce";
                    };
                };
            };
            /** @description No such object for this user. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "not_found";
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    verifyEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LinkRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `{detail, code}` with code `invalid_token` (wrong, used, another account's, or made up) or `token_expired`; or field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error" | "invalid_token" | "token_expired";
                    } | {
                        uid?: string[];
                        token?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
    resendVerificationEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailRequestRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkAccepted"];
                };
            };
            /** @description The request cannot be done as it stands: see the code, or the field errors. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "parse_error";
                    } | {
                        email?: string[];
                        non_field_errors?: string[];
                    };
                };
            };
            /** @description The write collided with another made at the same moment (`conflict`): safe to retry. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "conflict";
                    };
                };
            };
            /** @description The body is over the size limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description The body is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests or failed attempts: wait `Retry-After` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The database, or a sign-in provider, cannot be reached: retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description For people: may change between releases. */
                        detail: string;
                        /**
                         * @description For programs: stable.
                         * @enum {string}
                         */
                        code: "service_unavailable";
                    };
                };
            };
        };
    };
}
