// A browser's part for the Axios suites in Node, which keeps no cookies.

/**
 * Just enough of a browser's cookie store for one host: keeps what Set-Cookie says, forgets what
 * expires, and sends back the cookies whose Path covers the request. Its `adapter` goes around
 * the real HTTP one, `http` (`axios.getAdapter('http')`: passed in, this module has no axios).
 */
export function cookieJar(http) {
  const cookies = new Map();
  const received = [];

  function remember(response) {
    for (const line of response?.headers?.['set-cookie'] ?? []) {
      received.push(line);
      const [pair, ...rest] = line.split(';').map((part) => part.trim());
      const split = pair.indexOf('=');
      const name = pair.slice(0, split);
      const attributes = {};
      for (const attribute of rest) {
        const at = attribute.indexOf('=');
        if (at < 0) attributes[attribute.toLowerCase()] = true;
        else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
      }
      const expired =
        attributes['max-age'] !== undefined
          ? Number(attributes['max-age']) <= 0
          : attributes.expires !== undefined && Date.parse(attributes.expires) <= Date.now();
      if (expired) cookies.delete(name);
      else cookies.set(name, { value: pair.slice(split + 1), path: attributes.path ?? '/' });
    }
  }

  async function adapter(config) {
    const { pathname } = new URL(config.url, config.baseURL);
    const sent = [...cookies]
      .filter(([, cookie]) => pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    if (sent.length) config.headers.set('Cookie', sent.join('; '));
    try {
      const response = await http(config);
      remember(response);
      return response;
    } catch (error) {
      remember(error.response);
      throw error;
    }
  }

  return {
    adapter,
    get: (name) => cookies.get(name)?.value,
    set: (name, value, path = '/') => cookies.set(name, { value, path }),
    /** The Set-Cookie lines received for one cookie, oldest first. */
    received: (name) => received.filter((line) => line.startsWith(`${name}=`)),
  };
}
