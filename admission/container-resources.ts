/**
 * ValidateContainerResourceRequirements' rules for a container's requests and limits (regular and
 * init containers): no negative quantity, no request above its limit, and for the resources the
 * node may not overcommit (extended resources such as `example.com/gpu`, hugepages) a request equal
 * to its limit, which must be set. Quantities are compared and printed exactly, in Go's canonical
 * form, after the API server's defaulting: each rounded up to milli, and a Pod's limits copied to
 * the requests it leaves out (SetDefaults_Pod; a template's are not). Resource names and the
 * integer and hugepage-size rules are not checked.
 */
import { goQuote } from './gostrings.js';
import { canonicalQuantity, compareQuantities, exactQuantity, isNegative, roundUp, type ExactQuantity } from './quantity-exact.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
const LISTS = ['containers', 'initContainers'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IsOvercommitAllowed: a native resource (no domain, or a kubernetes.io one) other than hugepages. */
function overcommitAllowed(name: string): boolean {
  return (!name.includes('/') || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-');
}

/** A resource list's quantities as the API server holds them, in the order written. */
function quantities(list: unknown): Map<string, ExactQuantity> {
  const out = new Map<string, ExactQuantity>();
  if (!isObject(list)) return out;
  for (const [name, written] of Object.entries(list)) {
    const q = exactQuantity(written);
    if (q) out.set(name, roundUp(q, -3));
  }
  return out;
}

/** The errors, per container in upstream's order (limits, then requests); one shared empty list when there are none. */
export function resourceRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  let out: SpecRefusal[] | undefined;
  const add = (path: (string | number)[], shownText: string, body: string, hint: string): void => {
    (out ??= []).push({ path, shownText, body, hint });
  };
  for (const list of LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const resources = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).resources : undefined;
      if (!isObject(resources) || (resources.limits == null && resources.requests == null)) continue;
      const base = [list, i, 'resources'];
      const shown = `spec.${list}[${i}].resources`;
      const limits = quantities(resources.limits);
      const requests = quantities(resources.requests);
      // A Pod's limits stand for the requests it leaves out.
      const copied = new Set<string>();
      if (of === 'pod' && isObject(resources.limits)) {
        for (const [name, q] of limits) if (!requests.has(name)) { requests.set(name, q); copied.add(name); }
      }
      for (const [name, q] of limits) {
        if (isNegative(q)) add([...base, 'limits', name], `${shown}.limits[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be greater than or equal to 0`, 'a limit is 0 or more: remove the minus sign');
      }
      for (const [name, q] of requests) {
        // A request copied from a limit is reported where the limit is written.
        const at = copied.has(name) ? [...base, 'limits', name] : [...base, 'requests', name];
        if (isNegative(q)) add(at, `${shown}.requests[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be greater than or equal to 0`, 'a request is 0 or more: remove the minus sign');
        const limit = limits.get(name);
        if (limit !== undefined) {
          const cmp = compareQuantities(q, limit);
          if (cmp !== 0 && !overcommitAllowed(name)) {
            add(at, `${shown}.requests`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be equal to ${name} limit of ${canonicalQuantity(limit)}`,
              `the node does not overcommit ${name}: request as much as the limit`);
          } else if (cmp > 0) {
            add(at, `${shown}.requests`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`,
              `request at most the limit of ${name} (${canonicalQuantity(limit)}), or raise the limit`);
          }
        } else if (!overcommitAllowed(name)) {
          add([...base, 'requests', name], `${shown}.limits`, 'Required value: Limit must be set for non overcommitable resources',
            `the node does not overcommit ${name}: set limits.${name} as well, equal to the request`);
        }
      }
    }
  }
  return out ?? NONE;
}
