// What the browser suites share: Debian's Chromium and how to start it, a static page server on
// a free port (as a frontend dev server would serve the page), and small HTTP helpers.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking switches Chromium keeps calling Google's hosts, which a
// machine without Internet access refuses many times over.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// For pages at http://localhost:<port> talking to an API at http://localhost:<another port>: every
// server here listens on 127.0.0.1 only, and without this Chromium may try ::1 first, where
// something else could listen on the same port number.
export const LOCALHOST_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--host-resolver-rules=MAP localhost 127.0.0.1'];

const AXIOS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'axios');
// A page that imports the reference client itself, and axios's browser build, from the Axios suite.
export const CLIENT_ROUTES = {
  '/api.js': path.join(AXIOS_DIR, 'api.js'),
  '/passkeys.js': path.join(AXIOS_DIR, 'passkeys.js'),
  '/oidc.js': path.join(AXIOS_DIR, 'oidc.js'),
  '/account.js': path.join(AXIOS_DIR, 'account.js'),
  '/dpop.js': path.join(AXIOS_DIR, 'dpop.js'),
  '/vendor/axios.js': path.join(AXIOS_DIR, 'node_modules', 'axios', 'dist', 'esm', 'axios.js'),
};

/** Throws unless the Axios suite's dependencies are installed (its node_modules serve the page). */
export async function assertClientInstalled() {
  for (const file of Object.values(CLIENT_ROUTES)) {
    try {
      await readFile(file);
    } catch {
      throw new Error(`${file} is missing: run npm ci in ${AXIOS_DIR} first`);
    }
  }
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Starts a server for the files of `publicDir` (plus `routes`, URL path → file) on `host`:`port`
 * (port 0: one the OS finds free). `notFound` is the body of a 404, HTML so that a page can
 * still run script there. With `fallback` (a file), a missing path without an extension gets
 * that file instead, as a single-page app's host answers its client-side routes. Resolves to
 * the listening server.
 */
export async function startStaticServer({
  publicDir,
  routes = {},
  host = '127.0.0.1',
  port = 0,
  notFound = 'not found',
  fallback = null,
}) {
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://page.invalid');
    const routed = routes[pathname];
    const file = routed ?? path.join(publicDir, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!routed && !file.startsWith(publicDir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    const send = async (served) => {
      const body = await readFile(served);
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(served)] ?? 'application/octet-stream' });
      response.end(body);
    };
    try {
      await send(file);
    } catch {
      if (fallback && !path.extname(pathname)) {
        try {
          await send(fallback);
          return;
        } catch {
          // fall through to the 404
        }
      }
      response.writeHead(404, { 'Content-Type': CONTENT_TYPES['.html'] }).end(notFound);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

export function closeServer(server) {
  // Idle keep-alive connections would hold close() open.
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** POSTs JSON; resolves to `{status, body}`. Bounded by `timeoutMs`. */
export async function postJson(url, body, headers = {}, timeoutMs = 30_000) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.json() };
}

/**
 * What a suite needs whose page runs the reference client: the page at http://localhost:<port>
 * (`publicDir`, with the client's routes), two live APIs at http://localhost:<other ports> that
 * allow that origin, the second in refresh cookie mode on plain HTTP, and Chromium (`chromium`
 * from the suite's playwright-core). `env(appOrigin)` adds server settings. Resolves to
 * `{appOrigin, apiBase, cookieApiBase, browser, stop()}`; stop() ends whatever was started.
 */
export async function startClientRig({ chromium, publicDir, env = () => ({}) }) {
  const { startLiveServer } = await import('./live-server.mjs');
  await assertClientInstalled();
  const started = [];
  const stop = () => Promise.allSettled(started.map((end) => end()));
  try {
    const pageServer = await startStaticServer({ publicDir, routes: CLIENT_ROUTES });
    started.push(() => closeServer(pageServer));
    const appOrigin = `http://localhost:${pageServer.address().port}`;
    const common = { CORS_ALLOWED_ORIGINS: appOrigin, ...env(appOrigin) };
    const servers = await Promise.allSettled([
      startLiveServer({ env: common }),
      // Plain HTTP: a Secure cookie would never come back.
      startLiveServer({ env: { ...common, JWT_REFRESH_COOKIE: 'true', JWT_REFRESH_COOKIE_SECURE: 'false' } }),
    ]);
    for (const server of servers) if (server.status === 'fulfilled') started.push(() => server.value.stop());
    const [api, cookieApi] = servers.map((server) => {
      if (server.status === 'rejected') throw server.reason;
      return server.value;
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: LOCALHOST_CHROMIUM_ARGS,
      timeout: 60_000,
    });
    started.unshift(() => browser.close());
    const localhost = (server) => `http://localhost:${new URL(server.baseURL).port}`;
    return { appOrigin, apiBase: localhost(api), cookieApiBase: localhost(cookieApi), browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
