// The checked-in declarations (api.d.ts, passkeys.d.ts, oidc.d.ts, dpop.d.ts) name exactly what the client
// has: a method added to api.js without its type, or a type left for a method that went, fails.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

import axios from 'axios';

import * as client from '../api.js';
import * as dpop from '../dpop.js';

async function declared(file, pattern) {
  const text = await readFile(new URL(`../${file}`, import.meta.url), 'utf8');
  return new Set([...text.matchAll(pattern)].map((match) => match[1]));
}

// Members of an interface body: `  name(` or `  name:` at two spaces of indentation.
async function interfaceMembers(file, name) {
  const text = await readFile(new URL(`../${file}`, import.meta.url), 'utf8');
  const body = new RegExp(`interface ${name}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text)[1];
  return new Set([...body.matchAll(/^ {2}(\w+)\??[(:]/gm)].map((match) => match[1]));
}

describe('the declarations', () => {
  it('declare every export of api.js and dpop.js, and no other', async () => {
    const exports = /^export (?:function|class) (\w+)|^export \{ ([^}]+) \}/gm;
    const names = async (file) => {
      const text = await readFile(new URL(`../${file}`, import.meta.url), 'utf8');
      return new Set(
        [...text.matchAll(exports)].flatMap((m) => (m[1] ? [m[1]] : m[2].split(',').map((s) => s.trim()))),
      );
    };
    assert.deepEqual(await names('api.d.ts'), new Set(Object.keys(client)));
    assert.deepEqual(await declared('dpop.d.ts', /^export function (\w+)/gm), new Set(Object.keys(dpop)));
  });

  it('declare every method createApi adds to its Axios instance', async () => {
    const api = client.createApi({ baseURL: 'http://api.invalid' });
    const plain = new Set(Object.keys(axios.create()));
    const added = new Set(Object.keys(api).filter((key) => !plain.has(key)));
    const typed = new Set([
      ...(await interfaceMembers('api.d.ts', 'NotesApi')),
      ...(await interfaceMembers('passkeys.d.ts', 'PasskeyCalls')),
      ...(await interfaceMembers('oidc.d.ts', 'OidcCalls')),
    ]);
    assert.deepEqual(added, typed);
  });
});
