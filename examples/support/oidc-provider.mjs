// The backend's test OpenID provider (api/tests/oidc_provider/: django-oauth-toolkit with OpenID
// Connect on and PKCE required) as a process of its own on a free port, for the client suites'
// provider sign-ins. Its authorize page answers at once for the user its control endpoint signs
// in, so a test (or a browser) follows one redirect there and is back at the API's callback.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BOOT_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

export const CLIENT_ID = 'notes-api';
export const CLIENT_SECRET = 'a-client-secret-for-the-tests-only';
// Loopback redirect URIs match on any port (RFC 8252, section 7.3), and the API builds its
// callback from the request: these fit an API on any port, reached by either name.
const REDIRECT_URIS = ['127.0.0.1', 'localhost'].map((host) => `http://${host}/api/oidc/test/callback/`);

/** The API's environment for the provider as `test` (plus the page the callback ends on). */
export function oidcEnv(provider, frontendCallback) {
  return {
    OIDC_PROVIDERS: 'test',
    OIDC_TEST_ISSUER: provider.issuer,
    OIDC_TEST_CLIENT_ID: CLIENT_ID,
    OIDC_TEST_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_TEST_DISPLAY_NAME: 'Test IdP',
    OIDC_FRONTEND_CALLBACK_URL: frontendCallback,
    OIDC_SIGNUP: 'true',
  };
}

function kill(child) {
  try {
    // Its own process group: whatever it started goes too.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * Starts the provider; resolves to `{issuer, port, control(body), signIn(user), stop()}`.
 * `control` posts to its /control/ endpoint (`{user: {username, email}, email_verified, claims,
 * deny}`, `deny` sending the browser back with `access_denied` as a user who cancels there);
 * `signIn(user)` makes that user the one signed in at its authorize page.
 */
export async function startOidcProvider({ backendDir = process.env.BACKEND_DIR ?? REPO_ROOT } = {}) {
  const venvPython = path.join(backendDir, 'env', 'bin', 'python');
  const python = existsSync(venvPython) ? venvPython : 'python3';
  const child = spawn(
    python,
    ['-m', 'api.tests.oidc_provider.serve', CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS.join(' ')],
    { cwd: backendDir, env: { ...process.env, PYTHONUNBUFFERED: '1' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const onExit = () => kill(child);
  process.once('exit', onExit);
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors = (errors + chunk).slice(-4000);
  });

  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    kill(child);
    await exited;
  };

  let port;
  try {
    port = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      const timer = setTimeout(() => reject(new Error('the test provider did not start in time')), BOOT_TIMEOUT_MS);
      const fail = (why) => {
        clearTimeout(timer);
        reject(new Error(`the test provider did not start: ${why}\n${errors}`));
      };
      child.once('error', (error) => fail(error.message));
      child.once('exit', (code, signal) => fail(`exited with ${code ?? signal}`));
      lines.once('line', (line) => {
        clearTimeout(timer);
        if (/^\d+$/.test(line.trim())) resolve(Number(line));
        else fail(JSON.stringify(line));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  // Nothing more is read from it; unread output must not fill the pipe.
  child.stdout.resume();

  const origin = `http://127.0.0.1:${port}`;
  async function control(body) {
    const response = await fetch(`${origin}/control/`, {
      method: 'POST',
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`the provider's control answered ${response.status}`);
    return response.json();
  }

  return {
    issuer: `${origin}/o`,
    port,
    control,
    /** An honest provider whose signed-in user is `username` (with `email`, verified if given). */
    signIn: ({ username, email = '' }) =>
      control({ user: { username, email }, email_verified: Boolean(email), claims: {}, deny: false }),
    stop,
  };
}
