// Writes schema.d.ts, the request and answer types of the whole API, from the OpenAPI schema the
// backend generates (manage.py spectacular) through openapi-typescript.
//
//   node scripts/types.mjs                  regenerate schema.d.ts (npm run types)
//   node scripts/types.mjs --check [FILE]   exit 1 when FILE (schema.d.ts) differs from a fresh
//                                           generation (npm run types:check)
//
// The backend is the repository's (or BACKEND_DIR), run by its env/bin/python, else python3.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const clientDir = path.resolve(here, '..');
const SCHEMA_FILE = path.join(clientDir, 'schema.d.ts');
// Django's start-up on a busy machine takes seconds; a hung one must not hold CI.
const BACKEND_TIMEOUT_MS = 120_000;

const HEADER = `// Generated from the API's OpenAPI schema by \`npm run types\` in examples/axios
// (scripts/types.mjs: \`manage.py spectacular --format openapi-json\` with production settings,
// then openapi-typescript). Do not edit: \`npm run types:check\` fails when it is stale.

`;

async function schemaJson() {
  const backendDir = path.resolve(process.env.BACKEND_DIR ?? path.join(clientDir, '..', '..'));
  const venvPython = path.join(backendDir, 'env', 'bin', 'python');
  const python = existsSync(venvPython) ? venvPython : 'python3';
  // Production settings (DEBUG off) describe the API a deployment serves. They refuse to start
  // without a secret key and host names; a throwaway key signs nothing here. Set in the real
  // environment, these win over a developer's .env.
  const env = {
    ...process.env,
    DJANGO_DEBUG: 'false',
    DJANGO_SECRET_KEY: randomBytes(48).toString('base64url'),
    DJANGO_ALLOWED_HOSTS: 'localhost',
  };
  try {
    const { stdout } = await promisify(execFile)(
      python,
      ['manage.py', 'spectacular', '--format', 'openapi-json'],
      { cwd: backendDir, env, timeout: BACKEND_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
    );
    return stdout;
  } catch (error) {
    const why = error.killed ? `timed out after ${BACKEND_TIMEOUT_MS / 1000}s` : (error.stderr || error.message);
    throw new Error(`manage.py spectacular failed in ${backendDir} (${python}): ${String(why).trim()}`);
  }
}

export async function generate() {
  const ast = await openapiTS(await schemaJson());
  return HEADER + astToString(ast);
}

function firstDifference(a, b) {
  const left = a.split('\n');
  const right = b.split('\n');
  const line = left.findIndex((text, i) => text !== right[i]);
  return (line === -1 ? left.length : line) + 1;
}

async function main(args) {
  if (args[0] !== '--check') {
    await writeFile(SCHEMA_FILE, await generate());
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE) || SCHEMA_FILE}`);
    return 0;
  }
  const file = path.resolve(args[1] ?? SCHEMA_FILE);
  const fresh = await generate();
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (current === fresh) return 0;
  const name = path.basename(file);
  const fix = 'run `npm run types` in examples/axios';
  if (current === null) console.error(`${name} is missing: ${fix}`);
  else console.error(`${name} is stale: ${fix} (first difference at line ${firstDifference(current, fresh)})`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error.message);
      process.exitCode = 2;
    },
  );
}
