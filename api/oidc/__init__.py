"""Sign-in with OpenID Connect providers (docs/accounts.md, "Sign in with OpenID Connect")."""
