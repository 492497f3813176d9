// `npm run types:check` passes on schema.d.ts as generated and fails, naming the fix, on a copy
// with one line changed: the check would catch a schema that moved on without the types.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = path.join(clientDir, 'schema.d.ts');

function check(file) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/types.mjs', '--check', file],
      { cwd: clientDir, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 'killed') : 0, stderr }),
    );
  });
}

describe('the schema types check', () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'schema-types-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('passes on schema.d.ts as checked in', async () => {
    const copy = path.join(dir, 'schema.d.ts');
    await copyFile(schemaFile, copy);
    const { code, stderr } = await check(copy);
    assert.equal(code, 0, stderr);
  });

  it('fails on a copy with one line changed, and says how to fix it', async () => {
    const lines = (await readFile(schemaFile, 'utf8')).split('\n');
    const line = lines.findIndex((text) => /^\s+title: string;$/.test(text));
    assert.ok(line > 0, 'schema.d.ts has a `title: string;` line to change');
    lines[line] = lines[line].replace('string', 'number');
    const stale = path.join(dir, 'schema.d.ts');
    await writeFile(stale, lines.join('\n'));
    const { code, stderr } = await check(stale);
    assert.equal(code, 1);
    assert.match(stderr, /schema\.d\.ts is stale: run `npm run types` in examples\/axios/);
    assert.match(stderr, new RegExp(`first difference at line ${line + 1}\\b`));
  });
});
