/** Pod spec extraction from pods and pod controllers, as upstream's DefaultPodSpecExtractor. */
import { podFieldTypeErrors } from './pod-fields.js';

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

type Shape = 'string' | 'bool' | 'int' | 'object' | 'map' | Shape[] | { [field: string]: Shape };

const STRING_MAP: Shape = 'map';
const OBJECT_META: Shape = {
  name: 'string',
  namespace: 'string',
  uid: 'string',
  labels: STRING_MAP,
  annotations: STRING_MAP,
  ownerReferences: [{ uid: 'string', controller: 'bool', kind: 'string', name: 'string', apiVersion: 'string' }],
};
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

type Check = (value: unknown) => boolean;

function isStringMap(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const k in value) {
    const v = value[k];
    if (typeof v !== 'string' && v !== null) return false;
  }
  return true;
}

/**
 * Compiles a shape into a checker once, so each request runs plain closures over fixed key
 * lists instead of walking the shape description. Null and absent values always fit.
 */
function compileShape(shape: Shape): Check {
  if (Array.isArray(shape)) {
    const item = compileShape(shape[0]!);
    return (v) => {
      if (v === null || v === undefined) return true;
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
      return true;
    };
  }
  switch (shape) {
    case 'string':
      return (v) => v === null || v === undefined || typeof v === 'string';
    case 'bool':
      return (v) => v === null || v === undefined || typeof v === 'boolean';
    case 'int':
      return (v) => v === null || v === undefined || (typeof v === 'number' && Number.isInteger(v));
    case 'object':
      return (v) => v === null || v === undefined || isObject(v);
    case 'map':
      return (v) => v === null || v === undefined || isStringMap(v);
    default: {
      // Objects carry few of the known fields, so walk the object's keys, not the shape's.
      const checks = new Map(Object.keys(shape).map((k) => [k, compileShape(shape[k]!)]));
      return (v) => {
        if (v === null || v === undefined) return true;
        if (!isObject(v)) return false;
        for (const k in v) {
          const check = checks.get(k);
          if (check !== undefined && !check(v[k])) return false;
        }
        return true;
      };
    }
  }
}

const compiled = new WeakMap<object, Check>();

/** Fast check without building paths; the slow one below explains a failure. */
function fits(value: unknown, shape: Shape): boolean {
  if (typeof shape === 'string') return compileShape(shape)(value);
  let check = compiled.get(shape);
  if (!check) {
    check = compileShape(shape);
    compiled.set(shape, check);
  }
  return check(value);
}

/** Returns a description of the first type mismatch, or undefined when the value fits. */
function checkShape(value: unknown, shape: Shape, path: string): string | undefined {
  if (fits(value, shape)) return undefined;
  return explainShape(value, shape, path);
}

function explainShape(value: unknown, shape: Shape, path: string): string | undefined {
  if (value === null || value === undefined) return undefined; // JSON null decodes to the zero value
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return `${path}: expected array, got ${describe(value)}`;
    for (let i = 0; i < value.length; i++) {
      const e = explainShape(value[i], shape[0]!, `${path}[${i}]`);
      if (e) return e;
    }
    return undefined;
  }
  switch (shape) {
    case 'string':
      return typeof value === 'string' ? undefined : `${path}: expected string, got ${describe(value)}`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `${path}: expected boolean, got ${describe(value)}`;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `${path}: expected integer, got ${describe(value)}`;
    case 'object':
      return isObject(value) ? undefined : `${path}: expected object, got ${describe(value)}`;
    case 'map':
      if (!isObject(value)) return `${path}: expected object, got ${describe(value)}`;
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string' && v !== null) return `${path}.${k}: expected string, got ${describe(v)}`;
      }
      return undefined;
    default: {
      if (!isObject(value)) return `${path}: expected object, got ${describe(value)}`;
      for (const [k, sub] of Object.entries(shape)) {
        const e = explainShape(value[k], sub, path ? `${path}.${k}` : k);
        if (e) return e;
      }
      return undefined;
    }
  }
}

const SHAPES = new Map<KindInfo, Shape>();

function shapeFor(info: KindInfo): Shape {
  let s = SHAPES.get(info);
  if (!s) {
    s = buildShape(info);
    SHAPES.set(info, s);
  }
  return s;
}

/**
 * The object's own metadata and the objects on the way to its pod template; the template's pod
 * fields are checked against schemas/pod-fields.schema.json (see templateProblem).
 */
function buildShape(info: KindInfo): Shape {
  if (info.template.length === 0) return { metadata: OBJECT_META };
  let shape: Shape = { metadata: OBJECT_META };
  for (let i = info.template.length - 1; i >= 0; i--) shape = { [info.template[i]!]: shape };
  return { metadata: OBJECT_META, ...(shape as Record<string, Shape>) };
}

/** The first pod field of the template (at `prefix` in the object) whose type does not fit. */
function templateProblem(obj: JsonObject, prefix: readonly string[]): string | undefined {
  let template: unknown = obj;
  for (const seg of prefix) template = isObject(template) ? template[seg] : undefined;
  if (!isObject(template)) return undefined; // absent or null: the zero value
  const [e] = podFieldTypeErrors(template, 1);
  if (!e) return undefined;
  let path = prefix.join('.');
  for (const seg of e.path) path += typeof seg === 'number' ? `[${seg}]` : path ? `.${seg}` : seg;
  return `${path}: expected ${e.types.join(' or ')}, got ${describe(e.value)}`;
}

const NAMESPACE_SHAPE: Shape = { metadata: OBJECT_META };
const EXPECTED = new Map(KINDS.map((k) => [k, { apiVersion: k.group ? `${k.group}/v1` : 'v1', kind: k.kind }]));

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
  if (!isObject(obj)) return undecodable(`expected a JSON object, got ${describe(obj)}`);
  let expected: { apiVersion: string; kind: string };
  let shape: Shape;
  let template: readonly string[] | undefined;
  if (group === '' && resource === 'namespaces') {
    expected = { apiVersion: 'v1', kind: 'Namespace' };
    shape = NAMESPACE_SHAPE;
  } else {
    const info = BY_RESOURCE.get(`${group}/${resource}`);
    if (!info) return undecodable(`no decoder for resource ${resource}${group ? '.' + group : ''}`);
    expected = EXPECTED.get(info)!;
    shape = shapeFor(info);
    template = info.template;
  }
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '' || typeof obj.kind !== 'string' || obj.kind === '') {
    return undecodable(`apiVersion and kind must be set (expected ${expected.apiVersion} ${expected.kind})`);
  }
  if (obj.apiVersion !== expected.apiVersion || obj.kind !== expected.kind) {
    return { type: 'wrongType', message: `expected ${expected.apiVersion} ${expected.kind}, got ${obj.apiVersion} ${obj.kind}` };
  }
  const e = checkShape(obj, shape, '') ?? (template ? templateProblem(obj, template) : undefined);
  return e === undefined ? undefined : undecodable(e);
}
