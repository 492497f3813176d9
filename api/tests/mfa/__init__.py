"""Tests of two-factor login: TOTP setup, recovery codes, the second login step."""
