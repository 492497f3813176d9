import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
// The reference client, used where it lives so that the app and the client's tests run the same
// file. Copying the app elsewhere? Copy examples/axios/{api,passkeys,dpop}.js and their .d.ts
// files into src/lib/ and point this alias (and tsconfig.json's "paths") there.
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
