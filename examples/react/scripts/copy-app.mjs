// `npm run copy-app -- <directory>`: this app as a project of its own, outside the repository.
// The reference client comes along into src/lib/notes-client/ (its modules and declarations,
// the generated API types too), and the `@notes/client` alias points there, so the copy needs
// nothing from ../axios. Its tests stay behind: they start the API from the repository.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = path.resolve(APP, '..', 'axios');
const CLIENT_FILES = [
  'api.js',
  'passkeys.js',
  'oidc.js',
  'account.js',
  'dpop.js',
  'api.d.ts',
  'passkeys.d.ts',
  'oidc.d.ts',
  'dpop.d.ts',
  'schema.d.ts',
];
const LEFT_BEHIND = new Set(['node_modules', 'dist', 'test', 'scripts']);
export const CLIENT_DIR = path.join('src', 'lib', 'notes-client');

// One exact edit, or a loud failure: a config that no longer reads as expected must not be
// copied half-pointed at ../axios.
function replaceOnce(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (text.split(from).length !== 2) throw new Error(`${path.basename(file)}: expected one ${JSON.stringify(from)}`);
  fs.writeFileSync(file, text.replace(from, to));
}

export function copyApp(target) {
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new Error(`${target} is not empty`);
  }
  fs.cpSync(APP, target, {
    recursive: true,
    filter: (source) => !LEFT_BEHIND.has(path.relative(APP, source).split(path.sep)[0]),
  });
  const lib = path.join(target, CLIENT_DIR);
  fs.mkdirSync(lib, { recursive: true });
  for (const name of CLIENT_FILES) fs.copyFileSync(path.join(CLIENT, name), path.join(lib, name));

  replaceOnce(
    path.join(target, 'vite.config.ts'),
    "path.resolve(here, '..', 'axios', 'api.js')",
    "path.resolve(here, 'src', 'lib', 'notes-client', 'api.js')",
  );
  replaceOnce(path.join(target, 'tsconfig.json'), '"../axios/api.d.ts"', '"./src/lib/notes-client/api.d.ts"');
  const manifest = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
  delete manifest.scripts.test;
  delete manifest.scripts['copy-app'];
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [target] = process.argv.slice(2);
  if (!target) {
    console.error('usage: npm run copy-app -- <directory>');
    process.exit(2);
  }
  copyApp(path.resolve(target));
  console.log(`copied to ${path.resolve(target)}: cd there, then npm install && npm run dev`);
}
