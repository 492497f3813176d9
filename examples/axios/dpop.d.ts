// Types of dpop.js: DPoP proofs (RFC 9449) signed with a non-extractable WebCrypto key.
import type { AxiosInstance, AxiosResponseHeaders, RawAxiosResponseHeaders } from 'axios';

/** Where the key pair lives: IndexedDB (indexedDbKeyStore()), memory, or your own. */
export interface DpopKeyStore {
  get(): Promise<CryptoKeyPair | null>;
  set(pair: CryptoKeyPair): Promise<void>;
  clear(): Promise<void>;
}

export function memoryKeyStore(): DpopKeyStore;
export function indexedDbKeyStore(options?: { databaseName?: string; indexedDB?: IDBFactory }): DpopKeyStore;

export interface DpopSigner {
  /** A proof for one request; `accessToken` adds its hash (`ath`). */
  proof(method: string, url: string, accessToken?: string): Promise<string>;
  rememberNonce(url: string, headers: AxiosResponseHeaders | RawAxiosResponseHeaders | undefined): void;
  /** Forgets the key (and the nonces): the next proof signs with a new one. */
  forget(): Promise<void>;
  publicJwk(): Promise<{ kty: string; crv: string; x: string; y: string }>;
}

export function dpopSigner(options?: { keyStore?: DpopKeyStore; crypto?: Crypto }): DpopSigner;
export function proofUrl(url: string): string;
export function needsNonce(error: unknown): boolean;
export function signRequests(client: AxiosInstance, signer: DpopSigner): void;
