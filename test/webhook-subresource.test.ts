// The subresource is the one upstream's attributes report: request.requestSubResource.
import t from 'tap';
import { Admission, type AdmissionResult } from '../admission/admission.js';
import { defaultAdmissionConfig } from '../admission/config.js';
import { createEvaluator } from '../engine/index.js';
import { requestAttributes } from '../webhook/server.js';
import { admissionReview, deploymentReview, podReview } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';

function admission(labels: Record<string, string>): Admission {
  return new Admission({ config: defaultAdmissionConfig(), evaluator: createEvaluator(), getNamespace: (n) => ({ metadata: { name: n, labels } }), listPods: async () => [] });
}

async function decide(a: Admission, request: Record<string, unknown>): Promise<AdmissionResult> {
  return a.decide(requestAttributes(request, undefined));
}

t.test('the subresource is request.requestSubResource, as upstream\'s attributes report it', async (t) => {
  const a = admission({ [`${P}enforce`]: 'restricted' });
  const pod = podReview('ns', 'p').request as Record<string, unknown>;
  let r = await decide(a, { ...pod, requestSubResource: 'status' });
  t.same(r.response, { allowed: true }, 'an ignored pod subresource');
  // CONNECT is an operation a review may carry (pods/exec, pods/attach): allowed, not refused.
  r = await decide(a, { ...pod, operation: 'CONNECT', requestSubResource: 'exec', object: { apiVersion: 'v1', kind: 'PodExecOptions', command: ['sh'] } });
  t.same(r.response, { allowed: true }, 'CONNECT pods/exec');
  r = await decide(a, { ...pod, subResource: 'status' });
  t.equal(r.response.status?.code, 403, 'subResource alone is not what upstream reads');
  t.equal(r.events[0]?.subresource, '');
  r = await decide(a, { ...pod, subResource: 'status', requestSubResource: 'ephemeralcontainers' });
  t.equal(r.response.status?.code, 403);
  t.same(r.events.map((e) => e.subresource), ['ephemeralcontainers'], 'the metric label');

  const deploy = deploymentReview('ns', 'd', { containers: [{ name: 'x', image: 'i' }] }).request as Record<string, unknown>;
  r = await decide(a, { ...deploy, requestSubResource: 'scale' });
  t.same(r.response, { allowed: true }, 'controllers skip any subresource');
  r = await decide(a, { ...deploy, subResource: 'scale' });
  t.match(r.response.warnings?.[0], /^would violate PodSecurity "restricted:latest"/);
  const ns = admissionReview({ resource: 'namespaces', kind: 'Namespace', name: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: { [`${P}enforce`]: 'nope' } } } }).request as Record<string, unknown>;
  r = await decide(a, { ...ns, requestSubResource: 'finalize' });
  t.same(r.response, { allowed: true }, 'namespaces skip any subresource');
  r = await decide(a, { ...ns, subResource: 'finalize' });
  t.equal(r.response.status?.code, 422);
});
