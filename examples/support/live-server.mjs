// Gives the client tests a live API: the one named by API_BASE_URL, or a
// Django development server started here on a throwaway SQLite database.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Migrations and Django's start-up share the machine with whatever else is running on it.
const STARTUP_TIMEOUT_MS = 120_000;
// The port is free when the OS hands it out, but another process may bind it before runserver does.
const PORT_ATTEMPTS = 5;

const children = new Set();
const workDirs = new Set();

/** Signals a child and whatever it started: each one leads a process group of its own. */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has exited already.
  }
}

/** What stop() does, for a process that is ending now and cannot wait for it. */
function abandonAll() {
  for (const child of children) signalGroup(child, 'SIGKILL');
  children.clear();
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  workDirs.clear();
}

let processHooked = false;

function hookProcess() {
  if (processHooked) return;
  processHooked = true;
  // Never leave a server behind, even when the tests end without stopping it.
  process.once('exit', abandonAll);
  // In groups of their own, the servers miss the signal that stops the tests (Ctrl-C, a timeout,
  // the test runner giving up on a file): pass it on, then end the way the signal would have.
  // Kept installed: with none, a second signal arriving meanwhile would end the process halfway.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      abandonAll();
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}

/** A child in its own process group, so that stopping it also stops anything it started. */
function spawnGroup(command, args, options, logStream) {
  hookProcess();
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  if (child.pid !== undefined) {
    children.add(child);
    child.once('exit', () => children.delete(child));
  }
  return child;
}

/** A port that the OS has just found free: runserver cannot report one that it chose itself. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(command, args, options, logStream, deadline) {
  return new Promise((resolve, reject) => {
    const child = spawnGroup(command, args, options, logStream);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, deadline - Date.now());
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (timedOut) reject(new Error(`${command} ${args.join(' ')} did not finish in time`));
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`));
    });
  });
}

async function waitUntilServing(baseURL, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`runserver exited with ${child.exitCode ?? child.signalCode}`);
    }
    try {
      // Any HTTP answer (a 401 here) means Django is up.
      const response = await fetch(`${baseURL}/api/notes/`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`server at ${baseURL} did not answer within ${STARTUP_TIMEOUT_MS} ms`);
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

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const backendDir = path.resolve(process.env.BACKEND_DIR ?? REPO_ROOT);
  const venvPython = path.join(backendDir, 'env', 'bin', 'python');
  const python = existsSync(venvPython) ? venvPython : 'python3';
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'notes-api-'));
  workDirs.add(workDir);
  const logFile = path.join(workDir, 'server.log');
  const log = createWriteStream(logFile);

  const serverEnv = {
    ...process.env,
    PYTHONUNBUFFERED: '1',
    DJANGO_DEBUG: 'true',
    DJANGO_ALLOWED_HOSTS: '127.0.0.1,localhost',
    DATABASE_URL: `sqlite:///${path.join(workDir, 'db.sqlite3')}`,
    // Beside the database, so that it goes with the work directory (by default it is in /dev/shm).
    DPOP_REPLAY_DIR: path.join(workDir, 'dpop-proofs'),
    // Short enough for a test to watch an access token expire.
    JWT_ACCESS_TOKEN_LIFETIME: '2',
    // The suites log in more often than the production rate allows.
    AUTH_THROTTLE_RATE: '1000/min',
    // Tests never ask the real breached-password API (docs/development.md).
    PWNED_PASSWORDS_CHECK: 'false',
    ...env,
  };
  const spawnOptions = { cwd: backendDir, env: serverEnv };

  let child;
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        signalGroup(child, 'SIGTERM');
        // The child keeps the process alive until it exits; this timer must not do so after that.
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5000).unref();
        await exited;
        clearTimeout(timer);
      }
      log.end();
      await rm(workDir, { recursive: true, force: true });
      workDirs.delete(workDir);
    })();
    return stopping;
  };

  let baseURL;
  try {
    await run(python, ['manage.py', 'migrate', '--noinput'], spawnOptions, log, deadline);
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      baseURL = `http://127.0.0.1:${port}`;
      child = spawnGroup(python, ['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], spawnOptions, log);
      // 'close' comes after the last of its output; 'exit' may come before.
      const closed = new Promise((resolve) => child.once('close', resolve));
      let errors = '';
      const collect = (chunk) => {
        errors += chunk;
      };
      child.once('error', (error) => collect(error.message));
      child.stderr.on('data', collect);
      try {
        await waitUntilServing(baseURL, child, deadline);
        child.stderr.off('data', collect);
        break;
      } catch (error) {
        if (child.exitCode === null && child.signalCode === null) throw error;
        await closed;
        if (attempt === PORT_ATTEMPTS || !errors.includes('already in use')) throw error;
      }
    }
  } catch (error) {
    const output = await tail(logFile);
    await stop();
    throw new Error(`${error.message} (backend: ${backendDir})\n--- server output ---\n${output}`);
  }

  return { baseURL, stop, logFile };
}
