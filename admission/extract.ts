/** Pod spec extraction from pods and pod controllers, as upstream's DefaultPodSpecExtractor. */
import { decoderFieldPath, objectFieldTypeErrors } from './field-types.js';

export type JsonObject = Record<string, unknown>;

export interface ExtractedPod {
  metadata: JsonObject;
  spec: JsonObject;
  /** Where the template sits inside the object: [] for a Pod, ['spec','template'] for a Deployment. */
  pathPrefix: string[];
}

interface KindInfo {
  group: string;
  kind: string;
  resource: string;
  /** Path of the pod template; [] for Pod itself. */
  template: string[];
  /** Go models this template as a pointer, so it can be nil. */
  optional: boolean;
}

const KINDS: KindInfo[] = [
  { group: '', kind: 'Pod', resource: 'pods', template: [], optional: false },
  { group: '', kind: 'ReplicationController', resource: 'replicationcontrollers', template: ['spec', 'template'], optional: true },
  { group: '', kind: 'PodTemplate', resource: 'podtemplates', template: ['template'], optional: false },
  { group: 'apps', kind: 'ReplicaSet', resource: 'replicasets', template: ['spec', 'template'], optional: false },
  { group: 'apps', kind: 'Deployment', resource: 'deployments', template: ['spec', 'template'], optional: false },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets', template: ['spec', 'template'], optional: false },
  { group: 'apps', kind: 'DaemonSet', resource: 'daemonsets', template: ['spec', 'template'], optional: false },
  { group: 'batch', kind: 'Job', resource: 'jobs', template: ['spec', 'template'], optional: false },
  { group: 'batch', kind: 'CronJob', resource: 'cronjobs', template: ['spec', 'jobTemplate', 'spec', 'template'], optional: false },
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));
const BY_RESOURCE = new Map(KINDS.map((k) => [`${k.group}/${k.resource}`, k]));

export const POD_SPEC_KINDS: readonly string[] = KINDS.map((k) => k.kind);

/** upstream HasPodSpec: the resources whose objects embed a pod spec. */
export function hasPodSpec(group: string, resource: string): boolean {
  return BY_RESOURCE.has(`${group}/${resource}`);
}

export function kindForResource(group: string, resource: string): { apiVersion: string; kind: string } | undefined {
  const k = BY_RESOURCE.get(`${group}/${resource}`);
  return k && { apiVersion: k.group ? `${k.group}/v1` : 'v1', kind: k.kind };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function extractWith(info: KindInfo, obj: JsonObject): ExtractedPod | null {
  if (info.template.length === 0) {
    return { metadata: isObject(obj.metadata) ? obj.metadata : {}, spec: isObject(obj.spec) ? obj.spec : {}, pathPrefix: [] };
  }
  let cur: unknown = obj;
  for (const seg of info.template) {
    if (!isObject(cur)) {
      cur = undefined;
      break;
    }
    cur = cur[seg];
  }
  if (cur === undefined || cur === null) {
    // A value-typed template in Go is an empty struct when absent; only pointers are nil.
    if (info.optional) return null;
    cur = {};
  }
  const tpl = isObject(cur) ? cur : {};
  return {
    metadata: isObject(tpl.metadata) ? tpl.metadata : {},
    spec: isObject(tpl.spec) ? tpl.spec : {},
    pathPrefix: [...info.template],
  };
}

/** Extracts by the object's `kind` (for manifests). Throws for a kind without a pod spec. */
export function extractPodSpecByKind(obj: JsonObject): ExtractedPod | null {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const info = BY_KIND.get(kind);
  if (!info) throw new Error(`unexpected object type: ${kind || '(no kind)'}`);
  return extractWith(info, obj);
}

/** Extracts by the admission request's resource. Throws for a resource without a pod spec. */
export function extractPodSpecByResource(group: string, resource: string, obj: JsonObject): ExtractedPod | null {
  const info = BY_RESOURCE.get(`${group}/${resource}`);
  if (!info) throw new Error(`unexpected object type: ${resource}${group ? '.' + group : ''}`);
  return extractWith(info, obj);
}

// --- Decoding checks: the JSON must decode into the Go type of its resource. ---

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const EXPECTED = new Map(KINDS.map((k) => [k, { apiVersion: k.group ? `${k.group}/v1` : 'v1', kind: k.kind }]));

/**
 * The first field whose JSON type does not fit the object's Go type, from
 * schemas/decode.schema.json (generated from Kubernetes' API types), or whose value does not
 * decode (a quantity's text, an integer's range).
 */
function typeProblem(kind: string, obj: JsonObject): string | undefined {
  const [e] = objectFieldTypeErrors(kind, obj, 1);
  if (!e) return undefined;
  const path = decoderFieldPath(e.path);
  return e.problem ? `${path}: ${e.problem}` : `${path}: expected ${e.types.join(' or ')}, got ${describe(e.value)}`;
}

/**
 * Checks that an admission request's object decodes as its resource's v1 type (apiVersion, kind,
 * and the types of the fields the checks read). Returns an error text, or undefined.
 */
export function decodeError(group: string, resource: string, obj: unknown): string | undefined {
  return decodeProblem(group, resource, obj)?.message;
}

/**
 * Like decodeError, but tells apart an object of another type (`wrongType`: upstream decodes
 * it, then fails the type assertion) from one that does not decode at all (`undecodable`).
 */
export function decodeProblem(group: string, resource: string, obj: unknown): { type: 'wrongType' | 'undecodable'; message: string } | undefined {
  const undecodable = (message: string) => ({ type: 'undecodable' as const, message });
  // No object (absent or null) decodes to nil, which then fails upstream's type assertion.
  if (obj === null || obj === undefined) return { type: 'wrongType', message: 'the request has no object' };
  if (!isObject(obj)) return undecodable(`expected a JSON object, got ${describe(obj)}`);
  let expected: { apiVersion: string; kind: string };
  if (group === '' && resource === 'namespaces') {
    expected = { apiVersion: 'v1', kind: 'Namespace' };
  } else {
    const info = BY_RESOURCE.get(`${group}/${resource}`);
    if (!info) return undecodable(`no decoder for resource ${resource}${group ? '.' + group : ''}`);
    expected = EXPECTED.get(info)!;
  }
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '' || typeof obj.kind !== 'string' || obj.kind === '') {
    return undecodable(`apiVersion and kind must be set (expected ${expected.apiVersion} ${expected.kind})`);
  }
  if (obj.apiVersion !== expected.apiVersion || obj.kind !== expected.kind) {
    return { type: 'wrongType', message: `expected ${expected.apiVersion} ${expected.kind}, got ${obj.apiVersion} ${obj.kind}` };
  }
  const e = typeProblem(expected.kind, obj);
  return e === undefined ? undefined : undecodable(e);
}
