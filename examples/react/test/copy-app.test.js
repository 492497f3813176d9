// `npm run copy-app` makes the app a project of its own: the copy, with nothing of the repository
// but its own files and the client it brought along, type-checks and builds with no warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

import { CLIENT_DIR, copyApp } from '../scripts/copy-app.mjs';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(cwd, command, args) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

describe('the app copied out of the repository', { timeout: 400_000 }, () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-react-copy-'));
  // Under a directory of its own, so that no ../axios beside it could be found by accident.
  const copy = path.join(parent, 'deep', 'my-app');
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('brings the client along and points the alias at it', () => {
    copyApp(copy);
    for (const name of ['api.js', 'passkeys.js', 'oidc.js', 'account.js', 'dpop.js', 'api.d.ts', 'oidc.d.ts', 'schema.d.ts']) {
      assert.ok(fs.existsSync(path.join(copy, CLIENT_DIR, name)), name);
    }
    for (const name of ['vite.config.ts', 'tsconfig.json']) {
      assert.doesNotMatch(fs.readFileSync(path.join(copy, name), 'utf8'), /\.\.\/axios|'\.\.', 'axios'/, name);
    }
    assert.ok(!fs.existsSync(path.join(copy, 'node_modules')));
    assert.ok(!fs.existsSync(path.join(copy, 'test')));
    assert.equal(JSON.parse(fs.readFileSync(path.join(copy, 'package.json'), 'utf8')).scripts.test, undefined);
  });

  it('type-checks and builds with no warning there', () => {
    // The app's installed packages, as `npm install` in the copy would install them from its lock.
    fs.symlinkSync(path.join(APP, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const output = run(copy, 'npm', ['run', 'build', '--silent']);
    assert.doesNotMatch(output, /warn/i, output);
    const bundle = fs
      .readdirSync(path.join(copy, 'dist', 'assets'))
      .filter((name) => name.endsWith('.js'))
      .map((name) => fs.readFileSync(path.join(copy, 'dist', 'assets', name), 'utf8'))
      .join('\n');
    // The client's code is in the build, from the copy's own files.
    assert.match(bundle, /\/api\/token\/refresh\//);
  });
});
