// Namespace lookups fail with client-go's error texts, which upstream puts after
// `failed to lookup namespace "x": ` in the error audit annotation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import t from 'tap';
import { Admission } from '../admission/admission.js';
import { defaultAdmissionConfig } from '../admission/config.js';
import { createEvaluator } from '../engine/index.js';
import { apiErrorMessage, KubeClient, namespaceGetter, NO_DEADLINE_LOOKUP_MS } from '../webhook/kube.js';

type Reply = { code: number; type?: string; body: string; delayMs?: number };
let reply: Reply = { code: 200, body: '' };
const api = http.createServer((_req, res) => {
  const send = () => {
    const headers: Record<string, string> = reply.type ? { 'Content-Type': reply.type } : {};
    res.writeHead(reply.code, headers);
    res.end(reply.body);
  };
  if (reply.delayMs) setTimeout(send, reply.delayMs);
  else send();
});
await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
const port = (api.address() as AddressInfo).port;
t.teardown(() => {
  api.closeAllConnections();
  api.close();
});

function client(server = `http://127.0.0.1:${port}`): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'c', server, skipTLSVerify: true }, { name: 'u' });
  const c = new KubeClient(kc, 0, 0);
  t.teardown(() => c.close());
  return c;
}

const status = (code: number, message: string, reason = 'NotFound') =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: { name: 'x', kind: 'namespaces' }, code });

t.test('a Status answer: its message alone', async (t) => {
  const c = client();
  reply = { code: 404, type: 'application/json', body: status(404, 'namespaces "x" not found') };
  await t.rejects(c.getNamespace('x'), { message: 'namespaces "x" not found', statusCode: 404 });
  reply = { code: 403, type: 'application/json', body: status(403, 'namespaces "x" is forbidden: User "system:serviceaccount:p:w" cannot get resource "namespaces"', 'Forbidden') };
  await t.rejects(c.getNamespace('x'), { message: 'namespaces "x" is forbidden: User "system:serviceaccount:p:w" cannot get resource "namespaces"' });
});

t.test('other answers: apimachinery\'s generic texts, naming the request', async (t) => {
  const c = client();
  reply = { code: 404, type: 'application/json', body: '{"error":"nope"}' };
  await t.rejects(c.getNamespace('x'), { message: 'the server could not find the requested resource (get namespaces x)' });
  reply = { code: 500, type: 'text/plain; charset=utf-8', body: '  proxy "broke"\n' };
  await t.rejects(c.getNamespace('x'), { message: 'an error on the server ("proxy \\"broke\\"") has prevented the request from succeeding (get namespaces x)' });
  reply = { code: 502, type: 'text/html', body: '<html>bad gateway</html>' };
  await t.rejects(c.getNamespace('x'), { message: 'an error on the server ("<html>bad gateway</html>") has prevented the request from succeeding (get namespaces x)' });
  reply = { code: 503, type: 'application/json', body: status(503, 'x', 'ServiceUnavailable').replace('"Failure"', '"Success"') };
  await t.rejects(c.getNamespace('x'), { message: 'the server is currently unable to handle the request (get namespaces x)' }, 'a Status must report a failure');
  reply = { code: 418, type: 'application/json', body: 'teapot' };
  await t.rejects(c.getNamespace('x'), { message: 'the server responded with the status code 418 but did not return more information (get namespaces x)' });
  t.equal(apiErrorMessage(401, undefined, Buffer.from('Unauthorized')), 'the server has asked for the client to provide credentials');
  t.equal(apiErrorMessage(403, 'text/plain', Buffer.from('forbidden: no\n')), 'forbidden: no');
  t.equal(apiErrorMessage(500, '', Buffer.from('x'.repeat(3000)), { resource: 'pods' }), `an error on the server ("${'x'.repeat(2048)}") has prevented the request from succeeding (get pods)`);
});

t.test('no answer: Go\'s url.Error', async (t) => {
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await t.rejects(client(`http://127.0.0.1:${deadPort}`).getNamespace('x'), {
    message: `Get "http://127.0.0.1:${deadPort}/api/v1/namespaces/x": dial tcp 127.0.0.1:${deadPort}: connect: connection refused`,
  });
  reply = { code: 200, type: 'application/json', body: '{}', delayMs: 500 };
  await t.rejects(client().getNamespace('x', 100), { message: `Get "http://127.0.0.1:${port}/api/v1/namespaces/x": context deadline exceeded` });
  await t.rejects(client().getNamespace('x', 0), { message: 'client rate limiter Wait returned an error: context deadline exceeded' });
});

t.test('in the error annotation', async (t) => {
  const c = client();
  reply = { code: 404, type: 'application/json', body: status(404, 'namespaces "x" not found') };
  const admission = new Admission({ config: defaultAdmissionConfig(), evaluator: createEvaluator(), getNamespace: (n) => c.getNamespace(n), listPods: async () => [] });
  const base = { operation: 'CREATE', subresource: '', namespace: 'x', name: 'p', username: 'u' };
  let r = await admission.validate({ ...base, group: 'apps', resource: 'deployments', object: { apiVersion: 'apps/v1', kind: 'Deployment' } });
  t.same(r.response, { allowed: true, auditAnnotations: { error: 'failed to lookup namespace "x": namespaces "x" not found' } });
  r = await admission.validate({ ...base, group: '', resource: 'pods', object: { apiVersion: 'v1', kind: 'Pod' } });
  t.equal(r.response.auditAnnotations?.error, 'Internal error occurred: failed to lookup namespace "x": namespaces "x" not found');
});

t.test("a namespace missing from the cache is looked up within the whole of the review's deadline", async (t) => {
  const asked: number[] = [];
  const get = namespaceGetter({ get: () => undefined }, {
    getNamespace: async (name: string, timeoutMs?: number) => {
      asked.push(timeoutMs!);
      return { metadata: { name, labels: {} } };
    },
  });
  await get('late', Date.now() + 9_000);
  t.ok(asked[0]! > 8_000 && asked[0]! <= 9_000, `a 10 s review keeps ${asked[0]} ms for it, not a shorter cap of its own`);
  await get('late');
  t.equal(asked[1], NO_DEADLINE_LOOKUP_MS, 'a review without ?timeout= gets the longest an API server waits');
  const cached = namespaceGetter({ get: () => ({ metadata: { name: 'hit', labels: {} } }) }, { getNamespace: async () => t.fail('no lookup') as never });
  t.same(await cached('hit', Date.now() + 1000), { metadata: { name: 'hit', labels: {} } }, 'the cache first');
});
