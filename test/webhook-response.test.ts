import t from 'tap';
import { Admission, type AdmissionResponse } from '../admission/admission.js';
import { defaultAdmissionConfig } from '../admission/config.js';
import { decodeError } from '../admission/extract.js';
import { goQuote } from '../admission/gostrings.js';
import { createEvaluator } from '../engine/index.js';
import { decisionLogFields, requestAttributes, reviewBody } from '../webhook/server.js';
import { createLogger } from '../webhook/log.js';
import { deploymentReview, podReview } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';

t.test('reviewBody writes the same bytes as JSON.stringify of the review', async (t) => {
  const responses: AdmissionResponse[] = [
    { allowed: true },
    { allowed: true, auditAnnotations: {} },
    { allowed: true, warnings: [], auditAnnotations: { 'enforce-policy': 'restricted:latest' } },
    { allowed: true, warnings: ['would violate PodSecurity "restricted:latest": "quoted" \u2028 ü'], auditAnnotations: { exempt: 'user' } },
    {
      allowed: false,
      status: { metadata: {}, status: 'Failure', message: 'pods "p" is forbidden', reason: 'Forbidden', code: 403, details: { name: 'p', group: undefined, kind: 'pods' } },
      auditAnnotations: { 'enforce-policy': 'restricted:latest', 'audit-violations': 'x' },
    },
  ];
  for (const uid of ['u1', 'odd "uid" \\ \n']) {
    for (const response of responses) {
      const r: Record<string, unknown> = { uid, allowed: response.allowed };
      if (response.status) r.status = response.status;
      if (response.warnings && response.warnings.length > 0) r.warnings = response.warnings;
      if (response.auditAnnotations && Object.keys(response.auditAnnotations).length > 0) r.auditAnnotations = response.auditAnnotations;
      t.equal(reviewBody(uid, response), JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: r }));
    }
  }
});

t.test('decide answers synchronously on a namespace cache hit, asynchronously otherwise', async (t) => {
  const ns = { metadata: { name: 'ns', labels: { [`${P}enforce`]: 'restricted' } } };
  const request = podReview('ns', 'p').request as Record<string, unknown>;
  const attrs = requestAttributes(request, undefined);
  const sync = new Admission({ config: defaultAdmissionConfig(), evaluator: createEvaluator(), getNamespace: () => ns, listPods: async () => [] });
  const now = sync.decide(attrs);
  t.notOk(now instanceof Promise);
  const later = new Admission({ config: defaultAdmissionConfig(), evaluator: createEvaluator(), getNamespace: async () => ns, listPods: async () => [] }).decide(attrs);
  t.ok(later instanceof Promise);
  t.same(await later, now);
  t.equal((now as { response: AdmissionResponse }).response.status?.code, 403);
  const failing = new Admission({
    config: defaultAdmissionConfig(),
    evaluator: createEvaluator(),
    getNamespace: async () => {
      throw new Error('gone');
    },
    listPods: async () => [],
  });
  t.equal((await failing.decide(attrs)).response.status?.code, 500);
});

t.test('compiled shape checks and quoting keep their results', async (t) => {
  const pod = (spec: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
  t.equal(decodeError('', 'pods', pod({ containers: [{ name: 'x', securityContext: { privileged: true } }] })), undefined);
  t.equal(decodeError('', 'pods', pod({ containers: [{ name: 'x', __proto__: 1, constructor: 'y' }] })), undefined);
  t.equal(decodeError('', 'pods', pod({ containers: [{ name: 'x', securityContext: { runAsUser: 1.5 } }] })), 'spec.containers[0].securityContext.runAsUser: expected integer, got number');
  t.equal(decodeError('apps', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: { hostPID: 'yes' } } } }), 'spec.template.spec.hostPID: expected boolean, got string');
  t.equal(goQuote('restricted:latest'), '"restricted:latest"');
  t.equal(goQuote('a"b\\c\td\u00a0'), '"a\\"b\\\\c\\td\\u00a0"');
});

t.test('decision log lines are the JSON a logged object would give', async (t) => {
  const ns = { metadata: { name: 'ns', labels: { [`${P}enforce`]: 'baseline', [`${P}warn`]: 'restricted' } } };
  const admission = new Admission({ config: defaultAdmissionConfig(), evaluator: createEvaluator(), getNamespace: () => ns, listPods: async () => [] });
  const requests = [
    podReview('ns', 'plain').request,
    { ...(podReview('ns', 'odd "name" \u2028 ü').request as object), requestSubResource: 'ephemeralcontainers', operation: 'UPDATE', oldObject: podReview('ns', 'x').request },
    { ...(podReview('ns', 'p', { hostPID: true, containers: [] }).request as object), kind: undefined },
    deploymentReview('ns', 'd', { containers: [{ name: 'a', image: 'b' }] }).request,
  ] as Record<string, unknown>[];
  for (const request of requests) {
    const attrs = requestAttributes(request, undefined);
    const result = (await admission.decide(attrs)) as Awaited<ReturnType<Admission['decide']>>;
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const ann = result.response.auditAnnotations;
    const fields = {
      uid: 'u"1',
      kind: attrs.kind ?? attrs.resource,
      namespace: attrs.namespace,
      name: attrs.name,
      operation: attrs.operation,
      subresource: attrs.subresource || undefined,
      decision: result.response.allowed ? 'allow' : 'deny',
      code: result.response.status?.code,
      policy: ann?.['enforce-policy'] ?? (result.policy ? `${result.policy.enforce.level}:latest` : undefined),
      exempt: ann?.exempt,
      warnings: result.response.warnings?.length ?? 0,
      durationMs: 1.235,
    };
    log.info('admission decision', fields);
    log.raw('info', 'admission decision', decisionLogFields('u"1', attrs, result, 1.2345));
    const noTs = (l: string) => l.replace(/^\{"ts":"[^"]+"/, '');
    t.equal(noTs(lines[1]!), noTs(lines[0]!));
  }
});

t.test('objects decode as their Go types: every field, not only those the checks read', async (t) => {
  const pod = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, ...extra });
  const c = { name: 'x', image: 'nginx' };
  t.equal(decodeError('', 'pods', pod({ containers: [{ ...c, resources: 'x' }] })), 'spec.containers[0].resources: expected object, got string');
  t.equal(decodeError('', 'pods', pod({ containers: [{ ...c, args: [1] }] })), 'spec.containers[0].args[0]: expected string, got number');
  t.equal(decodeError('', 'pods', pod({ containers: [c], terminationGracePeriodSeconds: '30' })), 'spec.terminationGracePeriodSeconds: expected integer, got string');
  t.equal(decodeError('apps', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1.5 } }), 'spec.replicas: expected integer, got number');
  t.equal(decodeError('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { a: 1 } } }), 'metadata.labels.a: expected string, got number');
  // What Go's decoder accepts: unknown fields, nulls, quantities as numbers, int-or-string ports, free-form JSON.
  t.equal(decodeError('', 'pods', pod({
    containers: [{ ...c, madeUp: { x: 1 }, resources: { limits: { cpu: 1, memory: '1Gi' }, requests: null }, livenessProbe: { httpGet: { port: 'http' } }, readinessProbe: { tcpSocket: { port: 8080 } } }],
    volumes: null,
  }, { status: { phase: 'Running' }, metadata: { name: 'p', managedFields: [{ fieldsV1: { 'f:spec': { 'f:containers': {} } } }] } })), undefined);
  t.equal(decodeError('', 'pods', pod({ ephemeralContainers: [{ ...c, targetContainerName: 5 }] })), 'spec.ephemeralContainers[0].targetContainerName: expected string, got number');
  t.equal(decodeError('', 'pods', pod({ containers: [{ ...c, targetContainerName: 5 }] })), undefined, 'only ephemeral containers have targetContainerName');
  // Fields newer than kubernetes-types 1.30, and one the API has dropped since.
  t.equal(decodeError('', 'pods', pod({ containers: [{ ...c, restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: ['1'] } }] }] })),
    'spec.containers[0].restartPolicyRules[0].exitCodes.values[0]: expected integer, got string');
  t.equal(decodeError('', 'pods', pod({ containers: [c], securityContext: { seLinuxChangePolicy: 1 } })), 'spec.securityContext.seLinuxChangePolicy: expected string, got number');
  t.equal(decodeError('', 'pods', pod({ containers: [c], resources: { limits: { cpu: '500m', memory: 1 } } })), undefined, 'pod-level resources take quantities');
  t.equal(decodeError('', 'pods', pod({ containers: [c], resources: { limits: 2 } })), 'spec.resources.limits: expected object, got number');
  t.equal(decodeError('', 'pods', pod({ containers: [c], resourceClaims: [{ name: 'gpu', source: 5 }] })), undefined, 'resourceClaims[].source was dropped in Kubernetes 1.31');
});
