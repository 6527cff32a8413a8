/** Pod spec extraction from pods and pod controllers, as upstream's DefaultPodSpecExtractor. */
import { decoderFieldPath, objectFieldTypeErrors, withZeroValues } from './field-types.js';
import { goQuote } from './gostrings.js';

export type JsonObject = Record<string, unknown>;

export interface ExtractedPod {
  metadata: JsonObject;
  spec: JsonObject;
  /** Where the template sits inside the object: [] for a Pod, ['spec','template'] for a Deployment. */
  pathPrefix: string[];
}

export interface KindInfo {
  /** Its API group; the kind is served there as v1. */
  group: string;
  kind: string;
  resource: string;
  /** Path of the pod template; [] for Pod itself. */
  template: string[];
  /** Go models this template as a pointer, so it can be nil. */
  optional: boolean;
}

const KINDS: readonly Readonly<KindInfo>[] = [
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

/** The pod spec's lists of containers, in the order upstream visits them; the API server requires each container's name. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** The group and template path of a kind that embeds a pod spec. */
export function podSpecKind(kind: string): Readonly<KindInfo> | undefined {
  return BY_KIND.get(kind);
}

/** upstream HasPodSpec: the resources whose objects embed a pod spec. */
export function hasPodSpec(group: string, resource: string): boolean {
  return BY_RESOURCE.has(`${group}/${resource}`);
}

export function kindForResource(group: string, resource: string): { apiVersion: string; kind: string } | undefined {
  const k = BY_RESOURCE.get(`${group}/${resource}`);
  return k && { apiVersion: groupVersionString(k.group, 'v1'), kind: k.kind };
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

// --- Decoding, as upstream's webhook decodes an admission request's object. ---

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * The name runtime.NewScheme gives upstream's webhook scheme: the file and line of its call
 * site (cmd/webhook/server/scheme.go), cut after `/src/` or `/vendor/`, as in the images built
 * from the Kubernetes tree. Builds from elsewhere (the module cache) print another path.
 */
export const UPSTREAM_SCHEME_NAME = 'k8s.io/pod-security-admission/cmd/webhook/server/scheme.go:30';

// The kinds upstream's webhook scheme knows: core, apps and batch v1 and admission v1, plus what
// metav1.AddToGroupVersion adds to each (watch events, options, unversioned kinds).
const META_KINDS = ['WatchEvent', 'ListOptions', 'GetOptions', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions'];
const UNVERSIONED_KINDS = new Set(['Status', 'APIVersions', 'APIGroupList', 'APIGroup', 'APIResourceList']);
const withLists = (kinds: string[]) => kinds.flatMap((k) => [k, `${k}List`]);
const SCHEME_GROUPS: Record<string, string[]> = {
  '': [
    ...withLists(['ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod']),
    ...withLists(['PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount']),
    'Binding', 'List', 'NodeProxyOptions', 'PodAttachOptions', 'PodExecOptions', 'PodLogOptions', 'PodPortForwardOptions', 'PodProxyOptions',
    'PodStatusResult', 'RangeAllocation', 'SerializedReference', 'ServiceProxyOptions', ...UNVERSIONED_KINDS,
  ],
  apps: withLists(['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']),
  batch: withLists(['CronJob', 'Job']),
  'admission.k8s.io': ['AdmissionReview'],
};
const SCHEME = new Map<string, Set<string>>();
for (const [group, kinds] of Object.entries(SCHEME_GROUPS)) {
  SCHEME.set(groupVersionString(group, 'v1'), new Set([...kinds, ...META_KINDS]));
  SCHEME.set(groupVersionString(group, '__internal'), new Set(['WatchEvent']));
}

/** The types of the scheme by the apiVersion and kind an object names, resolved once. */
const KNOWN_TYPES = new Map<string, Map<string, { type: GroupVersionKind; checkFields: boolean }>>();
for (const [gvText, kinds] of SCHEME) {
  const gv = parseGroupVersion(gvText) as { group: string; version: string };
  const byKind = new Map<string, { type: GroupVersionKind; checkFields: boolean }>();
  for (const kind of kinds) {
    const type = Object.freeze({ ...gv, kind });
    byKind.set(kind, { type, checkFields: hasTypedFields(type) });
  }
  KNOWN_TYPES.set(gvText, byKind);
}

/** The types whose fields podsec checks as the decoder would: Namespace and the pod-template kinds. */
function hasTypedFields(type: GroupVersionKind): boolean {
  return isType(type, '', 'Namespace') || templateKind(type) !== undefined;
}

/** GroupVersion.String(): `v1`, `apps/v1`. */
export function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** GroupVersionKind.String(): `/v1, Kind=Service`, `apps/v1, Kind=Deployment`. */
export function groupVersionKindString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } | string {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return `unexpected GroupVersion string: ${apiVersion}`;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** An object the decoder made: its type's group/version/kind and the apiVersion/kind it carries. */
export interface DecodedObject {
  /** Which registered type it decoded to (defaults applied). */
  type: GroupVersionKind;
  /** Its own TypeMeta, which upstream prints in "unexpected object type" errors. */
  typeMeta: GroupVersionKind;
  object: JsonObject;
}

export type DecodeResult = { decoded: DecodedObject } | { error: string } | { none: true };

/**
 * Decodes an admission request's object as upstream's webhook does (its codecs'
 * UniversalDeserializer with the request's kind as the default): the object's apiVersion and
 * kind, filled in from the default where missing, must name a type of upstream's scheme, and
 * the fields must fit that type. An absent or null object decodes to nothing.
 */
export function decodeObject(obj: unknown, defaults: GroupVersionKind): DecodeResult {
  if (obj === null || obj === undefined) return { none: true };
  if (!isObject(obj)) return { error: `expected a JSON object, got ${describe(obj)}` };
  const av = obj.apiVersion;
  const k = obj.kind;
  // meta.Interpret reads apiVersion and kind with encoding/json: null is "", other types fail.
  if ((av != null && typeof av !== 'string') || (k != null && typeof k !== 'string')) {
    const key = Object.keys(obj).find((key) => (key === 'apiVersion' || key === 'kind') && obj[key] != null && typeof obj[key] !== 'string')!;
    return { error: `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(obj[key])} into Go struct field .${key} of type string` };
  }
  const apiVersion = typeof av === 'string' ? av : '';
  const kind = typeof k === 'string' ? k : '';
  // Nearly every object names a type of the scheme: look its resolution up instead of redoing it per request.
  const resolved = apiVersion !== '' && kind !== '' ? KNOWN_TYPES.get(apiVersion)?.get(kind) : undefined;
  if (resolved) {
    const problem = resolved.checkFields ? typeProblem(resolved.type.kind, obj) : undefined;
    // The object names its type in full, so its TypeMeta is that type.
    if (problem !== undefined) return { error: problem };
    // As Go's decoder fills them: a null label value is "", a null container an empty one.
    return { decoded: { type: resolved.type, typeMeta: resolved.type, object: resolved.checkFields ? withZeroValues(kind, obj) as JsonObject : obj } };
  }
  const gv = parseGroupVersion(apiVersion);
  if (typeof gv === 'string') return { error: gv };
  // The json serializer's gvkWithDefaults.
  const type: GroupVersionKind = { group: gv.group, version: gv.version, kind: kind || defaults.kind };
  if (type.version === '' && type.group === '') {
    type.group = defaults.group;
    type.version = defaults.version;
  }
  if (type.version === '' && type.group === defaults.group) type.version = defaults.version;
  if (type.kind === '') return { error: `Object 'Kind' is missing in '${JSON.stringify(obj)}'` };
  if (type.version === '') return { error: `Object 'apiVersion' is missing in '${JSON.stringify(obj)}'` };
  // Scheme.New: a registered kind of that group/version, or an unversioned kind in any.
  const known = SCHEME.get(groupVersionString(type.group, type.version))?.has(type.kind) || UNVERSIONED_KINDS.has(type.kind);
  if (!known) {
    const where =
      type.version === '__internal'
        ? `the internal version of group ${goQuote(type.group)}`
        : `version ${goQuote(groupVersionString(type.group, type.version))}`;
    return { error: `no kind ${goQuote(type.kind)} is registered for ${where} in scheme ${goQuote(UPSTREAM_SCHEME_NAME)}` };
  }
  const typed = hasTypedFields(type);
  const problem = typed ? typeProblem(type.kind, obj) : undefined;
  if (problem !== undefined) return { error: problem };
  return { decoded: { type, typeMeta: { ...gv, kind }, object: typed ? withZeroValues(type.kind, obj) as JsonObject : obj } };
}

function isType(t: GroupVersionKind, group: string, kind: string): boolean {
  return t.group === group && t.version === 'v1' && t.kind === kind;
}

function templateKind(t: GroupVersionKind): KindInfo | undefined {
  const info = BY_KIND.get(t.kind);
  return info && isType(t, info.group, info.kind) ? info : undefined;
}

/** Whether a decoded object is of the v1 type of that group and kind (upstream's type assertions). */
export function isDecodedType(d: DecodedObject, group: string, kind: string): boolean {
  return isType(d.type, group, kind);
}

/**
 * Upstream's DefaultPodSpecExtractor.ExtractPodSpec: picks the template by the object's type,
 * whatever resource it came as. Throws for a type without one; null for a nil template.
 */
export function extractPodSpecByType(d: DecodedObject): ExtractedPod | null {
  const info = templateKind(d.type);
  if (!info) throw new Error(`unexpected object type: ${groupVersionKindString(d.typeMeta)}`);
  return extractWith(info, d.object);
}

/** The kind the API server sends as `request.kind` for a resource, when the request has none. */
export function defaultKindForResource(group: string, resource: string): GroupVersionKind {
  if (group === '' && resource === 'namespaces') return { group: '', version: 'v1', kind: 'Namespace' };
  const info = BY_RESOURCE.get(`${group}/${resource}`);
  return info ? { group: info.group, version: 'v1', kind: info.kind } : { group: '', version: '', kind: '' };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

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
 * Why an admission request's object does not decode as its resource's v1 type (objects without
 * apiVersion or kind take the resource's), or undefined when it does.
 */
export function decodeError(group: string, resource: string, obj: unknown): string | undefined {
  const expected = defaultKindForResource(group, resource);
  const r = decodeObject(obj, expected);
  if ('error' in r) return r.error;
  if ('none' in r) return 'the request has no object';
  if (isDecodedType(r.decoded, expected.group, expected.kind)) return undefined;
  return `unexpected object type: ${groupVersionKindString(r.decoded.typeMeta)}`;
}
