import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
// The reference client. In the repository it is used where it lives, so that the app and the
// client's tests run the same file; `npm run copy-app -- <directory>` makes the app a project of
// its own, with the client in src/lib/notes-client/ and this path (and tsconfig.json's) there.
const client = path.resolve(here, '..', 'axios', 'api.js');

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@notes/client': client },
    // One axios, this app's, for the client's import too.
    dedupe: ['axios'],
  },
  server: { fs: { allow: [here, path.dirname(client)] } },
});
