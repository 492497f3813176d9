"""A software authenticator for the tests: what a browser and a platform authenticator send back
to this server's WebAuthn options, built from first principles with `cryptography` (an ES256 key)
and `cbor2` (the attestation object and the COSE key), so the server's library is tested against
bytes it did not make itself.

Each ceremony can be bent one way (another origin, RP ID, challenge, counter, no user
verification) to test that the server refuses exactly that.
"""

import base64
import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "http://localhost:5173"
RP_ID = "localhost"

# authenticatorData flags (WebAuthn §6.1).
USER_PRESENT = 0x01
USER_VERIFIED = 0x04
BACKUP_ELIGIBLE = 0x08
BACKED_UP = 0x10
ATTESTED_DATA = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey (credential) on one authenticator, with its own signature counter.

    `counter_step` 0 is an authenticator that keeps no counter (it always says 0), as synced
    passkeys do; `synced` sets the backup flags."""

    def __init__(self, *, counter_step: int = 1, synced: bool = False, rp_id: str = RP_ID) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.counter = 0
        self.counter_step = counter_step
        self.synced = synced
        self.rp_id = rp_id
        self.user_handle: str | None = None

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )

    def _flags(self, *, verified: bool, attested: bool) -> int:
        flags = USER_PRESENT | (USER_VERIFIED if verified else 0) | (ATTESTED_DATA if attested else 0)
        return flags | (BACKUP_ELIGIBLE | BACKED_UP if self.synced else 0)

    def _authenticator_data(self, *, rp_id: str, verified: bool, counter: int, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest()
        data += bytes([self._flags(verified=verified, attested=attested)]) + struct.pack(">I", counter)
        if attested:
            aaguid = bytes(16)
            data += (
                aaguid + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
            )
        return data

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False},
            separators=(",", ":"),
        ).encode()

    def create(
        self,
        options: dict,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        verified: bool = True,
        challenge: str | None = None,
    ) -> dict:
        """`RegistrationResponseJSON` for creation options, as `credential.toJSON()` gives it."""
        self.user_handle = options["user"]["id"]
        auth_data = self._authenticator_data(
            rp_id=rp_id or options["rp"].get("id", self.rp_id),
            verified=verified,
            counter=self.counter,
            attested=True,
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", challenge or options["challenge"], origin)
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal", "hybrid"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        verified: bool = True,
        challenge: str | None = None,
        counter: int | None = None,
        with_user_handle: bool = True,
    ) -> dict:
        """`AuthenticationResponseJSON` for request options; the counter moves on by
        `counter_step` unless `counter` says what to sign."""
        if counter is None:
            self.counter += self.counter_step
            counter = self.counter
        auth_data = self._authenticator_data(
            rp_id=rp_id or options.get("rpId", self.rp_id), verified=verified, counter=counter, attested=False
        )
        client_data = self._client_data("webauthn.get", challenge or options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": self.user_handle if with_user_handle else None,
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }


# --- The ceremonies through the API -----------------------------------------------------------


def registration_options(client, **proof) -> dict:
    """Creation options for the client's user, with the password as the fresh proof by default."""
    from api.tests.conftest import PASSWORD

    body = proof or {"password": PASSWORD}
    response = client.post("/api/user/passkeys/register/options/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def register_passkey(client, authenticator: SoftAuthenticator, *, name: str | None = None) -> dict:
    """Register a passkey on `authenticator` for the client's user; the 201 answer's body."""
    answer = authenticator.create(registration_options(client))
    body = {"credential": answer} if name is None else {"credential": answer, "name": name}
    response = client.post("/api/user/passkeys/register/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def login_options(client) -> dict:
    response = client.post("/api/token/passkey/options/")
    assert response.status_code == 200, response.content
    return response.json()


def passkey_login(client, answer: dict, **headers):
    return client.post("/api/token/passkey/", {"credential": answer}, format="json", **headers)


def stored_passkey(user, authenticator: SoftAuthenticator, **fields):
    """`authenticator`'s passkey stored for `user` directly, as a registration would store it."""
    from django.utils import timezone

    from api.models import Passkey, User

    if user.passkey_user_handle is None:
        user.passkey_user_handle = b64url(secrets.token_bytes(32))
        User.objects.filter(pk=user.pk).update(passkey_user_handle=user.passkey_user_handle)
    authenticator.user_handle = user.passkey_user_handle
    return Passkey.objects.create(
        user=user,
        credential_id=authenticator.id,
        public_key=authenticator._cose_key(),
        name="Passkey",
        transports=["internal"],
        created_at=timezone.now(),
        **fields,
    )
