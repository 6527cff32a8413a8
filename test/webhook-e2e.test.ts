// End to end over real HTTPS: the webhook wired to a fake API server, as `podsec serve` wires it.
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { KubeClient, loadKubeConfig, NamespaceCache, namespaceGetter } from '../webhook/kube.js';
import { createLogger } from '../webhook/log.js';
import { startServer, type RunningServer } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { localServerOptions } from './helpers/server.js';
import { FakeApiServer } from '../webhook/testing/fake-apiserver.js';
import { deploymentReview, namespaceReview, podReview, RESTRICTED_POD_SPEC } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';
const dir = mkdtempSync(join(tmpdir(), 'podsec-webhook-'));
const certA = makeSelfSignedCert(dir, 'a');
const certB = makeSelfSignedCert(dir, 'b');
const certFile = join(dir, 'tls.crt');
const keyFile = join(dir, 'tls.key');
copyFileSync(certA.certFile, certFile);
copyFileSync(certA.keyFile, keyFile);
const configFile = join(dir, 'config.yaml');
const CONFIG_HEAD = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n';
writeFileSync(configFile, CONFIG_HEAD + 'exemptions:\n  namespaces: [kube-system]\n  usernames: [system:admin]\n  runtimeClasses: [kata]\n');

const apiCert = makeSelfSignedCert(dir, 'api');
const api = new FakeApiServer({ token: 'secret-token', tls: { cert: apiCert.cert, key: readFileSync(apiCert.keyFile) } });
const logs: string[] = [];
let server: RunningServer;
let cache: NamespaceCache;
let client: KubeClient;

interface Reply {
  status: number;
  body: string;
  json: any;
}

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}, ca = certA.cert): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: server.port, path, method: 'POST', ca, agent: false, headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(data);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: data, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function get(path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: server.port, path, ca: certA.cert, agent: false }, (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, json: undefined }));
      })
      .on('error', reject);
  });
}

const review = (r: unknown, path = '/validate') => post(path, JSON.stringify(r));

t.before(async () => {
  api.setNamespace('restricted', { [`${P}enforce`]: 'restricted' });
  api.setNamespace('baseline-warn', { [`${P}enforce`]: 'baseline', [`${P}warn`]: 'restricted', [`${P}audit`]: 'restricted' });
  api.setNamespace('open');
  api.setNamespace('kube-system', { [`${P}enforce`]: 'restricted' });
  api.setNamespace('apps');
  api.addPod('apps', { metadata: { name: 'web-1', ownerReferences: [{ uid: 'rs-1', controller: true }] }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  api.addPod('apps', { metadata: { name: 'web-2', ownerReferences: [{ uid: 'rs-1', controller: true }] }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
  api.addPod('apps', { metadata: { name: 'agent' }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'agent' }] } });
  api.listDelayMs = 300;
  await api.start();
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const log = createLogger('info', (l) => logs.push(l));
  client = new KubeClient(await loadKubeConfig(kubeconfig), 1000, 1000);
  cache = new NamespaceCache(client, log, { minBackoffMs: 50, maxBackoffMs: 200 });
  server = await startServer({
    certFile,
    keyFile,
    bindAddress: '127.0.0.1',
    port: 0,
    evaluator: createEvaluator(),
    configFile,
    getNamespace: namespaceGetter(cache, client),
    listPods: (ns, signal) => client.listPods(ns, signal),
    isReady: () => cache.hasSynced,
    logger: log,
    reloadIntervalMs: 60_000,
  });
});

t.teardown(async () => {
  await server.close(1000);
  await cache.stop();
  client.close();
  await api.stop();
});

t.test('health and readiness before and after the namespace cache syncs', async (t) => {
  t.equal((await get('/healthz')).status, 200);
  t.same([(await get('/healthz/ping')).status, (await get('/healthz/ping')).body], [200, 'ok']);
  cache.start();
  const before = await get('/readyz');
  t.equal(before.status, 503, 'not ready while the initial list is in flight');
  t.equal(before.body, 'namespace cache not synced');
  await cache.waitForSync();
  t.equal((await get('/readyz')).status, 200);
  t.equal(cache.size, 5);
});

t.test('allowed and denied pods', async (t) => {
  let r = await review(podReview('restricted', 'good', RESTRICTED_POD_SPEC, 'uid-good'));
  t.equal(r.status, 200);
  t.same(r.json, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'uid-good', allowed: true, auditAnnotations: { 'enforce-policy': 'restricted:latest' } },
  });
  r = await review(podReview('restricted', 'p', undefined, 'uid-bad'));
  t.equal(r.json.response.uid, 'uid-bad');
  t.equal(r.json.response.allowed, false);
  t.equal(r.json.response.status.code, 403);
  t.equal(r.json.response.status.reason, 'Forbidden');
  t.equal(
    r.json.response.status.message,
    'pods "p" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  r = await review(podReview('baseline-warn', 'p', undefined, 'uid-warn'));
  t.equal(r.json.response.allowed, true);
  t.match(r.json.response.warnings, [/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/]);
  t.equal(r.json.response.warnings.length, 1);
  t.match(r.json.response.auditAnnotations, { 'enforce-policy': 'baseline:latest', 'audit-violations': /^would violate PodSecurity "restricted:latest": / });

  const decision = logs.map((l) => JSON.parse(l)).find((l) => l.uid === 'uid-bad');
  t.match(decision, { level: 'info', msg: 'admission decision', kind: 'Pod', namespace: 'restricted', name: 'p', operation: 'CREATE', decision: 'deny', policy: 'restricted:latest' });
  t.type(decision.durationMs, 'number');
  t.notOk(logs.some((l) => l.includes('nginx') || l.includes('securityContext')), 'logs never carry the object');
});

t.test('pod controllers get warnings, never denials', async (t) => {
  const r = await review(deploymentReview('restricted', 'web', { containers: [{ name: 'web', image: 'nginx' }] }, 'uid-deploy'));
  t.equal(r.json.response.allowed, true);
  t.same(r.json.response.warnings, [
    'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  ]);
  const scaled = await review({ ...deploymentReview('restricted', 'web', {}), request: { ...(deploymentReview('restricted', 'web', {}).request as object), subResource: 'scale', requestSubResource: 'scale' } });
  t.same(scaled.json.response, { uid: '00000000-0000-0000-0000-000000000001', allowed: true });
});

t.test('namespace label changes check existing pods from the API server', async (t) => {
  let r = await review(namespaceReview('apps', { [`${P}enforce`]: 'baseline' }, {}, 'uid-ns'));
  t.equal(r.json.response.allowed, true);
  t.same(r.json.response.warnings, ['existing pods in namespace "apps" violate the new PodSecurity enforce level "baseline:latest"', 'agent: host namespaces']);
  r = await review(namespaceReview('apps', { [`${P}enforce`]: 'restricted' }, {}));
  t.same(r.json.response.warnings, [
    'existing pods in namespace "apps" violate the new PodSecurity enforce level "restricted:latest"',
    'agent: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    'web-1 (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
  ]);
  t.ok(api.requests.some((q) => q.path === '/api/v1/namespaces/apps/pods'), 'pods were listed live');
  r = await review(namespaceReview('apps', { [`${P}enforce`]: 'nope' }, {}));
  t.equal(r.status, 200);
  t.match(r.json.response, {
    allowed: false,
    status: { code: 422, reason: 'Invalid', message: 'Namespace "apps" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "nope": must be one of privileged, baseline, restricted' },
  });

  // The API server answers the list after 700 ms: within the 1s of the request, not within half of it.
  api.podListDelayMs = 700;
  r = await review(namespaceReview('apps', { [`${P}enforce`]: 'restricted' }, {}), '/validate?timeout=1s');
  api.podListDelayMs = 0;
  t.same(r.json.response.warnings, ['failed to list pods while checking new PodSecurity enforce level'], '?timeout=1s bounds the pod check to half of it');
  // A timeout of zero or less has run out before the request starts (Go's context.WithTimeout):
  // the pods cannot be listed, and a namespace missing from the cache cannot be fetched.
  for (const timeout of ['0s', '-1s']) {
    r = await review(namespaceReview('apps', { [`${P}enforce`]: 'restricted' }, {}), `/validate?timeout=${timeout}`);
    t.same(r.json.response.warnings, ['failed to list pods while checking new PodSecurity enforce level'], `?timeout=${timeout}: no pod is listed`);
  }
  // One that does not parse is ignored, as upstream ignores it: the pods are checked.
  r = await review(namespaceReview('apps', { [`${P}enforce`]: 'restricted' }, {}), '/validate?timeout=soon');
  t.notSame(r.json.response.warnings, ['failed to list pods while checking new PodSecurity enforce level'], '?timeout=soon sets no deadline');
});

t.test('why pods could not be listed or a namespace fetched is logged, as the answers give only fixed words', async (t) => {
  const before = logs.length;
  api.failPodLists = true;
  let r = await review(namespaceReview('apps', { [`${P}enforce`]: 'restricted' }, {}));
  api.failPodLists = false;
  t.same(r.json.response.warnings, ['failed to list pods while checking new PodSecurity enforce level']);
  r = await review(podReview('missing', 'p'));
  t.equal(r.json.response.status.code, 500);
  const lines = logs.slice(before).map((l) => JSON.parse(l));
  const listed = lines.find((l) => l.msg === 'failed to list pods');
  t.match(listed, { level: 'error', namespace: 'apps', error: 'injected failure' }, 'the pod list failure and its cause');
  const fetched = lines.find((l) => l.msg === 'failed to fetch pod namespace');
  t.match(fetched, { level: 'error', namespace: 'missing', error: 'namespaces "missing" not found' }, 'the namespace lookup failure and its cause');
});

t.test('exemptions from the configuration', async (t) => {
  let r = await review(podReview('kube-system', 'p'));
  t.same(r.json.response.auditAnnotations, { exempt: 'namespace' });
  t.equal(r.json.response.allowed, true);
  const byUser = podReview('restricted', 'p');
  (byUser.request as any).userInfo.username = 'system:admin';
  r = await review(byUser);
  t.same(r.json.response.auditAnnotations, { exempt: 'user' });
  r = await review(podReview('restricted', 'p', { runtimeClassName: 'kata', containers: [{ name: 'x', image: 'y' }] }));
  t.same(r.json.response.auditAnnotations, { exempt: 'runtimeClass' });
});

t.test('namespaces created later arrive through the watch; cache misses fall back to a GET', async (t) => {
  api.setNamespace('late', { [`${P}enforce`]: 'baseline' });
  for (let i = 0; i < 50 && !cache.get('late'); i++) await new Promise((r) => setTimeout(r, 20));
  t.ok(cache.get('late'), 'watch delivered the new namespace');
  const gets = api.requests.filter((q) => q.path === '/api/v1/namespaces/late').length;
  let r = await review(podReview('late', 'p', { hostPID: true, containers: [] }));
  t.match(r.json.response.status.message, /"baseline:latest": host namespaces \(hostPID=true\)/);
  t.equal(api.requests.filter((q) => q.path === '/api/v1/namespaces/late').length, gets, 'served from the cache');

  r = await review(podReview('nowhere', 'p'));
  t.equal(r.json.response.status.code, 500);
  t.equal(r.json.response.status.message, 'Internal error occurred: failed to lookup namespace "nowhere"');
  t.equal(r.json.response.auditAnnotations.error, 'Internal error occurred: failed to lookup namespace "nowhere": namespaces "nowhere" not found', 'the API server\'s Status message, as client-go reports it');
  t.ok(api.requests.some((q) => q.path === '/api/v1/namespaces/nowhere'), 'a miss asks the API server');
  // A request whose ?timeout= has run out cannot ask: client-go's rate limiter refuses first.
  const asked = api.requests.filter((q) => q.path === '/api/v1/namespaces/elsewhere').length;
  r = await review(podReview('elsewhere', 'p'), '/validate?timeout=0s');
  t.match(r.json.response, { allowed: false, status: { code: 500, message: 'Internal error occurred: failed to lookup namespace "elsewhere"' }, auditAnnotations: { error: /context deadline exceeded$/ } });
  t.equal(api.requests.filter((q) => q.path === '/api/v1/namespaces/elsewhere').length, asked, 'no GET once the deadline has passed');
  // A pod review without a namespace: an error, never the namespace list read as a namespace.
  r = await review(podReview('', 'p'));
  t.match(r.json.response, { allowed: false, status: { code: 500, message: 'Internal error occurred: failed to lookup namespace ""' }, auditAnnotations: { error: /resource name may not be empty$/ } });
  t.notOk(api.requests.some((q) => q.path === '/api/v1/namespaces/'), 'no GET of the namespace list');

  // 410 Gone: the watch's resourceVersion has been compacted away, so the cache must relist.
  const lists = cache.stats.lists;
  api.dropWatches();
  api.setNamespace('after-compaction', { [`${P}enforce`]: 'restricted' });
  api.compact();
  for (let i = 0; i < 100 && !cache.get('after-compaction'); i++) await new Promise((r) => setTimeout(r, 20));
  t.ok(cache.get('after-compaction'), 'namespace seen after the relist');
  t.ok(cache.stats.lists > lists, 'relisted');
  t.ok(cache.stats.relistsAfterGone >= 1, 'because of 410 Gone');

  // A failing API server: the cache keeps its content and recovers.
  api.failNamespaceLists = 2;
  api.dropWatches();
  api.deleteNamespace('late');
  api.compact();
  for (let i = 0; i < 150 && cache.get('late'); i++) await new Promise((r) => setTimeout(r, 20));
  t.notOk(cache.get('late'), 'deletion seen after errors and relist');
  t.ok(cache.stats.errors >= 2);
  t.equal((await get('/readyz')).status, 200);
});

t.test('configuration reload keeps the last valid configuration', async (t) => {
  writeFileSync(configFile, CONFIG_HEAD + 'exemptions:\n  namespaces: [restricted]\n');
  server.reload();
  let r = await review(podReview('restricted', 'p'));
  t.same(r.json.response.auditAnnotations, { exempt: 'namespace' }, 'new exemption in force');
  writeFileSync(configFile, CONFIG_HEAD + 'exemptions:\n  namespace: [x]\n');
  server.reload();
  r = await review(podReview('restricted', 'p'));
  t.same(r.json.response.auditAnnotations, { exempt: 'namespace' }, 'invalid file ignored');
  t.ok(logs.some((l) => l.includes('invalid configuration; keeping the last valid one') && l.includes('did you mean \\"namespaces\\"')));
  writeFileSync(configFile, CONFIG_HEAD);
  server.reload();
  r = await review(podReview('restricted', 'p'));
  t.equal(r.json.response.allowed, false);
  // Gone: said once, however often it is looked at; the last valid configuration stays.
  const before = logs.length;
  rmSync(configFile);
  server.reload();
  server.reload();
  const said = logs.slice(before).filter((l) => l.includes('invalid configuration; keeping the last valid one'));
  t.equal(said.length, 1, 'a missing file is reported once');
  t.match(said[0], /cannot read configuration file .*ENOENT/);
  t.equal((await review(podReview('restricted', 'p'))).json.response.allowed, false, 'the last valid configuration still applies');
  writeFileSync(configFile, CONFIG_HEAD + 'exemptions:\n  namespaces: [restricted]\n');
  server.reload();
  t.same((await review(podReview('restricted', 'p'))).json.response.auditAnnotations, { exempt: 'namespace' }, 'the file is read again once it is back');
  writeFileSync(configFile, CONFIG_HEAD);
  server.reload();
});

function peerFingerprint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false }, () => {
      const fp = s.getPeerCertificate().fingerprint256;
      s.end();
      resolve(fp);
    });
    s.on('error', reject);
  });
}

t.test('certificate reload without restart', async (t) => {
  const fp = (pem: Buffer) => new X509Certificate(pem).fingerprint256;
  t.equal(await peerFingerprint(), fp(certA.cert));
  copyFileSync(certB.certFile, certFile);
  copyFileSync(certB.keyFile, keyFile);
  server.reload();
  t.equal(await peerFingerprint(), fp(certB.cert), 'new connections get the new certificate');
  const r = await post('/', JSON.stringify(podReview('open', 'p')), {}, certB.cert);
  t.equal(r.json.response.allowed, true);
  writeFileSync(certFile, 'garbage');
  server.reload();
  t.equal(await peerFingerprint(), fp(certB.cert), 'a broken file keeps the current certificate');
  copyFileSync(certA.certFile, certFile);
  copyFileSync(certA.keyFile, keyFile);
  server.reload();
  t.equal(await peerFingerprint(), fp(certA.cert));
});

t.test('TLS below 1.2 is refused', async (t) => {
  const err = await new Promise<Error | undefined>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => {
      s.end();
      resolve(undefined);
    });
    s.on('error', resolve);
  });
  t.ok(err, 'handshake fails');
});

t.test('bad input', async (t) => {
  let r = await post('/', '{not json');
  t.equal(r.status, 400);
  t.match(r.json, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { allowed: false, status: { code: 400 } } });
  r = await post('/', JSON.stringify({ ...podReview('open', 'p'), apiVersion: 'admission.k8s.io/v1beta1' }));
  t.equal(r.status, 400);
  t.equal(r.json.response.status.message, 'unexpected AdmissionReview kind: admission.k8s.io/v1beta1, Kind=AdmissionReview; expected admission.k8s.io/v1, Kind=AdmissionReview');
  r = await post('/', JSON.stringify({ apiVersion: 'v1', kind: 'Pod' }));
  t.equal(r.json.response.status.message, 'unexpected AdmissionReview kind: /v1, Kind=Pod; expected admission.k8s.io/v1, Kind=AdmissionReview');
  // Upstream decodes with admission.k8s.io/v1 AdmissionReview as the default: what is missing is taken from it.
  r = await post('/', JSON.stringify({ a: 'b' }));
  t.equal(r.status, 400);
  t.equal(r.json.response.status.message, 'malformed AdmissionReview: request is missing');
  for (const [what, typeMeta] of [
    ['without apiVersion and kind', {}],
    ['without kind', { apiVersion: 'admission.k8s.io/v1' }],
    ['without apiVersion', { kind: 'AdmissionReview' }],
    ['with a null apiVersion', { apiVersion: null, kind: 'AdmissionReview' }],
  ] as const) {
    const { apiVersion: _a, kind: _k, ...rest } = podReview('open', 'p');
    r = await post('/', JSON.stringify({ ...typeMeta, ...rest }));
    t.equal(r.status, 200, `a review ${what} is answered`);
    t.equal(r.json.response.allowed, true, what);
  }
  const noUid = podReview('open', 'p');
  delete (noUid.request as any).uid;
  r = await post('/', JSON.stringify(noUid));
  t.equal(r.status, 400);
  t.match(r.json.response.status.message, /request\.uid is missing/);
  r = await post('/', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }));
  t.equal(r.status, 400);
  r = await post('/', '');
  t.equal(r.status, 400);
  // As upstream: exactly application/json (what the API server sends), else 400.
  for (const type of ['text/plain', 'Application/JSON', 'application/json; charset=utf-8']) {
    r = await post('/', JSON.stringify(podReview('open', 'p')), { 'Content-Type': type });
    t.equal(r.status, 400, type);
    t.equal(r.json.response.status.message, `unable to process a request with a non-json content type (${JSON.stringify(type)}; send application/json)`);
  }
  // Checked after the body is read, as upstream checks it: an empty or oversized body is said first.
  r = await post('/', '', { 'Content-Type': 'text/plain' });
  t.same([r.status, r.json.response.status.message], [400, 'request body is empty']);
  r = await post('/', 'x'.repeat(3 * 1024 * 1024), { 'Content-Type': 'text/plain' });
  t.equal(r.status, 413);

  const wrongType = podReview('restricted', 'p');
  (wrongType.request as any).object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'p' } };
  r = await post('/', JSON.stringify(wrongType));
  t.equal(r.status, 200);
  t.match(r.json.response, { uid: '00000000-0000-0000-0000-000000000001', allowed: false, status: { code: 400, message: 'failed to decode pod' } });
  const badShape = podReview('restricted', 'p');
  (badShape.request as any).object.spec.containers = 'nginx';
  r = await post('/', JSON.stringify(badShape));
  t.match(r.json.response, { allowed: false, status: { code: 400, message: 'failed to decode object' }, auditAnnotations: { error: 'spec.containers: expected array, got string' } });
  // Integers as Go decodes them: exact to the last digit at int64's ends (JSON.parse would round
  // both 9223372036854775807 and 9223372036854775808 to 2^63).
  const withRunAsUser = (literal: string) => JSON.stringify(podReview('restricted', 'p', { ...RESTRICTED_POD_SPEC, securityContext: { ...RESTRICTED_POD_SPEC.securityContext, runAsUser: 7 } })).replace('"runAsUser":7', `"runAsUser":${literal}`);
  for (const literal of ['9223372036854775807', '-9223372036854775808']) {
    r = await post('/', withRunAsUser(literal));
    t.equal(r.json.response.allowed, true, `runAsUser ${literal} fits int64`);
  }
  for (const [literal, sent] of [['9223372036854775808', '9223372036854776000'], ['-9223372036854775809', '-9223372036854776000']]) {
    r = await post('/', withRunAsUser(literal));
    t.match(r.json.response, { allowed: false, status: { code: 400, message: 'failed to decode object' }, auditAnnotations: { error: `spec.securityContext.runAsUser: cannot unmarshal number ${sent} into Go value of type int64` } }, `runAsUser ${literal} does not`);
  }
  // A lone surrogate escape is U+FFFD to Go, in the words the answer quotes.
  const lone = podReview('restricted', 'p');
  r = await post('/', JSON.stringify(lone).replace('"name":"x"', '"name":"x\\udfff"'));
  t.match(r.json.response.status.message, 'container "x\ufffd" must set', 'a lone surrogate is read as U+FFFD');
  const badOp = podReview('restricted', 'p');
  (badOp.request as any).operation = 42;
  r = await post('/', JSON.stringify(badOp));
  t.equal(r.status, 400, 'a review whose fields do not decode is refused whole: the failurePolicy decides');
  t.match(r.json.response, { allowed: false, status: { code: 400, message: /request\.operation must be a string/ } });
  const badUser = deploymentReview('restricted', 'd', RESTRICTED_POD_SPEC);
  (badUser.request as any).userInfo = 5;
  r = await post('/', JSON.stringify(badUser));
  t.equal(r.status, 400, 'also for a pod controller, which is then allowed under its Ignore policy, never denied');
  // Every field of the review is typed as upstream's decoder types it, not only those podsec reads.
  for (const [field, value, message] of [
    ['dryRun', 'yes', 'request.dryRun must be a boolean'],
    ['userInfo', { username: 'u', groups: 'system:masters' }, 'request.userInfo.groups must be an array'],
    ['userInfo', { username: 'u', groups: ['a', 1] }, 'request.userInfo.groups[1] must be a string'],
    ['userInfo', { username: 'u', extra: { scopes: 'x' } }, 'request.userInfo.extra["scopes"] must be an array'],
    ['userInfo', { username: 'u', uid: 7 }, 'request.userInfo.uid must be a string'],
    ['requestKind', 'Pod', 'request.requestKind must be an object'],
    ['requestResource', { group: '', version: 'v1', resource: 5 }, 'request.requestResource.resource must be a string'],
    ['subResource', 5, 'request.subResource must be a string'],
  ] as const) {
    const review = podReview('open', 'p');
    (review.request as any)[field] = value;
    r = await post('/', JSON.stringify(review));
    t.equal(r.status, 400, `${field}: ${JSON.stringify(value)} does not decode`);
    t.equal(r.json.response?.status?.message, `malformed AdmissionReview: ${message}`);
  }
  // A review may carry a response too (its type is the same in both directions): typed alike.
  for (const [response, message] of [
    [{ uid: 'x', allowed: 'yes' }, 'response.allowed must be a boolean'],
    [{ uid: 'x', status: { code: 1.5 } }, 'response.status.code must be a 32-bit integer'],
    [{ uid: 'x', status: { metadata: { remainingItemCount: 2 ** 60 } } }, 'response.status.metadata.remainingItemCount must be an integer'],
    [{ uid: 'x', status: { details: { causes: [{ reason: 'r' }, { field: 3 }] } } }, 'response.status.details.causes[1].field must be a string'],
    [{ uid: 'x', patch: 'not base64!' }, 'response.patch must be base64'],
    [{ uid: 'x', auditAnnotations: { a: 'b', c: false } }, 'response.auditAnnotations["c"] must be a string'],
  ] as const) {
    const review = podReview('open', 'p') as any;
    review.response = response;
    r = await post('/', JSON.stringify(review));
    t.equal(r.json.response?.status?.message, `malformed AdmissionReview: ${message}`);
  }
  const fine = podReview('open', 'p') as any;
  fine.response = { uid: 'x', allowed: true, patch: 'W10=', patchType: 'JSONPatch', status: { code: 200, details: { causes: [] } }, warnings: ['w'] };
  r = await post('/', JSON.stringify(fine));
  t.equal(r.status, 200, 'a response whose fields decode is no reason to refuse the review');
  // What does decode is answered: nulls, any JSON in options, any operation (only UPDATE is told apart).
  for (const [field, value] of [
    ['options', 'anything'],
    ['dryRun', null],
    ['userInfo', { username: 'u', groups: [null], extra: { scopes: ['a'] } }],
    ['operation', 'PATCH'],
    ['operation', undefined],
  ] as const) {
    const review = podReview('open', 'p');
    (review.request as any)[field] = value;
    r = await post('/', JSON.stringify(review));
    t.equal(r.status, 200, `${field}: ${JSON.stringify(value)} is answered`);
    t.equal(r.json.response?.allowed, true);
  }

  // Over 3 MiB: refused from the Content-Length, and when streamed without one.
  const big = Buffer.alloc(3 * 1024 * 1024 + 10, 0x20);
  r = await post('/', big);
  t.equal(r.status, 413);
  t.match(r.json.response.status, { reason: 'RequestEntityTooLarge', message: /request entity is too large; limit is 3145728 bytes/ });
  // Upstream reads through a LimitedReader of 3 MiB and refuses a body that reaches it.
  r = await post('/', Buffer.alloc(3 * 1024 * 1024, 0x20));
  t.equal(r.status, 413, 'exactly 3 MiB is refused, as upstream refuses it');
  r = await post('/', Buffer.alloc(3 * 1024 * 1024 - 1, 0x20));
  t.same([r.status, r.json.response.status.reason], [400, 'BadRequest'], 'one byte less is read (and refused as no review)');
  r = await new Promise<Reply>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST', ca: certA.cert, agent: false, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: d, json: JSON.parse(d) }));
    });
    // The server hangs up once it has answered; the rest of the upload then fails.
    req.on('error', (e) => setTimeout(() => reject(e), 200));
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1024 * 1024) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  t.equal(r.status, 413);

  r = await new Promise<Reply>((resolve, reject) => {
    https.get({ host: '127.0.0.1', port: server.port, path: '/validate', ca: certA.cert, agent: false }, (res) => {
      let d = '';
      res.on('data', (c) => (d += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: d, json: JSON.parse(d) }));
    }).on('error', reject);
  });
  t.equal(r.status, 405);
  t.equal(r.json.response.status.reason, 'MethodNotAllowed');

  // A client that disconnects half-way through its body.
  await new Promise<void>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false }, () => {
      s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVersion":');
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 50);
    });
    s.on('error', () => resolve());
  });
  t.equal((await get('/healthz')).status, 200, 'still serving');
});

t.test('metrics', async (t) => {
  const r = await get('/metrics');
  t.equal(r.status, 200);
  t.match(r.body, '# TYPE pod_security_evaluations_total counter');
  t.match(r.body, /pod_security_evaluations_total\{decision="deny",mode="enforce",policy_level="restricted",policy_version="latest",request_operation="create",resource="pod",subresource=""\} \d+/);
  t.match(r.body, /pod_security_evaluations_total\{decision="allow",mode="enforce",policy_level="restricted",policy_version="latest",request_operation="create",resource="pod",subresource=""\} \d+/);
  t.match(r.body, /pod_security_evaluations_total\{decision="deny",mode="warn",policy_level="restricted",policy_version="latest",request_operation="create",resource="controller",subresource=""\} 1/);
  t.match(r.body, /pod_security_exemptions_total\{request_operation="create",resource="pod",subresource=""\} \d+/);
  t.match(r.body, /pod_security_errors_total\{fatal="true",request_operation="create",resource="pod",subresource=""\} \d+/);
  t.match(r.body, /podsec_webhook_request_duration_seconds_count \d+/);
});


/** Sends a review of pod team-a/p to a server started by the test itself; its parsed reply. */
function askPodReview(port: number): Promise<any> {
  return new Promise<any>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', method: 'POST', ca: certA.cert, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end(JSON.stringify(podReview('team-a', 'p')));
  });
}

t.test('files are re-read on their own, without a reload call', async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'podsec-auto-'));
  const cf = join(d, 'config.yaml');
  writeFileSync(cf, CONFIG_HEAD);
  const local = await startServer(localServerOptions({ certFile, keyFile }, {
    configFile: cf,
    getNamespace: (n) => ({ metadata: { name: n, labels: { [`${P}enforce`]: 'restricted' } } }),
    reloadIntervalMs: 50,
  }));
  t.teardown(() => local.close(500));
  const ask = () => askPodReview(local.port);
  t.equal((await ask()).response.allowed, false);
  writeFileSync(cf, CONFIG_HEAD + 'exemptions: {namespaces: [team-a]}\n');
  let exempt = false;
  for (let i = 0; i < 40 && !exempt; i++) {
    await new Promise((r) => setTimeout(r, 50));
    exempt = (await ask()).response.auditAnnotations?.exempt === 'namespace';
  }
  t.ok(exempt, 'the changed configuration took effect');
});

t.test("a change to the file an AdmissionConfiguration's path names is a change", async (t) => {
  const d = mkdtempSync(join(tmpdir(), 'podsec-path-'));
  const ac = join(d, 'admission.yaml');
  const psc = join(d, 'psc.yaml');
  writeFileSync(ac, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psc.yaml\n');
  writeFileSync(psc, CONFIG_HEAD);
  const local = await startServer(localServerOptions({ certFile, keyFile }, {
    configFile: ac,
    getNamespace: (n) => ({ metadata: { name: n, labels: { [`${P}enforce`]: 'restricted' } } }),
    reloadIntervalMs: 60_000,
  }));
  t.teardown(() => local.close(500));
  const ask = () => askPodReview(local.port);
  t.equal((await ask()).response.allowed, false);
  writeFileSync(psc, CONFIG_HEAD + 'exemptions: {namespaces: [team-a]}\n');
  local.reload();
  t.equal((await ask()).response.auditAnnotations?.exempt, 'namespace', 'the named file was re-read');
  // Broken, then fixed: the fix is seen though the AdmissionConfiguration did not change.
  writeFileSync(psc, CONFIG_HEAD + 'exemptions: {namespace: [team-a]}\n');
  local.reload();
  t.equal((await ask()).response.auditAnnotations?.exempt, 'namespace', 'an invalid file keeps the last valid configuration');
  writeFileSync(psc, CONFIG_HEAD);
  local.reload();
  t.equal((await ask()).response.allowed, false, 'the fixed file is applied');
});

t.test('client-side rate limit', async (t) => {
  const { RateLimiter } = await import('../webhook/kube.js');
  const rl = new RateLimiter(10, 3);
  const wouldWait = { message: 'client rate limiter Wait returned an error: rate: Wait(n=1) would exceed context deadline' };
  // take(0) rejects a request that would have to wait at all.
  await t.resolves(Promise.all([rl.take(0), rl.take(0), rl.take(0)]), 'a burst of 3 goes at once');
  await t.rejects(rl.take(0), wouldWait, 'the fourth has to wait');
  await t.resolves(rl.take(150), 'then 10 per second: the fourth waits at most 100 ms');
  await t.rejects(rl.take(10), wouldWait, 'callers with a deadline give up instead of queueing');
});

t.test('slow clients are cut off', async (t) => {
  const local = await startServer(localServerOptions({ certFile, keyFile }, { headersTimeoutMs: 500, requestTimeoutMs: 1000 }));
  t.teardown(() => local.close(500));
  const slow = (send: (s: tls.TLSSocket) => void) =>
    new Promise<{ ms: number; reply: string }>((resolve) => {
      const started = Date.now();
      let reply = '';
      const s = tls.connect({ host: '127.0.0.1', port: local.port, rejectUnauthorized: false }, () => send(s));
      s.setEncoding('utf8');
      s.on('data', (d) => (reply += d));
      s.on('close', () => resolve({ ms: Date.now() - started, reply }));
      s.on('error', () => {});
    });
  const headers = await slow((s) => s.write('POST / HTTP/1.1\r\nHost: x\r\n'));
  t.ok(headers.ms < 3000, `never-finished headers closed after ${headers.ms} ms`);
  t.match(headers.reply, /^HTTP\/1\.1 408/);
  const body = await slow((s) => s.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'));
  t.ok(body.ms < 3500, `a body that never completes is cut off after ${body.ms} ms`);
});
