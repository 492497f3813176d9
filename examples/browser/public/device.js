// The reference Axios client logging in from a page of another origin, in Bearer mode or (with
// ?cookie=1) refresh cookie mode: its login calls carry credentials either way, so the browser
// keeps the API's login device cookie and sends it back at the next login.
import { createApi } from '/api.js';

const query = new URLSearchParams(window.location.search);
const api = createApi({
  baseURL: query.get('api') ?? 'http://localhost:8000',
  refreshCookie: query.get('cookie') === '1',
  // No request waits forever.
  axiosConfig: { timeout: 20_000 },
});

window.deviceDemo = {
  async login(username, password) {
    try {
      await api.login(username, password);
      return { status: 200 };
    } catch (error) {
      return { status: error.response?.status ?? null, code: error.response?.data?.code ?? null };
    }
  },
};
