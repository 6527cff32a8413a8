// Objects decode as upstream's webhook decodes them: its scheme's types, the request's kind as the
// default apiVersion/kind, and the pod template picked by the object's type.
import t from 'tap';
import { Admission, type AdmissionResult } from '../admission/admission.js';
import { defaultAdmissionConfig } from '../admission/config.js';
import { createEvaluator } from '../engine/index.js';
import { requestAttributes } from '../webhook/server.js';
import { admissionReview, type ReviewRequest } from '../webhook/testing/reviews.js';

const P = 'pod-security.kubernetes.io/';
const SCHEME = '"k8s.io/pod-security-admission/cmd/webhook/server/scheme.go:30"';
const labels: Record<string, Record<string, string>> = {
  restricted: { [`${P}enforce`]: 'restricted' },
  warn: { [`${P}warn`]: 'baseline', [`${P}audit`]: 'baseline' },
};
const admission = new Admission({
  config: defaultAdmissionConfig(),
  evaluator: createEvaluator(),
  getNamespace: (n) => ({ metadata: { name: n, labels: labels[n] ?? {} } }),
  listPods: async () => [],
});

/** Runs a review's request as the webhook does. */
async function decide(r: ReviewRequest, edit?: (request: Record<string, unknown>) => void): Promise<AdmissionResult> {
  const request = admissionReview(r).request as Record<string, unknown>;
  edit?.(request);
  return admission.decide(requestAttributes(request, undefined));
}

const pod = (namespace: string, object: unknown) => ({ resource: 'pods', kind: 'Pod', namespace, name: 'p', object });
const hostPid = { hostPID: true, containers: [{ name: 'x', image: 'i' }] };

t.test('an object of a type the scheme does not know: failed to decode object, with the decoder\'s error', async (t) => {
  for (const [object, cause] of [
    [{ apiVersion: 'v1beta1', kind: 'Pod', spec: hostPid }, `no kind "Pod" is registered for version "v1beta1" in scheme ${SCHEME}`],
    [{ apiVersion: 'v1', kind: 'Foo' }, `no kind "Foo" is registered for version "v1" in scheme ${SCHEME}`],
    [{ apiVersion: 'example.com/v1', kind: 'Pod' }, `no kind "Pod" is registered for version "example.com/v1" in scheme ${SCHEME}`],
    [{ apiVersion: 'apps/__internal', kind: 'Deployment' }, `no kind "Deployment" is registered for the internal version of group "apps" in scheme ${SCHEME}`],
    [{ apiVersion: 'a/b/c', kind: 'Pod' }, 'unexpected GroupVersion string: a/b/c'],
    [{ kind: 'Pod', apiVersion: 1 }, "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string"],
    [{ apiVersion: 'v1', kind: ['Pod'], spec: hostPid }, "couldn't get version/kind; json parse error: json: cannot unmarshal array into Go struct field .kind of type string"],
    [{ kind: true, spec: hostPid }, "couldn't get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .kind of type string"],
  ] as const) {
    const r = await decide(pod('restricted', object));
    t.same(r.response, {
      allowed: false,
      status: { metadata: {}, status: 'Failure', message: 'failed to decode object', reason: 'BadRequest', code: 400 },
      auditAnnotations: { error: `failed to decode object: ${cause}` },
    }, JSON.stringify(object));
    t.same(r.events, [{ type: 'error', fatal: true, request_operation: 'create', resource: 'pod', subresource: '' }]);
  }
  const ns = await decide({ resource: 'namespaces', kind: 'Namespace', name: 'n', object: { apiVersion: 'v1', kind: 'Foo', metadata: { name: 'n' } } });
  t.same(ns.response.status?.message, 'failed to decode object');
  t.same(ns.response.auditAnnotations, { error: `failed to decode object: no kind "Foo" is registered for version "v1" in scheme ${SCHEME}` });
  const old = await decide({
    resource: 'namespaces',
    kind: 'Namespace',
    name: 'n',
    operation: 'UPDATE',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } },
    oldObject: { apiVersion: 'v2', kind: 'Namespace', metadata: { name: 'n' } },
  });
  t.same(old.response.auditAnnotations, { error: `failed to decode  old object: no kind "Namespace" is registered for version "v2" in scheme ${SCHEME}` });
});

t.test('a known type of the wrong kind: failed to decode pod, without a cause', async (t) => {
  for (const object of [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: hostPid } } },
    { apiVersion: 'v1', kind: 'PodList', items: [] },
    // Unversioned kinds decode in any group and version.
    { apiVersion: 'example.com/v7', kind: 'Status' },
  ]) {
    const r = await decide(pod('restricted', object));
    t.same(r.response, {
      allowed: false,
      status: { metadata: {}, status: 'Failure', message: 'failed to decode pod', reason: 'BadRequest', code: 400 },
      auditAnnotations: { error: 'failed to decode pod' },
    }, `${object.apiVersion} ${object.kind}`);
  }
  const ns = await decide({ resource: 'namespaces', kind: 'Namespace', name: 'n', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n' } } });
  t.same(ns.response.auditAnnotations, { error: 'failed to decode namespace' });
});

t.test('objects without apiVersion or kind take the request kind\'s, and are evaluated', async (t) => {
  for (const object of [{ spec: hostPid }, { kind: 'Pod', spec: hostPid }, { apiVersion: 'v1', spec: hostPid }, { apiVersion: null, kind: null, spec: hostPid }]) {
    const r = await decide(pod('restricted', object));
    t.equal(r.response.status?.code, 403, JSON.stringify(object));
    t.match(r.response.status?.message, /^pods "p" is forbidden: violates PodSecurity "restricted:latest": host namespaces \(hostPID=true\)/);
  }
  // The default fills in only what is missing.
  let r = await decide(pod('restricted', { apiVersion: 'apps/v1', spec: hostPid }));
  t.same(r.response.auditAnnotations, { error: `failed to decode object: no kind "Pod" is registered for version "apps/v1" in scheme ${SCHEME}` });
  r = await decide(pod('restricted', { kind: 'Service' }));
  t.same(r.response.auditAnnotations, { error: 'failed to decode pod' }, 'a v1 Service');
  // An apiVersion naming only the request kind's group takes its version; another group's does not.
  const deployment = (apiVersion: string) => ({ resource: 'deployments', group: 'apps', kind: 'Deployment', namespace: 'warn', name: 'd', object: { apiVersion, kind: 'Deployment', spec: { template: { spec: hostPid } } } });
  r = await decide(deployment('apps/'));
  t.same(r.response.warnings, ['would violate PodSecurity "baseline:latest": host namespaces (hostPID=true)'], 'apps/ is apps/v1');
  r = await decide(deployment('batch/'));
  t.match(r.response.auditAnnotations?.error, /^failed to decode object: Object 'apiVersion' is missing in /, 'batch/ has no version');
  // Without a request kind there is nothing to fill in.
  r = await decide(pod('restricted', { spec: { containers: [] } }), (request) => delete request.kind);
  t.same(r.response.auditAnnotations, { error: 'failed to decode object: Object \'Kind\' is missing in \'{"spec":{"containers":[]}}\'' });
  r = await decide(pod('restricted', { kind: 'Pod' }), (request) => (request.kind = { group: '', version: '', kind: 'Pod' }));
  t.same(r.response.auditAnnotations, { error: 'failed to decode object: Object \'apiVersion\' is missing in \'{"kind":"Pod"}\'' });
  // Namespaces too: their labels are checked.
  r = await decide({ resource: 'namespaces', kind: 'Namespace', name: 'n', object: { metadata: { name: 'n', labels: { [`${P}enforce`]: 'nope' } } } });
  t.equal(r.response.status?.code, 422);
  t.match(r.response.status?.message, /^Namespace "n" is invalid: /);
  // A template kind's fields are still type-checked.
  r = await decide(pod('restricted', { spec: { containers: 'x' } }));
  t.same(r.response.auditAnnotations, { error: 'failed to decode object: spec.containers: expected array, got string' });
});

t.test('pod controllers: the template is found by the object\'s type, not by the resource', async (t) => {
  const controller = (resource: string, group: string, kind: string, object: unknown) => ({ resource, group, kind, namespace: 'warn', name: 'c', object });
  const warning = ['would violate PodSecurity "baseline:latest": host namespaces (hostPID=true)'];
  // A Pod sent as a Deployment.
  let r = await decide(controller('deployments', 'apps', 'Deployment', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: hostPid }));
  t.same(r.response.warnings, warning);
  t.match(r.response.auditAnnotations, { 'audit-violations': /^would violate PodSecurity "baseline:latest": host namespaces/ });
  // A Deployment sent as a ReplicaSet.
  r = await decide(controller('replicasets', 'apps', 'ReplicaSet', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { spec: hostPid } } }));
  t.same(r.response.warnings, warning);
  // A Deployment without apiVersion and kind: the request's kind.
  r = await decide(controller('deployments', 'apps', 'Deployment', { spec: { template: { spec: hostPid } } }));
  t.same(r.response.warnings, warning);

  // A known type without a template: upstream's extractor error, with the object's own apiVersion and kind.
  r = await decide(controller('services', '', 'Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'c' } }));
  t.same(r.response, { allowed: true, auditAnnotations: { error: 'failed to extract pod template: unexpected object type: /v1, Kind=Service' } });
  t.same(r.events, [{ type: 'error', fatal: true, request_operation: 'create', resource: 'controller', subresource: '' }]);
  r = await decide(controller('services', '', 'Service', { metadata: { name: 'c' } }));
  t.same(r.response.auditAnnotations, { error: 'failed to extract pod template: unexpected object type: /, Kind=' }, 'decoded by default, printed as sent');
  r = await decide(controller('deployments', 'apps', 'Deployment', { apiVersion: 'apps/v1', kind: 'ControllerRevision' }));
  t.same(r.response.auditAnnotations, { error: 'failed to extract pod template: unexpected object type: apps/v1, Kind=ControllerRevision' });

  // A type the scheme does not know.
  r = await decide(controller('widgets', 'example.com', 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget' }));
  t.same(r.response, { allowed: true, auditAnnotations: { error: `failed to decode object: no kind "Widget" is registered for version "example.com/v1" in scheme ${SCHEME}` } });
});

t.test('null list items and map values decode as zero values: an empty container, an empty label', async (t) => {
  // A null container is Go's zero Container: evaluated, named "".
  let r = await decide(pod('warn', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'x', image: 'i' }, null] } }));
  t.same(r.response.warnings, undefined, 'an empty container passes baseline');
  r = await decide(pod('restricted', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [null] } }));
  t.match(r.response.status?.message, /allowPrivilegeEscalation != false \(container "" must set securityContext.allowPrivilegeEscalation=false\)/);
  // A null label value is "": present, and not a valid level.
  const ns = (labels: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels } });
  r = await decide({ resource: 'namespaces', kind: 'Namespace', namespace: 'n', name: 'n', operation: 'CREATE', object: ns({ [`${P}enforce`]: null }) });
  t.equal(r.response.status?.code, 422);
  t.equal(r.response.status?.message, `Namespace "n" is invalid: metadata.labels[${P}enforce]: Invalid value: "": must be one of privileged, baseline, restricted`);
});
