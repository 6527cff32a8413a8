// The lean HTTP/1.1 reader in front of node:http: what it takes, what it hands over, and that
// either way a client sees the same answers, in order, on the same connection.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t from 'tap';
import { parseRequestHead, type RequestHead } from '../webhook/http1.js';
import { startServer, type RunningServer } from '../webhook/server.js';
import { rng } from './helpers/random-pods.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { localServerOptions } from './helpers/server.js';
import { podReview, RESTRICTED_POD_SPEC } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';
const dir = mkdtempSync(join(tmpdir(), 'podsec-http1-'));
const cert = makeSelfSignedCert(dir);
let server: RunningServer;

t.before(async () => {
  server = await startServer(localServerOptions(cert, {
    getNamespace: (n) => {
      if (n === 'slow') return new Promise((r) => setTimeout(() => r({ metadata: { name: n, labels: { [`${P}enforce`]: 'restricted' } } }), 100));
      return { metadata: { name: n, labels: { [`${P}enforce`]: 'restricted' } } };
    },
    headersTimeoutMs: 500,
    requestTimeoutMs: 1000,
    keepAliveTimeoutMs: 1500,
  }));
});
t.teardown(() => server.close(500));

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads HTTP/1.1 responses (Content-Length or chunked bodies) off a raw byte stream. */
function parseResponses(text: string): Response[] {
  const out: Response[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    rest = rest.slice(end + 4);
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const nl = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, nl), 16);
        rest = rest.slice(nl + 2);
        if (size === 0) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else {
      const n = Number(headers['content-length'] ?? 0);
      body = rest.slice(0, n);
      rest = rest.slice(n);
    }
    out.push({ status: Number(statusLine!.split(' ')[1]), headers, body });
  }
  return out;
}

/** Sends the given pieces (with a pause between them) and collects everything until close. */
function exchange(pieces: string[], { gapMs = 20, closeAfterMs = 600 } = {}): Promise<{ responses: Response[]; raw: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    let raw = '';
    let closedByServer = true;
    const s = tls.connect({ host: '127.0.0.1', port: server.port, ca: cert.cert, servername: 'localhost' }, async () => {
      for (const p of pieces) {
        s.write(p);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      setTimeout(() => {
        if (!s.destroyed) {
          closedByServer = false;
          s.end();
        }
      }, closeAfterMs);
    });
    s.setEncoding('latin1');
    s.on('data', (d: string) => (raw += d));
    s.on('error', reject);
    s.on('close', () => resolve({ responses: parseResponses(raw), raw, closedByServer }));
  });
}

function post(body: string, extra = '', path = '/validate?timeout=5s'): string {
  return `POST ${path} HTTP/1.1\r\nHost: podsec\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

const allowed = JSON.stringify(podReview('ns', 'good', RESTRICTED_POD_SPEC, 'uid-1'));
const denied = JSON.stringify(podReview('ns', 'bad', undefined, 'uid-2'));
const slow = JSON.stringify(podReview('slow', 'late', RESTRICTED_POD_SPEC, 'uid-3'));

t.test('pipelined reviews are answered in order, each in one piece with its headers', async (t) => {
  const r = await exchange([post(allowed) + post(denied) + post(slow) + post(allowed)]);
  t.same(r.responses.map((x) => x.status), [200, 200, 200, 200]);
  t.same(r.responses.map((x) => JSON.parse(x.body).response.uid), ['uid-1', 'uid-2', 'uid-3', 'uid-1'], 'in request order, although uid-3 waits for its namespace');
  t.same(r.responses.map((x) => JSON.parse(x.body).response.allowed), [true, false, true, true]);
  for (const x of r.responses) {
    t.equal(x.headers['content-type'], 'application/json');
    t.equal(Number(x.headers['content-length']), Buffer.byteLength(x.body));
    t.equal(x.headers.connection, 'keep-alive');
    t.ok(x.headers.date);
  }
});

t.test('requests split anywhere, even one byte at a time, are put back together', async (t) => {
  const text = post(denied);
  const cuts = [5, 40, text.indexOf('\r\n\r\n') + 2, text.length - 3];
  const pieces = cuts.map((c, i) => text.slice(i === 0 ? 0 : cuts[i - 1], c)).concat(text.slice(cuts[cuts.length - 1]));
  const r = await exchange(pieces, { gapMs: 5 });
  t.equal(r.responses.length, 1);
  t.equal(JSON.parse(r.responses[0]!.body).response.uid, 'uid-2');
  t.equal(JSON.parse(r.responses[0]!.body).response.status.code, 403);
});

t.test('the same answers as node:http gives, before and after a connection is handed over', async (t) => {
  // A GET first hands the connection to node:http at once; the reviews after it are then its.
  const viaNode = await exchange(['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' + post(allowed) + post(denied)]);
  const viaFast = await exchange([post(allowed) + post(denied)]);
  t.same(viaNode.responses.map((x) => x.body), ['ok', ...viaFast.responses.map((x) => x.body)]);
  t.same(viaNode.responses.slice(1).map((x) => [x.status, x.headers['content-type'], x.headers['content-length']]), viaFast.responses.map((x) => [x.status, x.headers['content-type'], x.headers['content-length']]));
  // Handed over mid-connection, with a request already read behind the one that triggers it.
  const mixed = await exchange([post(allowed) + 'GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n' + post(denied), 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
  t.same(mixed.responses.map((x) => x.status), [200, 200, 200, 200]);
  t.same(mixed.responses.map((x) => x.body.startsWith('{') ? JSON.parse(x.body).response.uid : x.body), ['uid-1', 'ok', 'uid-2', 'ok']);
});

t.test('a declared body over the limit is refused at once, before it is sent', async (t) => {
  // Through node:http (a GET hands the connection over first) and through the lean reader.
  const head = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4194304\r\n\r\n';
  for (const [what, text] of [['node:http', 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' + head], ['lean reader', head]] as const) {
    const r = await exchange([text]);
    const last = r.responses[r.responses.length - 1];
    t.equal(last?.status, 413, `${what}: 413 without waiting for the 4 MiB`);
    t.match(last && JSON.parse(last.body).response.status, { reason: 'RequestEntityTooLarge' }, what);
  }
});

t.test('what the lean reader does not take still works, through node:http', async (t) => {
  const chunkedBody = `${Buffer.byteLength(denied).toString(16)}\r\n${denied}\r\n0\r\n\r\n`;
  const cases: [string, string, number][] = [
    ['chunked body', `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunkedBody}`, 200],
    ['Expect: 100-continue', post(denied, 'Expect: 100-continue\r\n'), 100],
    ['HTTP/1.0', post(denied).replace('HTTP/1.1', 'HTTP/1.0'), 200],
    ['wrong content type', post(denied).replace('application/json', 'text/plain'), 400],
    ['a PUT', post(denied).replace('POST', 'PUT'), 405],
    ['two content lengths', post(denied, 'Content-Length: 5\r\n'), 400],
    ['a header without a colon', post(denied, 'Nonsense\r\n'), 400],
    ['no Host header', post(denied).replace('Host: podsec\r\n', ''), 400],
    ['headers over 16 KiB', post(denied, `X-Big: ${'a'.repeat(17 * 1024)}\r\n`), 431],
    // Its head would never end for the lean reader, which waits for CRLF CRLF (408 after 10 s).
    ['lines ended by LF alone', (([head, body]) => `${head!.replace(/\r\n/g, '\n')}\n\n${body}`)(post(denied).split('\r\n\r\n')), 400],
  ];
  for (const [what, text, status] of cases) {
    const r = await exchange([text]);
    t.equal(r.responses[0]?.status, status, what);
    const last = r.responses[r.responses.length - 1]!;
    if (status === 200 || status === 100) t.equal(JSON.parse(last.body).response.uid, 'uid-2', `${what}: answered`);
  }
});

t.test('Connection: close is honoured', async (t) => {
  const r = await exchange([post(allowed, 'Connection: close\r\n') + post(denied)], { closeAfterMs: 2000 });
  t.equal(r.responses.length, 1, 'nothing after the closing request is answered');
  t.equal(r.responses[0]!.headers.connection, 'close');
  t.ok(r.closedByServer);
});

t.test('idle keep-alive connections and slow requests are closed', async (t) => {
  const idle = await exchange([post(allowed)], { closeAfterMs: 4000 });
  t.equal(idle.responses.length, 1);
  t.ok(idle.closedByServer, 'closed after the keep-alive timeout');
  const body = await exchange([post(allowed).slice(0, -10)], { closeAfterMs: 4000 });
  t.match(body.raw, /^HTTP\/1\.1 408 Request Timeout/);
  t.ok(body.closedByServer);
  const headers = await exchange([post(allowed) + 'POST / HTTP/1.1\r\nHost: x\r\n'], { closeAfterMs: 4000 });
  t.equal(headers.responses[0]?.status, 200, 'the complete request is answered');
  t.match(headers.raw, /HTTP\/1\.1 408 Request Timeout/, 'the unfinished one times out');
});

t.test('idle connections are kept longer than the API server keeps them (90 s), so it closes them first', async (t) => {
  const defaults = await startServer(localServerOptions(cert));
  t.teardown(() => defaults.close(500));
  const raw = await new Promise<string>((resolve, reject) => {
    let text = '';
    const s = tls.connect({ host: '127.0.0.1', port: defaults.port, ca: cert.cert, servername: 'localhost' }, () => s.write(post(allowed)));
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      text += d;
      if (parseResponses(text).length === 1) s.end();
    });
    s.on('error', reject);
    s.on('close', () => resolve(text));
  });
  const [r] = parseResponses(raw);
  t.equal(r?.headers.connection, 'keep-alive');
  const timeout = Number(/timeout=(\d+)/.exec(r?.headers['keep-alive'] ?? '')?.[1]);
  t.ok(timeout > 90, `Keep-Alive: timeout=${timeout}`);
  t.ok(defaults.server.keepAliveTimeout > 90_000, 'node:http, which takes over some connections, keeps them as long');
});

// The head parser scans characters against tables; this is the same rule written with regular
// expressions, one line at a time, to compare it with on many generated heads.
function referenceHead(head: string): RequestHead | null {
  const lines = head.split('\r\n');
  const m = /^POST (\/[\x21-\x7e]*) HTTP\/1\.1$/.exec(lines[0]!);
  if (!m) return null;
  let contentLength = -1;
  let contentType: string | undefined;
  let close = false;
  let host = false;
  for (const line of lines.slice(1)) {
    const h = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/s.exec(line);
    if (!h || !/^[\t\x20-\x7e\x80-\xff]*$/.test(h[2]!)) return null;
    const name = h[1]!.toLowerCase();
    const value = h[2]!;
    if (name === 'host') host = true;
    else if (name === 'expect' || name === 'upgrade' || name === 'transfer-encoding') return null;
    else if (name === 'connection') {
      if (value.toLowerCase() === 'close') close = true;
      else if (value.toLowerCase() !== 'keep-alive') return null;
    } else if (name === 'content-type') {
      if (contentType !== undefined) return null;
      contentType = value;
    } else if (name === 'content-length') {
      if (contentLength >= 0 || !/^[0-9]{1,10}$/.test(value)) return null;
      contentLength = Number(value);
    }
  }
  if (!host || contentLength < 0 || contentType === undefined) return null;
  return { target: m[1]!, contentLength, contentType, close };
}

t.test('the head parser agrees with a plain reading of the rules it implements', async (t) => {
  const random = rng(Number(process.env.PODSEC_FUZZ_SEED ?? 7));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const requestLines = ['POST /validate?timeout=5s HTTP/1.1', 'POST / HTTP/1.1', 'POST /x HTTP/1.0', 'GET / HTTP/1.1', 'POST  / HTTP/1.1', 'POST /a b HTTP/1.1', 'POST / HTTP/1.1 ', 'post / HTTP/1.1', 'POST http://x/ HTTP/1.1', 'POST /\x7f HTTP/1.1'];
  const names = ['Host', 'host', 'HOST', 'Content-Length', 'content-length', 'Content-Type', 'content-TYPE', 'Connection', 'Transfer-Encoding', 'Expect', 'Upgrade', 'User-Agent', 'X-Hosts', 'Hosts', 'Bad Name', '', 'Content-Lengt', 'Ho\u00e9st', 'Accept'];
  const values = ['5', '05', '0', '12345678901', '1234567890', 'abc', 'close', 'Keep-Alive', 'CLOSE', 'upgrade', 'application/json', ' \tapplication/json\t ', '\x7f', '\xa0x', 'a\x0bb', '', ' ', 'a b', 'x\u00ff', '1 2', '\t7'];
  const seps = [': ', ':', ' :', ':\t', '::'];
  let taken = 0;
  for (let i = 0; i < 20_000; i++) {
    const lines: string[] = [];
    if (random() < 0.5) {
      // Heads as the API server sends them, in any order and letter case, with harmless extras.
      const fields = ['Host: webhook.svc:443', `Content-Length: ${Math.floor(random() * 100)}`, 'Content-Type: application/json'];
      for (const extra of ['User-Agent: kube-apiserver-admission', 'Accept: application/json, */*', 'Accept-Encoding: gzip', `Connection: ${pick(['keep-alive', 'close', 'Keep-Alive'])}`, 'X-Trace: \t abc \t']) {
        if (random() < 0.5) fields.push(extra);
      }
      fields.sort(() => random() - 0.5);
      lines.push('POST /validate?timeout=5s HTTP/1.1', ...fields.map((f) => (random() < 0.3 ? f.toUpperCase() : f)));
    } else {
      lines.push(pick(requestLines));
      const n = Math.floor(random() * 6);
      for (let k = 0; k < n; k++) lines.push(`${pick(names)}${pick(seps)}${pick(values)}`);
      if (random() < 0.5) lines.push('Host: webhook', `Content-Length: ${Math.floor(random() * 100)}`, 'Content-Type: application/json');
    }
    const head = lines.join('\r\n');
    const want = referenceHead(head);
    const got = parseRequestHead(head);
    if (want) taken++;
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      t.same(got, want, JSON.stringify(head));
      return;
    }
  }
  t.ok(taken > 2000 && taken < 18_000, `both outcomes exercised (${taken} of 20,000 taken)`);
});
