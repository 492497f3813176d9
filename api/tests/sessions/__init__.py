"""Tests of login sessions and tokens: login, refresh, revocation, lockout, the JWK Set."""
