// The metrics as upstream's recorder keeps them.
import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Admission, type AdmissionResult, type PodEvaluator } from '../admission/admission.js';
import { defaultAdmissionConfig } from '../admission/config.js';
import { createEvaluator } from '../engine/index.js';
import { Metrics } from '../webhook/metrics.js';
import { requestAttributes, startServer } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { podReview } from '../webhook/testing/reviews.js';
import { localServerOptions } from './helpers/server.js';

const P = 'pod-security.kubernetes.io/';
const evaluator = createEvaluator();

function admission(labels: Record<string, string>, ev: PodEvaluator = evaluator): Admission {
  return new Admission({ config: defaultAdmissionConfig(), evaluator: ev, getNamespace: (n) => ({ metadata: { name: n, labels } }), listPods: async () => [] });
}

async function decide(a: Admission, request: Record<string, unknown>): Promise<AdmissionResult> {
  return a.decide(requestAttributes(request, undefined));
}

t.test('policy_version: newer than the rules\' newest version is future, also without an apiVersion option', async (t) => {
  const newest = Number(evaluator.newestVersion.slice('v1.'.length));
  const label = async (version: string, ev?: PodEvaluator) => {
    const r = await decide(admission({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: version }, ev), podReview('ns', 'p').request as Record<string, unknown>);
    return r.events[0]?.type === 'evaluation' ? r.events[0].policy_version : undefined;
  };
  t.equal(await label(`v1.${newest}`), `v1.${newest}`);
  t.equal(await label(`v1.${newest + 1}`), 'future');
  t.equal(await label('v1.99'), 'future');
  t.equal(await label('latest'), 'latest');
  // An evaluator that does not say which version is its newest: every version is known.
  const plain: PodEvaluator = { evaluate: (pod, options) => evaluator.evaluate(pod, options) };
  t.equal(await label('v1.99', plain), 'v1.99');
});

t.test('upstream\'s pre-created series are there at zero before any request', async (t) => {
  const zero = [
    'pod_security_evaluations_total{decision="allow",mode="enforce",policy_level="privileged",policy_version="latest",request_operation="create",resource="pod",subresource=""} 0',
    'pod_security_evaluations_total{decision="allow",mode="enforce",policy_level="privileged",policy_version="latest",request_operation="update",resource="pod",subresource=""} 0',
    'pod_security_exemptions_total{request_operation="create",resource="pod",subresource=""} 0',
    'pod_security_exemptions_total{request_operation="update",resource="pod",subresource=""} 0',
    'pod_security_exemptions_total{request_operation="create",resource="controller",subresource=""} 0',
    'pod_security_exemptions_total{request_operation="update",resource="controller",subresource=""} 0',
  ];
  const m = new Metrics();
  const lines = m.render().split('\n');
  for (const z of zero) t.ok(lines.includes(z), z);
  t.notOk(lines.some((l) => l.startsWith('pod_security_errors_total{')), 'no error series');
  m.record([{ type: 'exemption', request_operation: 'create', resource: 'pod', subresource: '' }]);
  t.ok(m.render().split('\n').includes('pod_security_exemptions_total{request_operation="create",resource="pod",subresource=""} 1'), 'counted from zero');

  const dir = mkdtempSync(join(tmpdir(), 'podsec-metrics-'));
  const cert = makeSelfSignedCert(dir, 'm');
  const server = await startServer(localServerOptions(cert));
  t.teardown(() => server.close(500));
  const body = await new Promise<string>((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port: server.port, path: '/metrics', ca: cert.cert, agent: false }, (res) => {
        let d = '';
        res.on('data', (c) => (d += c));
        res.on('end', () => resolve(d));
      })
      .on('error', reject);
  });
  for (const z of zero) t.ok(body.split('\n').includes(z), `scraped: ${z}`);
});

t.test("docs/webhook.md names each metric with the labels /metrics gives it, the annotations, the ignored subresources and the pod check's limits", async (t) => {
  const { readFileSync } = await import('node:fs');
  const { ANNOTATION_AUDIT_VIOLATIONS, ANNOTATION_ENFORCE_POLICY, ANNOTATION_ERROR, ANNOTATION_EXEMPT, DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK, DEFAULT_NAMESPACE_POD_CHECK_TIMEOUT_MS, IGNORED_POD_SUBRESOURCES } = await import('../admission/admission.js');
  const doc = readFileSync(new URL('../docs/webhook.md', import.meta.url), 'utf8');
  const m = new Metrics();
  const request = { request_operation: 'create', resource: 'pod', subresource: '' };
  m.record([{ type: 'evaluation', decision: 'deny', policy_level: 'baseline', policy_version: 'latest', mode: 'enforce', ...request }, { type: 'exemption', ...request }, { type: 'error', fatal: true, ...request }]);
  m.request(200, 0.001);
  const series = new Map<string, string[]>();
  for (const [, name, labels] of m.render().matchAll(/^([a-z_]+?)(?:_bucket|_sum|_count)?\{([^}]*)\} /gm)) series.set(name!, labels!.split(',').map((l) => l.split('=')[0]!).filter((l) => l !== 'le'));
  t.ok(series.size >= 4, [...series.keys()].join(', '));
  // A name given with its labels somewhere, or else named alone (a histogram has only `le`).
  const documented = new Map<string, string[]>();
  for (const [, name, labels] of doc.matchAll(/`([a-z_]+)(?:\{([^}]*)\})?`/g)) {
    if (labels !== undefined) documented.set(name!, labels.split(',').map((l) => l.trim()));
    else if (!documented.has(name!)) documented.set(name!, []);
  }
  for (const [name, labels] of series) t.same(documented.get(name)?.slice().sort(), labels.slice().sort(), `${name} and its labels`);
  const annotations = /## Responses and audit annotations\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
  t.same([...annotations.matchAll(/^\| `([a-z-]+)` \|/gm)].map((x) => x[1]), [ANNOTATION_ENFORCE_POLICY, ANNOTATION_AUDIT_VIOLATIONS, ANNOTATION_EXEMPT, ANNOTATION_ERROR]);
  const ignored = /other pod subresource except ([^)]*)\)/.exec(doc.replace(/\s+/g, ' '))?.[1] ?? '';
  t.same([...ignored.matchAll(/`([a-z]+)`/g)].map((x) => x[1]).sort(), [...IGNORED_POD_SUBRESOURCES].sort());
  t.match(doc.replace(/\s+/g, ' '), `existing pods (at most ${DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK.toLocaleString('en-US')}, at most ${DEFAULT_NAMESPACE_POD_CHECK_TIMEOUT_MS / 1000} s or half`, 'the namespace pod check\'s limits');
});
