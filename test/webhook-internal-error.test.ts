// A fault inside the server (here: a namespace source that throws where it is read) is answered
// with a failed review, never a hung or dropped request.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t from 'tap';
import { createLogger } from '../webhook/log.js';
import { startServer } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { podReview } from '../webhook/testing/reviews.js';
import { localServerOptions, requestLocal } from './helpers/server.js';

const cert = makeSelfSignedCert(mkdtempSync(join(tmpdir(), 'podsec-internal-')), 'i');

/** A namespace whose metadata cannot be read: reading it throws outside the lookup. */
const broken = (): { metadata: never } => ({
  get metadata(): never {
    throw new TypeError('metadata is broken');
  },
});

async function post(port: number, body: string): Promise<{ status: number; json: any }> {
  const r = await requestLocal(port, cert.cert, '/', body);
  return { status: r.status, json: JSON.parse(r.body) };
}

for (const [name, getNamespace] of [
  ['a namespace source that answers at once', () => broken()],
  ['a namespace source that answers later', async () => broken()],
] as const) {
  t.test(`${name}: an internal error is a failed review with HTTP 200, its uid and reason InternalError`, async (t) => {
    const server = await startServer(localServerOptions(cert, { getNamespace: getNamespace as never }));
    t.teardown(() => server.close(500));
    const r = await post(server.port, JSON.stringify(podReview('ns', 'p', undefined, 'uid-1')));
    t.equal(r.status, 200, 'the review names its uid, so the answer is a review the API server reads');
    t.same(r.json, {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'uid-1', allowed: false, status: { metadata: {}, status: 'Failure', message: 'internal error', reason: 'InternalError', code: 500 } },
    });
  });
}

t.test('a decision whose connection closed first is not logged as a decision', async (t) => {
  const lines: { msg: string; uid?: string }[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let asked!: () => void;
  const lookedUp = new Promise<void>((r) => (asked = r));
  const server = await startServer(localServerOptions(cert, {
    logger: createLogger('info', (line: string) => void lines.push(JSON.parse(line))),
    getNamespace: async (n: string) => {
      asked();
      await held;
      return { metadata: { name: n } };
    },
  }));
  t.teardown(() => server.close(500));
  const body = JSON.stringify(podReview('ns', 'p', undefined, 'uid-gone'));
  const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: cert.cert, servername: 'localhost' });
  socket.on('error', () => {});
  await new Promise<void>((r) => socket.once('secureConnect', () => r()));
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await lookedUp;
  socket.destroy();
  // Until the server has seen the connection go, then until it has said something of the request.
  const until = async (done: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 500 && !(await done()); i++) await new Promise((r) => setTimeout(r, 10));
  };
  await until(() => new Promise<boolean>((r) => server.server.getConnections((_, n) => r(n === 0))));
  release();
  await until(() => lines.some((l) => l.uid === 'uid-gone'));
  t.same(lines.filter((l) => l.uid === 'uid-gone').map((l) => l.msg), ['admission decision not sent: the connection was closed first']);
});
