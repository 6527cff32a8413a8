// A fault inside the server (here: a namespace source that throws where it is read) is answered
// with a failed review, never a hung or dropped request.
import https from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startServer } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { podReview } from '../webhook/testing/reviews.js';
import { localServerOptions } from './helpers/server.js';

const cert = makeSelfSignedCert(mkdtempSync(join(tmpdir(), 'podsec-internal-')), 'i');

/** A namespace whose metadata cannot be read: reading it throws outside the lookup. */
const broken = (): { metadata: never } => ({
  get metadata(): never {
    throw new TypeError('metadata is broken');
  },
});

function post(port: number, body: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', method: 'POST', ca: cert.cert, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(body);
  });
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
