import t from 'tap';
import { Admission, DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK, isSignificantPodUpdate, prioritizePods, type AdmissionAttributes, type PodLike } from '../admission/admission.js';
import { parseAdmissionConfig, defaultAdmissionConfig } from '../admission/config.js';
import { extractPodSpecByKind } from '../admission/extract.js';
import { createEvaluator } from '../engine/index.js';
import { parseVersion } from '../engine/version.js';

const evaluator = createEvaluator();
const P = 'pod-security.kubernetes.io/';
const BARE_DENY =
  'pods "p" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

function pod(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec: { containers: [{ name: 'x', image: 'nginx' }], ...spec } };
}
const goodSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'x', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

function setup(namespaces: Record<string, Record<string, string>>, opts: { config?: string; pods?: PodLike[]; listPods?: () => Promise<PodLike[]>; now?: () => number; max?: number } = {}) {
  const config = opts.config ? parseAdmissionConfig(opts.config) : defaultAdmissionConfig();
  return new Admission({
    config,
    evaluator,
    getNamespace: (n) => {
      const labels = namespaces[n];
      if (!labels) throw new Error(`namespaces "${n}" not found`);
      return { metadata: { name: n, labels } };
    },
    listPods: opts.listPods ?? (async () => opts.pods ?? []),
    now: opts.now,
    maxPodsToCheck: opts.max,
    apiVersion: parseVersion(evaluator.newestVersion).version,
  });
}

function podReq(over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return { operation: 'CREATE', group: '', resource: 'pods', subresource: '', namespace: 'ns', name: 'p', username: 'alice', object: pod('p'), ...over };
}

const restricted = { [`${P}enforce`]: 'restricted' };

t.test('a namespace\'s policy follows its labels and the configured defaults, however often it is asked', async (t) => {
  // The namespace cache hands out one labels object per version of the namespace.
  let ns = { metadata: { name: 'ns', labels: { [`${P}warn`]: 'restricted' } as Record<string, string> } };
  let config = defaultAdmissionConfig();
  const a = new Admission({ config: () => config, evaluator, getNamespace: () => ns, listPods: async () => [] });
  const bare = podReq();
  for (let i = 0; i < 3; i++) {
    const r = await a.validate(bare);
    t.equal(r.response.allowed, true, 'warn only: allowed');
    t.equal(r.response.warnings?.length, 1);
  }
  // A configuration reload with stricter defaults: the same labels object now gets enforce=baseline.
  config = parseAdmissionConfig('apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n');
  let r = await a.validate(podReq({ object: pod('p', { hostNetwork: true }) }));
  t.equal(r.response.allowed, false, 'the new defaults apply to unchanged labels');
  t.match(r.response.status?.message, /violates PodSecurity "baseline:latest": host namespaces/);
  // The namespace changes: a new object with new labels.
  ns = { metadata: { name: 'ns', labels: { [`${P}enforce`]: 'privileged', [`${P}warn`]: 'privileged' } } };
  r = await a.validate(podReq({ object: pod('p', { hostNetwork: true }) }));
  t.equal(r.response.allowed, true, 'the changed labels apply');
  t.equal(r.response.warnings, undefined);
});

t.test('pods: enforce, warn, audit', async (t) => {
  const a = setup({ ns: restricted, open: {}, audit: { [`${P}audit`]: 'restricted', [`${P}warn`]: 'baseline' } });
  let r = await a.validate(podReq());
  t.equal(r.response.allowed, false);
  t.equal(r.response.status?.code, 403);
  t.equal(r.response.status?.reason, 'Forbidden');
  t.equal(r.response.status?.message, BARE_DENY);
  t.equal(r.response.warnings, undefined, 'no warnings on a denial');
  t.same(r.response.auditAnnotations, { 'enforce-policy': 'restricted:latest' });
  t.same(r.events, [{ type: 'evaluation', decision: 'deny', policy_level: 'restricted', policy_version: 'latest', mode: 'enforce', request_operation: 'create', resource: 'pod', subresource: '' }]);

  r = await a.validate(podReq({ object: pod('p', goodSpec) }));
  t.equal(r.response.allowed, true);
  t.same(r.response.auditAnnotations, { 'enforce-policy': 'restricted:latest' });
  t.equal(r.events[0]?.type === 'evaluation' && r.events[0].decision, 'allow');

  r = await a.validate(podReq({ namespace: 'open' }));
  t.same(r.response, { allowed: true, auditAnnotations: { 'enforce-policy': 'privileged:latest' } }, 'fully privileged short-circuit');

  r = await a.validate(podReq({ namespace: 'audit', object: pod('p', { hostNetwork: true }) }));
  t.equal(r.response.allowed, true);
  t.same(r.response.warnings, ['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)']);
  t.match(r.response.auditAnnotations?.['audit-violations'], /^would violate PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\), allowPrivilegeEscalation != false /);
  t.same(r.events.map((e) => e.type === 'evaluation' && `${e.mode}:${e.decision}`), ['enforce:allow', 'audit:deny', 'warn:deny']);

  r = await a.validate(podReq({ namespace: 'missing' }));
  t.equal(r.response.status?.code, 500);
  t.equal(r.response.status?.message, 'Internal error occurred: failed to lookup namespace "missing"');
  t.match(r.response.auditAnnotations?.error, /^Internal error occurred: failed to lookup namespace "missing": ./, 'upstream\'s errorResponse: the status message, then the cause');
  t.same(r.events, [{ type: 'error', fatal: true, request_operation: 'create', resource: 'pod', subresource: '' }]);
});

t.test('pods: versions, label errors, subresources', async (t) => {
  const a = setup({
    v: { [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.99' },
    old: { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.0' },
    bad: { [`${P}enforce`]: 'nope' },
    priv: { [`${P}enforce`]: 'privileged', [`${P}enforce-version`]: 'v1.20' },
    privAudit: { [`${P}enforce-version`]: 'v1.20', [`${P}audit`]: 'baseline' },
  });
  // Privileged is reported as latest, whatever its version.
  for (const namespace of ['priv', 'privAudit']) {
    const p = await a.validate(podReq({ namespace }));
    t.same(p.events.filter((e) => e.type === 'evaluation' && e.mode === 'enforce'), [{ type: 'evaluation', decision: 'allow', policy_level: 'privileged', policy_version: 'latest', mode: 'enforce', request_operation: 'create', resource: 'pod', subresource: '' }], `${namespace}: privileged:v1.20 is counted as latest`);
  }
  let r = await a.validate(podReq({ namespace: 'v' }));
  t.match(r.response.status?.message, /violates PodSecurity "restricted:v1\.99"/);
  t.equal(r.events[0]?.type === 'evaluation' && r.events[0].policy_version, 'future');
  r = await a.validate(podReq({ namespace: 'old', object: pod('p', { hostPID: true }) }));
  t.match(r.response.status?.message, /"baseline:v1\.0": host namespaces \(hostPID=true\)/);
  t.equal(r.events[0]?.type === 'evaluation' && r.events[0].policy_version, 'v1.0');

  r = await a.validate(podReq({ namespace: 'bad' }));
  t.equal(r.response.allowed, false, 'invalid enforce fails closed to restricted');
  t.equal(
    r.response.auditAnnotations?.error,
    'Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "nope": must be one of privileged, baseline, restricted',
  );
  t.ok(r.events.some((e) => e.type === 'error' && !e.fatal));

  for (const sub of ['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']) {
    r = await a.validate(podReq({ namespace: 'v', subresource: sub, object: { kind: 'Whatever' } }));
    t.same(r.response, { allowed: true }, `ignored subresource ${sub}`);
  }
  r = await a.validate(podReq({ namespace: 'v', subresource: 'ephemeralcontainers', operation: 'UPDATE', oldObject: pod('p', goodSpec), object: pod('p', { ...goodSpec, ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }) }));
  t.equal(r.response.allowed, false, 'ephemeral containers are evaluated');
  t.match(r.response.status?.message, /container "dbg" must set/);
  t.equal(r.events[0]?.subresource, 'ephemeralcontainers');

  r = await a.validate(podReq({ namespace: 'v', object: { apiVersion: 'v1', kind: 'Pod', spec: { containers: 'x' } } }));
  t.equal(r.response.status?.code, 400);
  t.equal(r.response.status?.message, 'failed to decode object');
  t.equal(r.response.auditAnnotations?.error, 'failed to decode object: spec.containers: expected array, got string');
  r = await a.validate(podReq({ namespace: 'v', object: { apiVersion: 'apps/v1', kind: 'Deployment' } }));
  t.equal(r.response.status?.message, 'failed to decode pod');
  t.same(r.response.auditAnnotations, { error: 'failed to decode pod' }, 'a wrong type: the status message alone');
  // No object at all decodes to nothing, which then is not a pod.
  for (const object of [null, undefined]) {
    r = await a.validate(podReq({ namespace: 'v', operation: 'DELETE', object }));
    t.match(r.response, { allowed: false, status: { code: 400, message: 'failed to decode pod' }, auditAnnotations: { error: 'failed to decode pod' } });
  }
  r = await a.validate(podReq({ namespace: 'v', operation: 'UPDATE', oldObject: { apiVersion: 'v1', kind: 'Namespace' } }));
  t.equal(r.response.status?.message, 'failed to decode old pod');
});

t.test('pods: updates', async (t) => {
  const a = setup({ ns: restricted });
  const bad = pod('p');
  let r = await a.validate(podReq({ operation: 'UPDATE', object: { ...bad, metadata: { name: 'p', labels: { a: 'b' } } }, oldObject: bad }));
  t.same(r.response, { allowed: true }, 'metadata-only update is not evaluated');
  r = await a.validate(podReq({ operation: 'UPDATE', object: pod('p', { containers: [{ name: 'x', image: 'nginx:2' }] }), oldObject: bad }));
  t.equal(r.response.allowed, false, 'image change is evaluated');
  t.ok(isSignificantPodUpdate(pod('p', { initContainers: [{ name: 'i', image: 'a' }] }), pod('p')));
  t.notOk(isSignificantPodUpdate(pod('p', { activeDeadlineSeconds: 5, tolerations: [{}] }), pod('p')));
  t.ok(isSignificantPodUpdate(pod('p', { ephemeralContainers: [{ name: 'e', image: 'a' }] }), pod('p')));
  t.notOk(isSignificantPodUpdate(pod('p', { ephemeralContainers: [{ name: 'e', image: 'a' }] }), pod('p', { ephemeralContainers: [{ name: 'e', image: 'a' }] })));
  t.ok(isSignificantPodUpdate(pod('p', { ephemeralContainers: [{ name: 'e', image: 'b' }] }), pod('p', { ephemeralContainers: [{ name: 'e', image: 'a' }] })));
  // Ephemeral containers are matched by name, wherever they sit in the list.
  const e = { name: 'e', image: 'a' };
  t.ok(isSignificantPodUpdate(pod('p', { ephemeralContainers: [e, { name: 'f', image: 'a' }] }), pod('p', { ephemeralContainers: [e] })), 'a new ephemeral container with a known image');
  t.ok(isSignificantPodUpdate(pod('p', { ephemeralContainers: [{ name: 'f', image: 'a' }] }), pod('p', { ephemeralContainers: [e] })), 'a renamed ephemeral container');
  t.notOk(isSignificantPodUpdate(pod('p', { ephemeralContainers: [{ name: 'f', image: 'b' }, e] }), pod('p', { ephemeralContainers: [e, { name: 'f', image: 'b' }] })), 'the same ephemeral containers in another order');
});

t.test('exemptions', async (t) => {
  const config = `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
exemptions:
  namespaces: [kube-system]
  usernames: [admin]
  runtimeClasses: [kata]
`;
  const a = setup({ ns: restricted, 'kube-system': restricted }, { config });
  let r = await a.validate(podReq({ namespace: 'kube-system' }));
  t.same(r.response, { allowed: true, auditAnnotations: { exempt: 'namespace' } });
  t.same(r.events, [{ type: 'exemption', request_operation: 'create', resource: 'pod', subresource: '' }]);
  r = await a.validate(podReq({ username: 'admin' }));
  t.same(r.response, { allowed: true, auditAnnotations: { exempt: 'user' } });
  r = await a.validate(podReq({ object: pod('p', { runtimeClassName: 'kata' }) }));
  t.same(r.response, { allowed: true, auditAnnotations: { exempt: 'runtimeClass' } });
  r = await a.validate({ ...podReq(), group: 'apps', resource: 'deployments', username: 'admin' });
  t.same(r.response, { allowed: true, auditAnnotations: { exempt: 'user' } });
  r = await a.validate({ operation: 'CREATE', group: '', resource: 'namespaces', subresource: '', namespace: 'kube-system', name: 'kube-system', username: '', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: restricted } } });
  t.same(r.response.warnings, ['namespace "kube-system" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored']);
  // The exemption is looked up by the request's namespace, not by the object's or request's name.
  r = await a.validate({ operation: 'CREATE', group: '', resource: 'namespaces', subresource: '', namespace: '', name: 'kube-system', username: '', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', labels: restricted } } });
  t.same(r.response, { allowed: true });
  // The warning names the namespace by its object, as upstream's does (an API server always names it).
  r = await a.validate({ operation: 'CREATE', group: '', resource: 'namespaces', subresource: '', namespace: 'kube-system', name: 'kube-system', username: '', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: restricted } } });
  t.same(r.response.warnings, ['namespace "" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored']);
});

t.test('pod controllers', async (t) => {
  const a = setup({ ns: restricted, warn: { [`${P}warn`]: 'baseline' }, open: {} });
  const deploy = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: {}, spec } } });
  const req = (over: Partial<AdmissionAttributes>): AdmissionAttributes => ({ operation: 'CREATE', group: 'apps', resource: 'deployments', subresource: '', namespace: 'ns', name: 'd', username: 'u', object: deploy({ containers: [{ name: 'x', image: 'i' }] }), ...over });
  let r = await a.validate(req({}));
  t.equal(r.response.allowed, true, 'enforce never applies to templates');
  t.match(r.response.warnings?.[0], /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  t.same(r.response.auditAnnotations, {});
  t.equal(r.events[0]?.resource, 'controller');
  r = await a.validate(req({ namespace: 'open' }));
  t.same(r.response, { allowed: true });
  r = await a.validate(req({ subresource: 'scale', object: {} }));
  t.same(r.response, { allowed: true });
  r = await a.validate(req({ namespace: 'missing' }));
  t.equal(r.response.allowed, true, 'lookup errors are not fatal');
  t.match(r.response.auditAnnotations?.error, /^failed to lookup namespace "missing": /);
  // A type upstream's webhook scheme does not know fails to decode (a Pod would be evaluated as one).
  r = await a.validate(req({ object: { apiVersion: 'v1', kind: 'Foo' } }));
  t.equal(r.response.allowed, true);
  t.match(r.response.auditAnnotations?.error, /^failed to decode object: no kind "Foo" is registered for version "v1"/);
  t.same(r.events, [{ type: 'error', fatal: true, request_operation: 'create', resource: 'controller', subresource: '' }], 'upstream labels these fatal');
  r = await a.validate(req({ group: '', resource: 'replicationcontrollers', object: { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: {} } }));
  t.same(r.response, { allowed: true }, 'nil template');
  r = await a.validate(req({ group: 'batch', resource: 'cronjobs', namespace: 'warn', object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true, containers: [] } } } } } } }));
  t.same(r.response.warnings, ['would violate PodSecurity "baseline:latest": host namespaces (hostIPC=true)']);
  r = await a.validate(req({ group: 'example.com', resource: 'widgets', object: { apiVersion: 'example.com/v1', kind: 'Widget' } }));
  t.equal(r.response.allowed, true);
  t.match(r.response.auditAnnotations?.error, /failed to decode object/);
});

t.test('extraction', async (t) => {
  const tpl = { metadata: { labels: { a: 'b' } }, spec: { containers: [] } };
  t.same(extractPodSpecByKind({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: tpl } } } }), { ...tpl, pathPrefix: ['spec', 'jobTemplate', 'spec', 'template'] });
  t.same(extractPodSpecByKind({ kind: 'PodTemplate', template: tpl })?.pathPrefix, ['template']);
  for (const kind of ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job']) {
    t.same(extractPodSpecByKind({ kind, spec: { template: tpl } }), { ...tpl, pathPrefix: ['spec', 'template'] }, kind);
  }
  t.same(extractPodSpecByKind({ kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } }), { metadata: { name: 'p' }, spec: { x: 1 }, pathPrefix: [] });
  t.equal(extractPodSpecByKind({ kind: 'ReplicationController', spec: {} }), null);
  t.same(extractPodSpecByKind({ kind: 'Deployment', spec: {} }), { metadata: {}, spec: {}, pathPrefix: ['spec', 'template'] }, 'value templates are never nil');
  t.throws(() => extractPodSpecByKind({ kind: 'Service' }), /unexpected object type: Service/);
});

function nsReq(op: string, labels: Record<string, string>, oldLabels?: Record<string, string>, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  const obj = (l: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', labels: l } });
  return { operation: op, group: '', resource: 'namespaces', subresource: '', kindGroup: '', kind: 'Namespace', namespace: 'ns', name: 'ns', username: '', object: obj(labels), oldObject: oldLabels ? obj(oldLabels) : undefined, ...over };
}

t.test('namespaces: label validation', async (t) => {
  const a = setup({});
  let r = await a.validate(nsReq('CREATE', { [`${P}enforce`]: 'foo' }));
  t.equal(r.response.status?.code, 422);
  t.equal(r.response.status?.reason, 'Invalid');
  t.equal(r.response.status?.message, 'Namespace "ns" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted');
  t.same(r.response.status?.details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "foo": must be one of privileged, baseline, restricted', field: 'metadata.labels[pod-security.kubernetes.io/enforce]' }]);
  r = await a.validate(nsReq('CREATE', { [`${P}enforce`]: 'baseline', [`${P}warn-version`]: 'x' }));
  t.equal(r.response.status?.code, 422);
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'foo', other: 'x' }, { [`${P}enforce`]: 'foo' }));
  t.same(r.response, { allowed: true }, 'unchanged label errors are tolerated');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'bar' }, { [`${P}enforce`]: 'foo' }));
  t.equal(r.response.status?.code, 422, 'changed errors are rejected');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'bar' }, {}));
  t.equal(r.response.status?.code, 422, 'new errors are rejected');
  r = await a.validate(nsReq('DELETE', { [`${P}enforce`]: 'bar' }));
  t.same(r.response, { allowed: true });
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'bar' }, {}, { subresource: 'status' }));
  t.same(r.response, { allowed: true });
  // The error is made of the request's kind, as upstream's: none without one.
  r = await a.validate(nsReq('CREATE', { [`${P}enforce`]: 'foo' }, undefined, { kind: undefined }));
  t.equal(r.response.status?.message, ' "ns" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted');
  t.notOk(r.response.status?.details && 'kind' in r.response.status.details);
});

t.test('namespaces: dry run of existing pods', async (t) => {
  const owned = (name: string, uid: string, spec: Record<string, unknown> = {}) => pod(name, spec, { ownerReferences: [{ uid, controller: true, kind: 'ReplicaSet', name: 'rs', apiVersion: 'apps/v1' }] });
  const pods = [
    owned('web-b', 'rs1'),
    owned('web-a', 'rs1'),
    owned('web-c', 'rs1'),
    pod('solo', { hostNetwork: true }),
    pod('good', goodSpec),
    pod('kata', { runtimeClassName: 'kata', hostPID: true }),
  ];
  const config = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions: {runtimeClasses: [kata]}\n';
  const a = setup({}, { pods, config });
  let r = await a.validate(nsReq('UPDATE', restricted, {}));
  t.same(r.response.warnings, [
    'existing pods in namespace "ns" violate the new PodSecurity enforce level "restricted:latest"',
    'solo: allowPrivilegeEscalation != false, unrestricted capabilities, host namespaces, runAsNonRoot != true, seccompProfile'.replace(
      'allowPrivilegeEscalation != false, unrestricted capabilities, host namespaces',
      'host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities',
    ),
    'web-a (and 2 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
  ]);
  t.equal(r.response.allowed, true);

  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline' }, { [`${P}enforce`]: 'restricted' }));
  t.same(r.response, { allowed: true }, 'relaxed level is not checked');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'restricted', x: 'y' }, restricted));
  t.same(r.response, { allowed: true }, 'unchanged enforce is not checked');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'privileged' }, restricted));
  t.same(r.response, { allowed: true });
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.30' }, { [`${P}enforce`]: 'restricted' }));
  t.same(r.response.warnings, ['existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:v1.30"', 'solo: host namespaces'], 'version change re-checks');
  // Go compares the minors as int64: past 2^53 two versions differ even where doubles round them to one number.
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.9007199254740993' }, { [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.9007199254740992' }));
  t.same(r.response.warnings, ['existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:v1.9007199254740993"', 'solo: host namespaces'], 'a version change past 2^53 re-checks');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.9007199254740993' }, { [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.9007199254740993' }));
  t.same(r.response, { allowed: true }, 'the same version past 2^53, relaxed: not checked');
  r = await a.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.9007199254740993' }, { [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.9007199254740992' }));
  t.same(r.response.warnings, ['existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:v1.9007199254740993"', 'solo: host namespaces'], 'the same level at another version past 2^53 re-checks');

  const limited = setup({}, { pods, config, max: 2 });
  r = await limited.validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline' }, {}));
  t.same(r.response.warnings, [
    'new PodSecurity enforce level only checked against the first 2 of 5 existing pods',
    'existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:latest"',
    'solo: host namespaces',
  ], 'one pod per controller comes first');

  // Upstream's own limit, with a clock that stands still (no deadline cuts the check short).
  const overLimit = Array.from({ length: DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK + 5 }, (_, i) => pod(`p${String(i).padStart(4, '0')}`, { hostPID: true }));
  r = await setup({}, { pods: overLimit, now: () => 0 }).validate(nsReq('UPDATE', { [`${P}enforce`]: 'baseline' }, {}));
  t.same(r.response.warnings, [
    `new PodSecurity enforce level only checked against the first 3000 of 3005 existing pods`,
    'existing pods in namespace "ns" violate the new PodSecurity enforce level "baseline:latest"',
    'p0000 (and 2999 other pods): host namespaces',
  ], 'at most 3,000 pods by default');
  t.equal(DEFAULT_NAMESPACE_MAX_PODS_TO_CHECK, 3000);

  const failing = setup({}, { listPods: async () => { throw new Error('boom'); } });
  r = await failing.validate(nsReq('UPDATE', restricted, {}));
  t.same(r.response.warnings, ['failed to list pods while checking new PodSecurity enforce level']);

  // The list answers after 300 ms; the clock stands still at 0, so what is left of the request
  // is its deadline. Half of 400 ms is too short for the list, half of 700 ms is long enough.
  const slow = setup({}, { now: () => 0, listPods: () => new Promise((res) => setTimeout(() => res([pod('late', { hostNetwork: true })]), 300)) });
  r = await slow.validate(nsReq('UPDATE', restricted, {}, { deadline: 400 }));
  t.same(r.response.warnings, ['failed to list pods while checking new PodSecurity enforce level'], 'the list is bounded by half of the request deadline');
  r = await slow.validate(nsReq('UPDATE', restricted, {}, { deadline: 700 }));
  t.same(r.response.warnings, ['existing pods in namespace "ns" violate the new PodSecurity enforce level "restricted:latest"', 'late: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile'], 'a list that answers within half of the deadline is checked');

  let clock = 0;
  const many = Array.from({ length: 10 }, (_, i) => pod(`p${i}`));
  const ticking = setup({}, { pods: many, now: () => (clock += 300) });
  r = await ticking.validate(nsReq('UPDATE', restricted, {}));
  t.match(r.response.warnings?.[0], /^new PodSecurity enforce level only checked against the first \d of 10 existing pods$/, 'the 1s budget stops the dry run');
  // The budget is spent when the clock reaches the deadline (a context's deadline has passed at that instant).
  let tick = 0;
  const exact = setup({}, { pods: many, now: () => (tick += 250) });
  r = await exact.validate(nsReq('UPDATE', restricted, {}));
  t.equal(r.response.warnings?.[0], 'new PodSecurity enforce level only checked against the first 4 of 10 existing pods', 'four pods at 250ms each use the 1s budget');

  // A new privileged enforce level is never dry-run, whatever its version: the pods are not even listed.
  let listed = 0;
  const counting = setup({}, { pods, max: 2, listPods: async () => (listed++, pods) });
  r = await counting.validate(nsReq('UPDATE', { [`${P}enforce`]: 'privileged', [`${P}enforce-version`]: 'v1.20' }, { [`${P}enforce`]: 'baseline' }));
  t.same(r.response, { allowed: true });
  t.equal(listed, 0, 'privileged: no pods listed');

  const exemptNs = setup({}, { pods, config: 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions: {namespaces: [ns]}\n' });
  r = await exemptNs.validate(nsReq('UPDATE', restricted, {}));
  t.same(r.response.warnings, ['namespace "ns" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored']);
});

t.test('prioritizePods', async (t) => {
  const o = (name: string, uid?: string) => ({ metadata: { name, ownerReferences: uid ? [{ uid, controller: true }] : [{ uid: 'x', controller: false }] } });
  const order = prioritizePods([o('a1', 'A'), o('a2', 'A'), o('b1', 'B'), o('u'), o('a3', 'A'), o('b2', 'B')], () => false).map((p) => p.metadata.name);
  t.same(order, ['a1', 'b1', 'u', 'a2', 'a3', 'b2']);
  // Only an owner reference with controller: true names a controller; one without the field does not.
  const plain = (name: string) => ({ metadata: { name, ownerReferences: [{ uid: 'N' }] } });
  t.same(prioritizePods([o('a1', 'A'), o('a2', 'A'), plain('n1'), plain('n2')], () => false).map((p) => p.metadata.name), ['a1', 'n1', 'n2', 'a2']);
});

t.test('an evaluator that throws: pods are refused (fail closed), workloads are let through with the error audited (fail open)', async (t) => {
  const throwing = { evaluate: () => { throw new Error('cannot read this pod'); } };
  const a = new Admission({
    config: defaultAdmissionConfig(),
    evaluator: throwing,
    getNamespace: (n) => ({ metadata: { name: n, labels: restricted } }),
    listPods: async () => [],
  });
  let r = await a.validate(podReq());
  t.same(r.response, {
    allowed: false,
    status: { metadata: {}, status: 'Failure', message: 'failed to decode pod', reason: 'BadRequest', code: 400 },
    auditAnnotations: { error: 'failed to decode pod: failed to evaluate pod: cannot read this pod' },
  }, 'a pod');
  const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: { containers: [{ name: 'x', image: 'i' }] } } } };
  r = await a.validate({ operation: 'CREATE', group: 'apps', resource: 'deployments', subresource: '', namespace: 'ns', name: 'd', username: 'u', object: deploy });
  t.same(r.response, { allowed: true, auditAnnotations: { error: 'failed to evaluate pod: cannot read this pod' } }, 'a Deployment');
});

t.test('a pod without a name yet (generateName) is forbidden without one, as apierrors.NewForbidden words it', async (t) => {
  const a = setup({ ns: restricted });
  const r = await a.validate(podReq({ name: '', object: { ...pod('p'), metadata: { generateName: 'p-' } } }));
  t.equal(r.response.status?.code, 403);
  t.equal(r.response.status?.message, BARE_DENY.replace('pods "p" is forbidden', 'pods is forbidden'));
  t.same(r.response.status?.details, { kind: 'pods' }, 'no empty name in the details (omitempty)');
  t.same(Object.keys(r.response.status?.details ?? {}), ['kind']);
});
