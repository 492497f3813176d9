"""Two-factor login (docs/mfa.md): TOTP setup and its recovery codes, the second login step, and
the answers logins and step-up ask of the second factor."""
