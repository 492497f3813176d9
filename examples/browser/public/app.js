// A frontend reduced to what a browser decides on its own: whether the API
// lets this origin read its answers, and which headers it may see.
const apiBase = new URLSearchParams(window.location.search).get('api') ?? 'http://127.0.0.1:8000';

async function json(response) {
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Parses an RFC 8288 Link header into {rel: url}. */
function parseLink(header) {
  const links = {};
  for (const [, url, rel] of (header ?? '').matchAll(/<([^>]*)>\s*;\s*rel="?([^",;]+)"?/g)) {
    links[rel] = new URL(url, apiBase).href;
  }
  return links;
}

async function login(username, password) {
  const response = await fetch(`${apiBase}/api/token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return json(response);
}

async function fetchNotes(access, url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${access}` } });
  const link = response.headers.get('Link');
  return { notes: await json(response), link, links: parseLink(link) };
}

function render(notes) {
  const list = document.getElementById('notes');
  for (const note of notes) {
    const item = document.createElement('li');
    item.textContent = note.title;
    list.append(item);
  }
}

async function signInAndList(username, password, pageSize) {
  const { access } = await login(username, password);
  document.getElementById('status').textContent = `signed in as ${username}`;
  const pages = [];
  let url = `${apiBase}/api/notes/?page_size=${pageSize}`;
  // Bounded, so that a server that never stops sending rel="next" cannot hang the page.
  while (url && pages.length < 20) {
    const page = await fetchNotes(access, url);
    render(page.notes);
    pages.push({ titles: page.notes.map((note) => note.title), link: page.link, links: page.links });
    url = page.links.next;
  }
  return pages;
}

window.notesDemo = { apiBase, login, fetchNotes, signInAndList };
