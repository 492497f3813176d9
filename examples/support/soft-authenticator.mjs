// A software authenticator and browser for the Node tests of the reference client's passkeys: it
// stands in for navigator.credentials (create and get, conditional mediation too) and for
// PublicKeyCredential's JSON helpers, so that the client runs its real ceremonies against the live
// server. An ES256 key of Node's WebCrypto per passkey, attestation "none", CBOR by hand: the
// server checks bytes that its own library did not make.
//
// What a browser checks before the authenticator is asked, this does too (the RP ID against the
// page's origin, excluded and allowed credentials, ES256 offered), with the browser's errors.
// Each instance is one device on one page's origin; `clone()` copies its passkeys to another
// device, as an attacker who extracted the keys would, counters and all.
import { webcrypto } from 'node:crypto';

const { subtle } = webcrypto;

const ES256 = -7;
// authenticatorData flags (WebAuthn §6.1).
const USER_PRESENT = 0x01;
const USER_VERIFIED = 0x04;
const ATTESTED_DATA = 0x40;

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const unb64url = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const bytesOf = (source) =>
  source instanceof ArrayBuffer
    ? new Uint8Array(source)
    : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
// A fresh ArrayBuffer, as the browser's JSON helpers and credentials hand out.
const bufferOf = (bytes) => Uint8Array.from(bytes).buffer;
const concat = (...parts) => Uint8Array.from(parts.flatMap((part) => [...part]));
const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));

// --- CBOR (RFC 8949), the little of it that an attestation object and a COSE key use ----------

function cborHead(major, value) {
  if (value < 24) return [(major << 5) | value];
  if (value < 0x100) return [(major << 5) | 24, value];
  if (value < 0x10000) return [(major << 5) | 25, value >> 8, value & 0xff];
  return [(major << 5) | 26, (value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** Integers, byte strings (Uint8Array), text strings and maps (Map, or an object of text keys). */
export function cbor(value) {
  if (Number.isInteger(value)) return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (value instanceof Uint8Array) return [...cborHead(2, value.length), ...value];
  if (typeof value === 'string') {
    const utf8 = new TextEncoder().encode(value);
    return [...cborHead(3, utf8.length), ...utf8];
  }
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return [...cborHead(5, entries.length), ...entries.flatMap(([key, item]) => [...cbor(key), ...cbor(item)])];
}

// WebCrypto signs ECDSA as r || s; WebAuthn wants the ASN.1 DER SEQUENCE of two INTEGERs.
function derSignature(raw) {
  const integer = (bytes) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const body = bytes[start] & 0x80 ? [0, ...bytes.slice(start)] : [...bytes.slice(start)];
    return [0x02, body.length, ...body];
  };
  const body = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

// --- What the browser hands the page ----------------------------------------------------------

class AttestationResponse {
  constructor({ clientDataJSON, attestationObject, authenticatorData, publicKey }) {
    Object.assign(this, { clientDataJSON, attestationObject, authenticatorData, publicKey });
  }

  getTransports() {
    return ['internal', 'hybrid'];
  }

  getAuthenticatorData() {
    return this.authenticatorData;
  }

  getPublicKey() {
    return this.publicKey;
  }

  getPublicKeyAlgorithm() {
    return ES256;
  }
}

class AssertionResponse {
  constructor({ clientDataJSON, authenticatorData, signature, userHandle }) {
    Object.assign(this, { clientDataJSON, authenticatorData, signature, userHandle });
  }
}

/** PublicKeyCredential as WebAuthn Level 3 has it: the JSON helpers, and toJSON(). */
export class SoftPublicKeyCredential {
  constructor({ rawId, response }) {
    this.id = b64url(rawId);
    this.rawId = bufferOf(rawId);
    this.type = 'public-key';
    this.authenticatorAttachment = 'platform';
    this.response = response;
  }

  getClientExtensionResults() {
    return {};
  }

  toJSON() {
    const { response } = this;
    const common = {
      id: this.id,
      rawId: this.id,
      type: this.type,
      authenticatorAttachment: this.authenticatorAttachment,
      clientExtensionResults: this.getClientExtensionResults(),
    };
    if (response instanceof AttestationResponse) {
      return {
        ...common,
        response: {
          clientDataJSON: b64url(response.clientDataJSON),
          attestationObject: b64url(response.attestationObject),
          authenticatorData: b64url(response.getAuthenticatorData()),
          transports: response.getTransports(),
          publicKey: b64url(response.getPublicKey()),
          publicKeyAlgorithm: response.getPublicKeyAlgorithm(),
        },
      };
    }
    return {
      ...common,
      response: {
        clientDataJSON: b64url(response.clientDataJSON),
        authenticatorData: b64url(response.authenticatorData),
        signature: b64url(response.signature),
        ...(response.userHandle && { userHandle: b64url(response.userHandle) }),
      },
    };
  }

  static parseCreationOptionsFromJSON(json) {
    return {
      ...json,
      challenge: bufferOf(unb64url(json.challenge)),
      user: { ...json.user, id: bufferOf(unb64url(json.user.id)) },
      excludeCredentials: (json.excludeCredentials ?? []).map((entry) => ({
        ...entry,
        id: bufferOf(unb64url(entry.id)),
      })),
    };
  }

  static parseRequestOptionsFromJSON(json) {
    return {
      ...json,
      challenge: bufferOf(unb64url(json.challenge)),
      allowCredentials: (json.allowCredentials ?? []).map((entry) => ({ ...entry, id: bufferOf(unb64url(entry.id)) })),
    };
  }

  static async isConditionalMediationAvailable() {
    return true;
  }
}

const browserError = (name, message) => new DOMException(message, name);

// --- The device -------------------------------------------------------------------------------

export class SoftAuthenticator {
  /**
   * @param {object} options
   * @param {string} options.origin the origin of the page that calls it, e.g. http://app.localhost
   */
  constructor({ origin }) {
    this.origin = origin;
    /** Its passkeys: {credentialId: Uint8Array, rpId, userHandle: Uint8Array, keys, counter}. */
    this.passkeys = [];
    /** Every call the page made: {method, mediation, publicKey}. */
    this.calls = [];
    this.waiting = null;
    this.waiters = [];
  }

  /** Another device holding copies of this one's passkeys, counters and all. */
  clone({ origin = this.origin } = {}) {
    const copy = new SoftAuthenticator({ origin });
    copy.passkeys = this.passkeys.map((passkey) => ({ ...passkey }));
    return copy;
  }

  // The RP ID a page of this origin may use: its host, or a registrable suffix of it.
  checkRpId(rpId) {
    const host = new URL(this.origin).hostname;
    const id = rpId ?? host;
    if (host !== id && !host.endsWith(`.${id}`))
      throw browserError('SecurityError', `${id} is not a valid RP ID for ${this.origin}`);
    return id;
  }

  clientData(type, challenge) {
    return new TextEncoder().encode(
      JSON.stringify({ type, challenge: b64url(bytesOf(challenge)), origin: this.origin, crossOrigin: false }),
    );
  }

  async authenticatorData(rpId, passkey, attested) {
    const flags = USER_PRESENT | USER_VERIFIED | (attested ? ATTESTED_DATA : 0);
    const counter = new Uint8Array(4);
    new DataView(counter.buffer).setUint32(0, passkey.counter);
    const head = concat(await sha256(new TextEncoder().encode(rpId)), [flags], counter);
    if (!attested) return head;
    const raw = new Uint8Array(await subtle.exportKey('raw', passkey.keys.publicKey));
    const coseKey = cbor(
      new Map([
        [1, 2],
        [3, ES256],
        [-1, 1],
        [-2, raw.slice(1, 33)],
        [-3, raw.slice(33)],
      ]),
    );
    const length = [passkey.credentialId.length >> 8, passkey.credentialId.length & 0xff];
    return concat(head, new Uint8Array(16), length, passkey.credentialId, coseKey);
  }

  // As the browser: one request at a time, a waiting conditional one included.
  record(method, options) {
    this.calls.push({ method, mediation: options.mediation, publicKey: options.publicKey });
    if (this.waiting) throw browserError('OperationError', 'A request is already pending.');
  }

  /** navigator.credentials.create({publicKey}): a new discoverable passkey on this device. */
  async create(options) {
    this.record('create', options);
    const { publicKey, signal } = options;
    if (signal?.aborted) throw signal.reason;
    const rpId = this.checkRpId(publicKey.rp.id);
    if (!publicKey.pubKeyCredParams.some(({ alg }) => alg === ES256))
      throw browserError('NotSupportedError', 'no ES256');
    const excluded = (publicKey.excludeCredentials ?? []).map(({ id }) => b64url(bytesOf(id)));
    if (this.passkeys.some((passkey) => passkey.rpId === rpId && excluded.includes(b64url(passkey.credentialId)))) {
      throw browserError('InvalidStateError', 'The authenticator holds one of the excluded credentials.');
    }
    const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const passkey = {
      credentialId: webcrypto.getRandomValues(new Uint8Array(32)),
      rpId,
      userHandle: bytesOf(publicKey.user.id).slice(),
      keys,
      counter: 0,
    };
    const authenticatorData = await this.authenticatorData(rpId, passkey, true);
    this.passkeys.push(passkey);
    const attestationObject = new Uint8Array(cbor({ fmt: 'none', attStmt: {}, authData: authenticatorData }));
    return new SoftPublicKeyCredential({
      rawId: passkey.credentialId,
      response: new AttestationResponse({
        clientDataJSON: bufferOf(this.clientData('webauthn.create', publicKey.challenge)),
        attestationObject: bufferOf(attestationObject),
        authenticatorData: bufferOf(authenticatorData),
        publicKey: bufferOf(new Uint8Array(await subtle.exportKey('spki', keys.publicKey))),
      }),
    });
  }

  /**
   * navigator.credentials.get({publicKey, mediation}). A modal request answers at once with the
   * one passkey that fits (the user touches the sensor); a conditional one waits until the user
   * picks a passkey from the autofill (`pick()`), or its signal aborts.
   */
  async get(options) {
    this.record('get', options);
    const { publicKey, signal, mediation } = options;
    if (signal?.aborted) throw signal.reason;
    const rpId = this.checkRpId(publicKey.rpId);
    const allowed = (publicKey.allowCredentials ?? []).map(({ id }) => b64url(bytesOf(id)));
    const candidates = this.passkeys.filter(
      (passkey) => passkey.rpId === rpId && (allowed.length === 0 || allowed.includes(b64url(passkey.credentialId))),
    );
    if (mediation === 'conditional') await this.userPicks(signal);
    if (candidates.length === 0) throw browserError('NotAllowedError', 'No passkey of this device fits the request.');
    const [passkey] = candidates;
    passkey.counter += 1;
    const clientDataJSON = this.clientData('webauthn.get', publicKey.challenge);
    const authenticatorData = await this.authenticatorData(rpId, passkey, false);
    const signed = concat(authenticatorData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, passkey.keys.privateKey, signed));
    return new SoftPublicKeyCredential({
      rawId: passkey.credentialId,
      response: new AssertionResponse({
        clientDataJSON: bufferOf(clientDataJSON),
        authenticatorData: bufferOf(authenticatorData),
        signature: bufferOf(derSignature(raw)),
        userHandle: bufferOf(passkey.userHandle),
      }),
    });
  }

  userPicks(signal) {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting = null;
        reject(signal.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting = () => {
        signal?.removeEventListener('abort', onAbort);
        this.waiting = null;
        resolve();
      };
      for (const waiter of this.waiters.splice(0)) waiter();
    });
  }

  /** Resolves once a conditional request waits for the user (the autofill is offered). */
  async offered() {
    if (!this.waiting) await new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The user picks the passkey from the autofill of the waiting conditional request. */
  pick() {
    if (!this.waiting) throw new Error('no conditional request is waiting');
    this.waiting();
  }

  get pending() {
    return this.waiting !== null;
  }
}
