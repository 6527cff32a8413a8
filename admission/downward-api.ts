/**
 * The downward API's rules the refusal table cannot say (pod-spec-refusals.json has the rest): the
 * key of a `metadata.labels['KEY']` or `metadata.annotations['KEY']` reference must be a qualified
 * name (an annotation's lower-cased first), printed at the `fieldRef` (validateObjectFieldSelector),
 * and a resource reference's `divisor` must be one its resource takes, compared in its canonical
 * form, printed with the resource's name as the value (validateContainerResourceDivisor). For
 * environment variables and for the files of a volume whose first source is `downwardAPI` or
 * `projected` (a file's path printed without its index, as upstream prints it).
 */
import { goQuote } from './gostrings.js';
import { labelKeyErrors } from './names.js';
import { canonicalQuantity, exactQuantity } from './quantity-exact.js';
import type { SpecRefusal } from './refusal-table.js';
import { firstVolumeSource } from './volume-sources.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
const BYTES = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];
const BYTES_TEXT = `only divisor's values ${BYTES.join(', ')} are supported with the`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The divisors a resource takes, and the words saying so; none for a resource no divisor is checked for. */
function divisorRule(resource: string): { allowed: readonly string[]; message: string } | undefined {
  if (resource === 'limits.cpu' || resource === 'requests.cpu') return { allowed: ['1m', '1'], message: "only divisor's values 1m and 1 are supported with the cpu resource" };
  if (resource === 'limits.memory' || resource === 'requests.memory') return { allowed: BYTES, message: `${BYTES_TEXT} memory resource` };
  if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') return { allowed: BYTES, message: `${BYTES_TEXT} local ephemeral storage resource` };
  if (resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) return { allowed: BYTES, message: `${BYTES_TEXT} hugepages resource` };
  return undefined;
}

// The errors of the call under way (downwardApiRefusals runs to its end before another starts).
let out: SpecRefusal[] | undefined;

/** A subscripted reference's key (fieldpath.SplitMaybeSubscriptedPath after the first "['"). */
function fieldRefErrors(ref: unknown, path: (string | number)[], shown: (string | number)[]): void {
  if (!isObject(ref)) return;
  const { apiVersion, fieldPath } = ref;
  if ((apiVersion != null && apiVersion !== '' && apiVersion !== 'v1') || typeof fieldPath !== 'string' || !fieldPath.endsWith("']")) return;
  const open = fieldPath.indexOf("['");
  if (open <= 0 || open + 2 > fieldPath.length - 2) return;
  const field = fieldPath.slice(0, open);
  if (field !== 'metadata.labels' && field !== 'metadata.annotations') return;
  const written = fieldPath.slice(open + 2, -2);
  const key = field === 'metadata.annotations' ? written.toLowerCase() : written;
  const hint = `a ${field === 'metadata.labels' ? 'label' : 'annotation'} key is a qualified name (app.kubernetes.io/name): fix the key in ${fieldPath}`;
  for (const msg of labelKeyErrors(key)) (out ??= []).push({ path: [...path, 'fieldPath'], shown, body: `Invalid value: ${goQuote(key)}: ${msg}`, hint });
}

function divisorErrors(ref: unknown, path: (string | number)[], shown: (string | number)[]): void {
  if (!isObject(ref) || typeof ref.resource !== 'string' || ref.divisor == null) return;
  const rule = divisorRule(ref.resource);
  const q = exactQuantity(ref.divisor);
  if (!rule || !q || q.mantissa === 0n || rule.allowed.includes(canonicalQuantity(q))) return;
  (out ??= []).push({
    path: [...path, 'divisor'], shown: [...shown, 'divisor'], body: `Invalid value: ${goQuote(ref.resource)}: ${rule.message}`,
    hint: `set divisor to one of ${rule.allowed.join(', ')}, or leave it out (1)`,
  });
}

/** A file takes its fieldRef, or else its resourceFieldRef (whose divisor is checked even without a container name). */
function fileErrors(items: unknown, at: (string | number)[], shown: (string | number)[]): void {
  if (!Array.isArray(items)) return;
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (!isObject(item)) continue;
    if (item.fieldRef != null) fieldRefErrors(item.fieldRef, [...at, k, 'fieldRef'], [...shown, 'fieldRef']);
    else divisorErrors(item.resourceFieldRef, [...at, k, 'resourceFieldRef'], [...shown, 'resourceFieldRef']);
  }
}

/** The containers' variables: most have none that reads the downward API. */
function envErrors(list: 'containers' | 'initContainers', containers: unknown): void {
  if (!Array.isArray(containers)) return;
  for (let c = 0; c < containers.length; c++) {
    const container: unknown = containers[c];
    if (typeof container !== 'object' || container === null) continue;
    const env = (container as Record<string, unknown>).env;
    if (!Array.isArray(env)) continue;
    for (let e = 0; e < env.length; e++) {
      const from = isObject(env[e]) ? (env[e] as Record<string, unknown>).valueFrom : undefined;
      if (!isObject(from)) continue;
      if (from.fieldRef != null) fieldRefErrors(from.fieldRef, [list, c, 'env', e, 'valueFrom', 'fieldRef'], [list, c, 'env', e, 'valueFrom', 'fieldRef']);
      if (from.resourceFieldRef != null) divisorErrors(from.resourceFieldRef, [list, c, 'env', e, 'valueFrom', 'resourceFieldRef'], [list, c, 'env', e, 'valueFrom', 'resourceFieldRef']);
    }
  }
}

export function downwardApiRefusals(spec: Record<string, unknown>): readonly SpecRefusal[] {
  out = undefined;
  envErrors('containers', spec.containers);
  envErrors('initContainers', spec.initContainers);
  const volumes = spec.volumes;
  if (Array.isArray(volumes)) {
    for (let v = 0; v < volumes.length; v++) {
      const volume = volumes[v];
      if (!isObject(volume)) continue;
      if (isObject(volume.downwardAPI)) {
        if (firstVolumeSource(volume) === 'downwardAPI') fileErrors(volume.downwardAPI.items, ['volumes', v, 'downwardAPI', 'items'], ['volumes', v, 'downwardAPI']);
      } else if (isObject(volume.projected) && Array.isArray(volume.projected.sources) && firstVolumeSource(volume) === 'projected') {
        const sources: unknown[] = volume.projected.sources;
        for (let j = 0; j < sources.length; j++) {
          const source = sources[j];
          if (isObject(source) && isObject(source.downwardAPI)) fileErrors(source.downwardAPI.items, ['volumes', v, 'projected', 'sources', j, 'downwardAPI', 'items'], ['volumes', v, 'projected', 'sources', j, 'downwardAPI']);
        }
      }
    }
  }
  const found = out;
  out = undefined;
  return found ?? NONE;
}
