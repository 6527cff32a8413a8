/** AdmissionReview builders shared by tests and the load benchmark. */

export interface ReviewRequest {
  uid?: string;
  operation?: string;
  group?: string;
  version?: string;
  resource: string;
  kind: string;
  subResource?: string;
  namespace?: string;
  name?: string;
  username?: string;
  object?: unknown;
  oldObject?: unknown;
}

export function admissionReview(r: ReviewRequest): Record<string, unknown> {
  const group = r.group ?? '';
  const version = r.version ?? 'v1';
  const request: Record<string, unknown> = {
    uid: r.uid ?? '00000000-0000-0000-0000-000000000001',
    kind: { group, version, kind: r.kind },
    resource: { group, version, resource: r.resource },
    requestKind: { group, version, kind: r.kind },
    requestResource: { group, version, resource: r.resource },
    name: r.name ?? '',
    namespace: r.namespace ?? '',
    operation: r.operation ?? 'CREATE',
    userInfo: { username: r.username ?? 'system:serviceaccount:default:deployer', groups: ['system:authenticated'] },
    object: r.object ?? null,
    oldObject: r.oldObject ?? null,
    dryRun: false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
  };
  // The API server sets both; upstream's webhook reads requestSubResource.
  if (r.subResource) {
    request.subResource = r.subResource;
    request.requestSubResource = r.subResource;
  }
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

export const RESTRICTED_POD_SPEC = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'registry.example/app:1.0',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    },
  ],
};

export function podObject(name: string, spec: Record<string, unknown> = { containers: [{ name: 'x', image: 'nginx' }] }, namespace = 'default') {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec };
}

export function podReview(namespace: string, name: string, spec?: Record<string, unknown>, uid?: string) {
  return admissionReview({ uid, resource: 'pods', kind: 'Pod', namespace, name, object: podObject(name, spec, namespace) });
}

export function deploymentReview(namespace: string, name: string, spec: Record<string, unknown>, uid?: string) {
  return admissionReview({
    uid,
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    namespace,
    name,
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
    },
  });
}

export function namespaceReview(name: string, labels: Record<string, string>, oldLabels?: Record<string, string>, uid?: string) {
  const obj = (l: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: l } });
  return admissionReview({
    uid,
    resource: 'namespaces',
    kind: 'Namespace',
    name,
    namespace: name,
    operation: oldLabels ? 'UPDATE' : 'CREATE',
    object: obj(labels),
    oldObject: oldLabels ? obj(oldLabels) : undefined,
  });
}
