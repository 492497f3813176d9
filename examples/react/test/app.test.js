// The React app, built as `npm run build` builds it, in Debian's headless Chromium against live
// servers, in each token mode (Bearer, refresh cookie, DPoP), as a user would use it: each module
// of flows/ is one area of the app. The page is http://localhost:<port> and the API
// http://localhost:<another port>, one site (test/rig.mjs starts them all once).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { accountFlows } from './flows/account.mjs';
import { loginFlows } from './flows/login.mjs';
import { notesFlows } from './flows/notes.mjs';
import { oidcFlows } from './flows/oidc.mjs';
import { passwordResetFlows } from './flows/password-reset.mjs';
import { screenshotFlows } from './flows/screenshots.mjs';
import { stepUpFlows } from './flows/step-up.mjs';
import { MODES, skip, startRig } from './rig.mjs';

let rig;

before(
  async () => {
    if (!skip) rig = await startRig();
  },
  { timeout: 400_000 },
);

after(() => rig?.stop(), { timeout: 60_000 });

// Some four minutes on a busy two-core machine; the bound stays under the 600 s that
// ../run-client-tests.sh gives the whole suite.
describe('the React app in a real browser', { timeout: 540_000, skip }, () => {
  it('builds with no warning, in each mode', () => {
    for (const mode of MODES) assert.doesNotMatch(rig.buildWarnings[mode], /warn/i, rig.buildWarnings[mode]);
  });

  notesFlows(() => rig);
  accountFlows(() => rig);
  loginFlows(() => rig);
  stepUpFlows(() => rig);
  passwordResetFlows(() => rig);
  oidcFlows(() => rig);
  // Last: the pictures of every area above.
  screenshotFlows(() => rig);
});
