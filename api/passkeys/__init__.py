"""Passkeys (WebAuthn; docs/security.md, "Passkeys"): registering and managing them, passwordless
login, the second factor of a two-factor login, and step-up. Checked by Duo's py_webauthn."""
