// What the browser suites share: Debian's Chromium and how to start it, a static page server on
// a free port (as a frontend dev server would serve the page), and small HTTP helpers.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

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

const CONTENT_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * Starts a server for the files of `publicDir` (plus `routes`, URL path → file) on `host`:`port`
 * (port 0: one the OS finds free). `notFound` is the body of a 404, HTML so that a page can
 * still run script there. Resolves to the listening server.
 */
export async function startStaticServer({ publicDir, routes = {}, host = '127.0.0.1', port = 0, notFound = 'not found' }) {
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://page.invalid');
    const routed = routes[pathname];
    const file = routed ?? path.join(publicDir, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!routed && !file.startsWith(publicDir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
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
