// The namespace cache's watch against an API server that stops talking without closing.
import { KubeConfig } from '@kubernetes/client-node';
import t, { type Test } from 'tap';
import { KubeClient, NamespaceCache, WATCH_IDLE_TIMEOUT_MS } from '../webhook/kube.js';
import { createLogger } from '../webhook/log.js';
import { FakeApiServer } from '../webhook/testing/fake-apiserver.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A namespace cache on a fake API server, both stopped when the test ends; `logs` is the cache's log lines. */
async function cacheOn(t: Test, setUp: (api: FakeApiServer) => void, options: ConstructorParameters<typeof NamespaceCache>[2] = {}) {
  const api = new FakeApiServer();
  await api.start();
  setUp(api);
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: 'c', server: api.url, skipTLSVerify: true }, { name: 'u' });
  const client = new KubeClient(kc, 1000, 1000);
  const logs: string[] = [];
  const cache = new NamespaceCache(client, createLogger('info', (l) => logs.push(l)), options);
  t.teardown(async () => {
    await cache.stop();
    client.close();
    await api.stop();
  });
  return { api, cache, logs };
}

t.test('a watch that goes silent is resumed on a new connection, so label changes are not missed', async (t) => {
  const { api, cache, logs } = await cacheOn(t, (api) => api.setNamespace('shop'), { watchIdleTimeoutMs: 400, minBackoffMs: 20 });
  cache.start();
  await cache.waitForSync();
  for (let i = 0; i < 50 && !api.requests.some((q) => q.query.watch); i++) await sleep(10);

  // The open watch now hears nothing, as from an API server that died without closing it.
  api.silenceWatches();
  api.setNamespace('shop', { [ENFORCE]: 'restricted' });
  for (let i = 0; i < 100 && cache.get('shop')?.metadata.labels[ENFORCE] !== 'restricted'; i++) await sleep(20);
  t.equal(cache.get('shop')?.metadata.labels[ENFORCE], 'restricted', 'the change arrives through a new watch');
  t.ok(cache.stats.silentWatches >= 1, 'the silent watch was given up');
  t.equal(cache.stats.lists, 1, 'resumed from its resourceVersion, without a relist');
  t.equal(cache.stats.errors, 0, 'not an error: no back-off');
  t.ok(logs.some((l) => l.includes('namespace watch sent nothing')), 'and logged');
});

t.test('a refused watch says why, and the cache is kept fresh by lists, as client-go\'s reflector keeps it', async (t) => {
  const { api, cache, logs } = await cacheOn(t, (api) => {
    api.setNamespace('shop');
    api.forbidWatches = true;
  }, { minBackoffMs: 20, maxBackoffMs: 50 });
  cache.start();
  await cache.waitForSync();
  api.setNamespace('shop', { [ENFORCE]: 'restricted' });
  for (let i = 0; i < 100 && cache.get('shop')?.metadata.labels[ENFORCE] !== 'restricted'; i++) await sleep(20);
  t.equal(cache.get('shop')?.metadata.labels[ENFORCE], 'restricted', 'the label change is seen without a watch');
  t.ok(cache.stats.lists > 1, 'relisted');
  const warned = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'namespace cache error; retrying');
  t.match(warned?.error, /^watch namespaces: namespaces is forbidden: .* cannot watch resource "namespaces"/, 'the API server\'s reason');
});

t.test('stopping the cache does not wait for a list the API server is slow to answer', async (t) => {
  const { api, cache } = await cacheOn(t, (api) => (api.listDelayMs = 5000));
  cache.start();
  for (let i = 0; i < 50 && !api.requests.length; i++) await sleep(10);
  const started = Date.now();
  await cache.stop();
  t.ok(Date.now() - started < 1000, `stopped after ${Date.now() - started} ms`);
  t.notOk(cache.hasSynced);
});

t.test('stopping the cache does not wait for a watch the API server never answers', async (t) => {
  const { api, cache } = await cacheOn(t, (api) => (api.muteWatches = true));
  cache.start();
  await cache.waitForSync();
  for (let i = 0; i < 50 && !api.requests.some((q) => q.query.watch); i++) await sleep(10);
  const started = Date.now();
  const stopped = await Promise.race([cache.stop().then(() => true), sleep(3000).then(() => false)]);
  t.ok(stopped, `stopped after ${Date.now() - started} ms`);
});

t.test('the default outlasts the API server\'s bookmarks, sent about every minute', async (t) => {
  t.ok(WATCH_IDLE_TIMEOUT_MS > 60_000 && WATCH_IDLE_TIMEOUT_MS <= 180_000, `${WATCH_IDLE_TIMEOUT_MS} ms`);
});
