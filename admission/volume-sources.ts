/**
 * The rarer volume sources' rules the refusal table cannot say (pod-spec-refusals.json has the
 * rest): an iSCSI volume with an initiator name whose name and portal together are longer than 64
 * bytes (checked whatever the volume's first source), a flexVolume option named in the reserved
 * kubernetes.io or k8s.io namespaces, a Quobyte registry that is no list of host:port pairs as Go's
 * net.SplitHostPort reads them, a file path two sources of a projected volume share; and, for a Pod,
 * the claims its ephemeral volumes make.
 */
import { goQuote } from './gostrings.js';
import { dns1123SubdomainErrors } from './names.js';
import { readTable, type SpecRefusal } from './refusal-table.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
const ISCSI_TOO_LONG = 'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.';
const HOST_PORT = 'must be a host:port pair or multiple pairs separated by commas';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

let volumeSources: readonly string[] | undefined;

/** The source a volume is validated as: the first set, in the order of the table's volumeSources. */
export function firstVolumeSource(volume: Record<string, unknown>): string | undefined {
  volumeSources ??= readTable('pod-spec-refusals.json').lists!.volumeSources!.map((x) => (typeof x === 'string' ? x : x.field));
  return volumeSources.find((k) => volume[k] != null);
}

/**
 * A projected volume's files come from all its sources: two items of one path conflict (the
 * later is refused, printed at the volume with its source's name, or a downward API file's path).
 */
function projectedPathConflicts(projected: Record<string, unknown>, v: number, out: SpecRefusal[] | undefined): SpecRefusal[] | undefined {
  if (!Array.isArray(projected.sources)) return out;
  const paths = new Set<string>();
  projected.sources.forEach((source: unknown, j: number) => {
    if (!isObject(source)) return;
    for (const kind of ['secret', 'configMap', 'downwardAPI'] as const) {
      const from = source[kind];
      if (!isObject(from) || !Array.isArray(from.items)) continue;
      from.items.forEach((item: unknown, k: number) => {
        const path = isObject(item) ? str(item.path) : '';
        if (path === '') return;
        if (paths.has(path)) {
          (out ??= []).push({ path: ['volumes', v, 'projected', 'sources', j, kind, 'items', k, 'path'], shown: ['volumes', v, 'projected'], body: `Invalid value: ${goQuote(kind === 'downwardAPI' ? path : str(from.name))}: conflicting duplicate paths`, hint: 'each file of a projected volume has its own path: change one of the two paths' });
        }
        paths.add(path);
      });
    }
  });
  return out;
}

/** Whether net.SplitHostPort takes it: one colon before the port, or a bracketed host, and no stray brackets. */
export function splitsAsHostPort(hostport: string): boolean {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return false;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== i) return false;
    j = 1;
    k = end + 1;
  } else if (hostport.slice(0, i).includes(':')) {
    return false;
  }
  return !hostport.slice(j).includes('[') && !hostport.slice(k).includes(']');
}

/**
 * `podName`: a Pod's, where it has one: each ephemeral volume makes a claim named after the Pod and
 * the volume, which must be a valid name, and which no persistentVolumeClaim volume may name.
 */
/** ValidateVolumes' checks of the claims a Pod's ephemeral volumes make. */
function claimNameRefusals(volumes: unknown[], podName: string): SpecRefusal[] | undefined {
  let out: SpecRefusal[] | undefined;
  let made: Set<string> | undefined;
  for (const v of volumes) if (isObject(v) && v.ephemeral != null) (made ??= new Set()).add(`${podName}-${str(v.name)}`);
  if (!made) return undefined;
  for (let i = 0; i < volumes.length; i++) {
    const volume = volumes[i];
    if (!isObject(volume)) continue;
    const name = str(volume.name);
    if (name !== '' && volume.ephemeral != null && firstVolumeSource(volume) === 'ephemeral') {
      const claim = `${podName}-${name}`;
      for (const msg of dns1123SubdomainErrors(claim)) {
        (out ??= []).push({ path: ['volumes', i, 'name'], body: `Invalid value: ${goQuote(name)}: PVC name ${goQuote(claim)}: ${msg}`, hint: 'the claim made for the volume is named after the Pod and the volume, at most 253 characters together: shorten one of the two names' });
      }
    }
    const pvc = volume.persistentVolumeClaim;
    if (isObject(pvc) && made.has(str(pvc.claimName))) {
      (out ??= []).push({ path: ['volumes', i, 'persistentVolumeClaim', 'claimName'], body: `Invalid value: ${goQuote(str(pvc.claimName))}: must not reference a PVC that gets created for an ephemeral volume`, hint: 'an ephemeral volume\'s claim belongs to it: mount that volume instead of naming its claim' });
    }
  }
  return out;
}

export function volumeSourceRefusals(spec: Record<string, unknown>, podName = ''): readonly SpecRefusal[] {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes)) return NONE;
  let out: SpecRefusal[] | undefined;
  if (podName !== '') out = claimNameRefusals(volumes, podName);
  for (let v = 0; v < volumes.length; v++) {
    const volume = volumes[v];
    if (!isObject(volume)) continue;
    const { iscsi, flexVolume, quobyte, projected } = volume;
    if (iscsi == null && flexVolume == null && quobyte == null && projected == null) continue;
    const name = str(volume.name);
    if (isObject(iscsi) && iscsi.initiatorName != null && Buffer.byteLength(`${name}:${str(iscsi.targetPortal)}`) > 64) {
      (out ??= []).push({ path: ['volumes', v, 'name'], body: `Invalid value: ${goQuote(name)}: ${ISCSI_TOO_LONG}`, hint: 'shorten the volume\'s name or the portal\'s address: with an initiator name the two are at most 64 bytes together' });
    }
    const first = firstVolumeSource(volume);
    if (first === 'projected' && isObject(projected)) out = projectedPathConflicts(projected, v, out);
    if (first === 'flexVolume' && isObject(flexVolume) && isObject(flexVolume.options)) {
      for (const key of Object.keys(flexVolume.options)) {
        const slash = key.indexOf('/');
        const namespace = `.${(slash < 0 ? key : key.slice(0, slash)).toLowerCase()}`;
        if (!namespace.endsWith('.kubernetes.io') && !namespace.endsWith('.k8s.io')) continue;
        (out ??= []).push({ path: ['volumes', v, 'flexVolume', 'options', key], shownText: `spec.volumes[${v}].flexVolume.options[${key}]`, body: `Invalid value: ${goQuote(key)}: kubernetes.io and k8s.io namespaces are reserved`, hint: 'name the option in your own namespace (example.com/option) or without one' });
      }
    }
    if (first === 'quobyte' && isObject(quobyte)) {
      const registry = str(quobyte.registry);
      // Upstream checks the pairs only where the registry is given and the tenant short enough.
      if (registry !== '' && Buffer.byteLength(str(quobyte.tenant)) < 65 && registry.split(',').some((pair) => !splitsAsHostPort(pair))) {
        (out ??= []).push({ path: ['volumes', v, 'quobyte', 'registry'], body: `Invalid value: ${goQuote(registry)}: ${HOST_PORT}`, hint: 'write the registry as host:port, several separated by commas (registry1:7861,registry2:7861)' });
      }
    }
  }
  return out ?? NONE;
}
