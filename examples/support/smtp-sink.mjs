// An SMTP server for the browser tests, on a free port: it accepts every message, keeps it, and
// lets a test wait for the next one to an address (a reset or verification link). Enough SMTP for
// Django's smtplib client (RFC 5321: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), no TLS or AUTH.
import net from 'node:net';

const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The text of a message with quoted-printable undone where its headers say so. */
function readable(raw) {
  if (!/^content-transfer-encoding:\s*quoted-printable/im.test(raw)) return raw;
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Resolves to `{port, messages, next(to, timeoutMs), close()}`. Each message is
 * `{to: string[], subject, text, links: string[]}`; `next(to)` resolves to the first message to
 * `to` that no `next` took yet, waiting for it if need be.
 */
export async function startSmtpSink() {
  const messages = [];
  const taken = new Set();
  const waiters = new Set();
  const sockets = new Set();

  const deliver = (message) => {
    messages.push(message);
    for (const waiter of waiters) waiter();
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setEncoding('latin1');
    let buffer = '';
    let data = null; // the lines of a message while in DATA
    let recipients = [];
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            const raw = data.join('\r\n');
            const text = readable(raw);
            const subject = /^subject:\s*(.*)$/im.exec(raw)?.[1] ?? '';
            const links = [...new Set(text.match(/https?:\/\/[^\s"'<>]+/g) ?? [])];
            deliver({ to: recipients, subject, text, links });
            data = null;
            recipients = [];
            reply('250 queued');
          } else if (data.length * 80 < MAX_MESSAGE_BYTES) {
            data.push(line.startsWith('.') ? line.slice(1) : line); // RFC 5321 4.5.2
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8');
        else if (verb === 'HELO' || verb === 'NOOP') reply('250 ok');
        else if (verb === 'MAIL') reply('250 ok');
        else if (verb === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          recipients.push(address.toLowerCase());
          reply('250 ok');
        } else if (verb === 'DATA') {
          data = [];
          reply('354 end with .');
        } else if (verb === 'RSET') {
          recipients = [];
          reply('250 ok');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 not implemented');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  const next = (to, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const address = to.toLowerCase();
      const look = () => {
        const found = messages.find((message) => !taken.has(message) && message.to.includes(address));
        if (!found) return false;
        taken.add(found);
        waiters.delete(look);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`no mail to ${to} within ${timeoutMs} ms (${messages.length} received)`));
      }, timeoutMs);
      if (!look()) waiters.add(look);
    });

  const close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  return { port: server.address().port, messages, next, close };
}
