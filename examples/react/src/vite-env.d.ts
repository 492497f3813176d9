/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's origin, e.g. http://localhost:8000 (in .env.local). */
  readonly VITE_API_URL?: string;
  /** How the tokens travel: bearer (default), cookie (JWT_REFRESH_COOKIE=true on the server) or dpop. */
  readonly VITE_TOKEN_MODE?: 'bearer' | 'cookie' | 'dpop';
}
