// Gives the client tests a live API: the one named by API_BASE_URL, or a
// Django development server started here on a throwaway SQLite database.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PORT_RANGE = [8100, 8199];

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function freePort() {
  const [low, high] = PORT_RANGE;
  // A random starting point keeps two suites started together from racing for the same port.
  const span = high - low + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i += 1) {
    const port = low + ((start + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${low}-${high}`);
}

function run(command, args, options, logStream) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(logStream, { end: false });
    child.stderr.pipe(logStream, { end: false });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

async function waitUntilServing(baseURL, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runserver exited with ${child.exitCode}`);
    try {
      // Any HTTP answer (a 401 here) means Django is up.
      await fetch(`${baseURL}/api/notes/`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`server at ${baseURL} did not answer within ${timeoutMs} ms`);
}

async function tail(file, lines = 40) {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * @param {{env?: Record<string, string>}} [options] extra server environment,
 *        ignored when API_BASE_URL points at a server someone else started
 * @returns {Promise<{baseURL: string, stop(): Promise<void>}>}
 */
export async function startLiveServer({ env = {} } = {}) {
  if (process.env.API_BASE_URL) {
    return { baseURL: process.env.API_BASE_URL.replace(/\/+$/, ''), stop: async () => {} };
  }

  const backendDir = path.resolve(process.env.BACKEND_DIR ?? REPO_ROOT);
  const venvPython = path.join(backendDir, 'env', 'bin', 'python');
  const python = existsSync(venvPython) ? venvPython : 'python3';
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'notes-api-'));
  const logFile = path.join(workDir, 'server.log');
  const log = createWriteStream(logFile);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  const serverEnv = {
    ...process.env,
    PYTHONUNBUFFERED: '1',
    DJANGO_DEBUG: 'true',
    DJANGO_ALLOWED_HOSTS: '127.0.0.1,localhost',
    DATABASE_URL: `sqlite:///${path.join(workDir, 'db.sqlite3')}`,
    // Short enough for a test to watch an access token expire.
    JWT_ACCESS_TOKEN_LIFETIME: '2',
    // The suites log in more often than the production rate allows.
    AUTH_THROTTLE_RATE: '1000/min',
    ...env,
  };
  const spawnOptions = { cwd: backendDir, env: serverEnv };

  let child;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    await run(python, ['manage.py', 'migrate', '--noinput'], spawnOptions, log);
    child = spawn(python, ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
      ...spawnOptions,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    // Never leave a server behind, even when the test process dies abruptly.
    process.once('exit', () => child.kill('SIGKILL'));
    await waitUntilServing(baseURL, child, 60_000);
  } catch (error) {
    const output = await tail(logFile);
    await stop();
    throw new Error(`${error.message} (backend: ${backendDir})\n--- server output ---\n${output}`);
  }

  return { baseURL, stop, logFile };
}
