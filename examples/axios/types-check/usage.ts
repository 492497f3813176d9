// Compiled with `tsc --noEmit` under `strict` by `npm run typecheck`: what an app writes against
// the client's declarations. Never run.
import { createApi, indexedDbKeyStore, memoryStorage, OidcLinkRequiredError, PasskeyUnsupportedError } from '../api.js';
import type { Identity, Note, NotesApi, OidcProvider, operations, Passkey, Session, TokenAnswer } from '../api.js';

// The generated types name the error codes too.
type LoginRefusal = operations['obtainToken']['responses'][401]['content']['application/json']['code'];
const mfa: LoginRefusal = 'mfa_required';

const api: NotesApi = createApi({
  baseURL: 'http://localhost:8000',
  refreshCookie: true,
  storage: memoryStorage(),
  dpop: true,
  dpopKeyStore: indexedDbKeyStore(),
  onLogout: ({ reason }) => console.log(reason === 'logout' ? 'bye' : 'session ended'),
  onReauthenticate: async () => ({ password: 'from a dialog' }),
  axiosConfig: { timeout: 10_000 },
});

export async function flow(): Promise<void> {
  if (!(await api.restore())) {
    const answer: TokenAnswer = await api.login('alice', 'correct-Horse-battery-staple-7');
    const bound: boolean = answer.token_type === 'DPoP';
    console.log(bound, answer.refresh ?? 'in the cookie');
  }
  const { data } = await api.get<Note[]>('/api/notes/', { params: { page_size: 5 } });
  console.log(data.map((note) => `${note.id}: ${note.title}`), mfa);
  const sessions: Session[] = await api.sessions();
  await api.endSession(sessions[0].id);
  const renewed: TokenAnswer = await api.changePassword({ oldPassword: 'old one', newPassword: 'a new passphrase of 15+' });
  console.log(renewed.access);
  try {
    const passkey: Passkey = await api.registerPasskey({ name: 'Laptop' });
    await api.renamePasskey(passkey.id, 'Work laptop');
    await api.deletePasskey(String(passkey.id));
  } catch (error) {
    if (!(error instanceof PasskeyUnsupportedError)) throw error;
  }
  const providers: OidcProvider[] = await api.oidcProviders();
  if (providers.length) await api.loginWithProvider(providers[0].name);
  try {
    const signedIn: TokenAnswer = await api.finishProviderLogin({ code: 'from ?code=' });
    console.log(signedIn.access);
  } catch (error) {
    if (!(error instanceof OidcLinkRequiredError)) throw error;
    console.log(error.code, error.response?.data.detail);
  }
  const url: string = await api.startLinkProvider('google');
  const linked: Identity = await api.finishLinkProvider({ code: url });
  const links: Identity[] = await api.identities();
  await api.unlinkIdentity(links[0]?.id ?? linked.id);
  const stepUpUrl: string = await api.startProviderReauthentication(links[0]?.provider ?? 'google');
  await api.reauthenticateWithProvider('google', { redirect: (to: string) => console.log(to, stepUpUrl) });
  const stepUp = await api.finishProviderReauthentication({ code: 'from ?code=&flow=reauthenticate' });
  console.log(stepUp.reauth_token, stepUp.expires_in);
  await api.confirmPasswordReset({ uid: 'u', token: 't', newPassword: 'a new passphrase of 15+' });
  await api.logout();
  await api.logoutEverywhere();
}
