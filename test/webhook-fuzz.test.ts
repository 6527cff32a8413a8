// Thousands of random and mutated AdmissionReviews: every answer must be well-formed and the
// server must keep serving.
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startServer } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { rng } from './helpers/random-pods.js';
import { localServerOptions } from './helpers/server.js';
import { deploymentReview, namespaceReview, podReview, RESTRICTED_POD_SPEC, admissionReview } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';
const ITERATIONS = Number(process.env.PODSEC_FUZZ_ITERATIONS ?? 3000);
const TIME_LIMIT_MS = 60_000;


const seeds = [
  podReview('restricted', 'p'),
  podReview('restricted', 'ok', RESTRICTED_POD_SPEC),
  podReview('baseline', 'h', { hostNetwork: true, containers: [{ name: 'a', image: 'b', ports: [{ hostPort: 80 }] }] }),
  deploymentReview('restricted', 'd', { containers: [{ name: 'a', image: 'b', securityContext: { privileged: true } }] }),
  namespaceReview('restricted', { [`${P}enforce`]: 'baseline' }, { [`${P}enforce`]: 'restricted' }),
  namespaceReview('x', { [`${P}enforce`]: 'restricted' }, {}),
  admissionReview({ group: 'batch', resource: 'cronjobs', kind: 'CronJob', namespace: 'baseline', name: 'c', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } } }),
  admissionReview({ resource: 'pods', kind: 'Pod', subResource: 'ephemeralcontainers', operation: 'UPDATE', namespace: 'restricted', name: 'p', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], ephemeralContainers: [{ name: 'e', image: 'i' }] } }, oldObject: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } } }),
];

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 7 : 9));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 31) * (r() < 0.5 ? -1 : 1);
    case 3: return r() * 1e308;
    case 4: return '';
    case 5: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 0xffff)));
    case 6: return ['restricted', 'baseline', 'privileged', 'latest', 'v1.0', 'v1.999', 'ALL', 'RuntimeDefault', 'CREATE', 'pods'][Math.floor(r() * 10)];
    case 7: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 4); i++) o[['name', 'image', 'spec', 'metadata', 'containers', 'securityContext', '__proto__', 'constructor', 'x'][Math.floor(r() * 9)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function mutate(seed: unknown, r: () => number): string {
  const doc = structuredClone(seed) as any;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const all = paths(doc);
    const path = all[Math.floor(r() * all.length)]!;
    if (path.length === 0) continue;
    let parent = doc;
    for (const seg of path.slice(0, -1)) parent = parent[seg];
    const last = path[path.length - 1]!;
    const op = r();
    if (op < 0.3) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op < 0.8) parent[last] = randomValue(r);
    else if (Array.isArray(parent[last])) parent[last].push(...parent[last]);
    else parent[last] = [parent[last]];
  }
  let text = JSON.stringify(doc);
  const t2 = r();
  if (t2 < 0.05) text = text.slice(0, Math.floor(r() * text.length));
  else if (t2 < 0.08) text = text.replace(/[{}\[\]":,]/, String.fromCharCode(Math.floor(r() * 128)));
  else if (t2 < 0.1) text = String.fromCharCode(...Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
  return text;
}

t.test('fuzzing the admission handler', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fuzz-'));
  const cert = makeSelfSignedCert(dir);
  const namespaces: Record<string, Record<string, string>> = {
    restricted: { [`${P}enforce`]: 'restricted' },
    baseline: { [`${P}enforce`]: 'baseline', [`${P}warn`]: 'restricted', [`${P}audit`]: 'restricted' },
    x: {},
  };
  const server = await startServer(localServerOptions(cert, {
    getNamespace: (n) => {
      if (!namespaces[n]) throw new Error('not found');
      return { metadata: { name: n, labels: namespaces[n] } };
    },
    listPods: async () => [{ metadata: { name: 'a' }, spec: { hostNetwork: true, containers: [] } }],
  }));
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: cert.cert });
  const r = rng(Number(process.env.PODSEC_FUZZ_SEED ?? 1234));
  const started = Date.now();
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  let done = 0;

  const one = (body: string) =>
    new Promise<void>((resolve) => {
      const req = https.request(
        { host: '127.0.0.1', port: server.port, path: '/?timeout=5s', method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let d = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (d += c));
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            statuses.set(code, (statuses.get(code) ?? 0) + 1);
            try {
              const j = JSON.parse(d);
              if (j.apiVersion !== 'admission.k8s.io/v1' || j.kind !== 'AdmissionReview' || typeof j.response?.allowed !== 'boolean') throw new Error('not a review');
              if (code === 200 && typeof j.response.uid !== 'string') throw new Error('no uid');
              if (![200, 400].includes(code)) throw new Error(`HTTP ${code}`);
              const st = j.response.status;
              if (st?.code === 500 && !/failed to lookup namespace/.test(st.message)) throw new Error('internal error');
            } catch (e) {
              if (problems.length < 5) problems.push(`${(e as Error).message}: ${body.slice(0, 200)} -> ${code} ${d.slice(0, 200)}`);
            }
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        if (problems.length < 5) problems.push(`request error ${e.message}`);
        resolve();
      });
      req.end(body);
    });

  while (done < ITERATIONS && Date.now() - started < TIME_LIMIT_MS) {
    const batch: Promise<void>[] = [];
    for (let i = 0; i < 32 && done < ITERATIONS; i++, done++) batch.push(one(mutate(seeds[Math.floor(r() * seeds.length)], r)));
    await Promise.all(batch);
  }
  agent.destroy();
  t.same(problems, [], 'every answer is a well-formed AdmissionReview');
  t.ok(done >= Math.min(ITERATIONS, 1000), `sent ${done} reviews in ${Date.now() - started} ms`);
  t.ok((statuses.get(200) ?? 0) > done / 4, `status mix ${JSON.stringify(Object.fromEntries(statuses))}`);
  const health = await new Promise<number>((resolve) => https.get({ host: '127.0.0.1', port: server.port, path: '/healthz', ca: cert.cert }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }));
  t.equal(health, 200, 'still healthy');
  await server.close(1000);
});
