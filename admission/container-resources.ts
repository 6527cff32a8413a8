/**
 * ValidateContainerResourceRequirements' rules for a container's requests and limits (regular and
 * init containers): no negative quantity, no request above its limit, and for the resources the
 * node may not overcommit (extended resources such as `example.com/gpu`, hugepages) a request equal
 * to its limit, which must be set; and no hugepages without cpu or memory. Quantities are compared and printed exactly, in Go's canonical
 * form, after the API server's defaulting: each rounded up to milli, and a Pod's limits copied to
 * the requests it leaves out (SetDefaults_Pod; a template's are not). Resource names and the
 * integer and hugepage-size rules are not checked.
 */
import { goQuote } from './gostrings.js';
import { quantityValue } from '../engine/quantity.js';
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

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const hasCpuOrMemory = (list: Record<string, unknown> | undefined): boolean => !!list && (Object.hasOwn(list, 'cpu') || Object.hasOwn(list, 'memory'));
const hugePagesIn = (list: Record<string, unknown> | undefined): string | undefined => (list ? Object.keys(list).find(isHugePages) : undefined);

/** A quantity as the API server holds it: rounded up to milli (undefined where it is none). */
function held(written: unknown): ExactQuantity | undefined {
  const q = exactQuantity(written);
  return q && roundUp(q, -3);
}

/** Whether a quantity may be below zero: most are told at a glance. */
const mayBeNegative = (written: unknown): boolean =>
  typeof written === 'number' ? written < 0 : typeof written === 'string' && written.trimStart().startsWith('-');

/** The errors, per container in upstream's order (limits, then requests); one shared empty list when there are none. */
export function resourceRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  let out: SpecRefusal[] | undefined;
  // Paths are built only for an error: most containers have none.
  const add = (list: string, i: number, path: (string | number)[], shown: string, body: string, hint: string): void => {
    (out ??= []).push({ path: [list, i, 'resources', ...path], shownText: `spec.${list}[${i}].resources${shown}`, body, hint });
  };
  for (const list of LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const resources = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).resources : undefined;
      if (!isObject(resources)) continue;
      const limits = isObject(resources.limits) ? resources.limits : undefined;
      let requests = isObject(resources.requests) ? resources.requests : undefined;
      if (!limits && !requests) continue;
      // A Pod's limits stand for the requests it leaves out; those are reported where the limit is.
      let copied: Set<string> | undefined;
      if (of === 'pod' && limits) {
        for (const name in limits) {
          if (requests && Object.hasOwn(requests, name)) continue;
          if (!copied) requests = { ...requests };
          requests![name] = limits[name];
          (copied ??= new Set()).add(name);
        }
      }
      if (limits) {
        for (const name in limits) {
          const q = mayBeNegative(limits[name]) ? held(limits[name]) : undefined;
          if (q && isNegative(q)) add(list, i, ['limits', name], `.limits[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be greater than or equal to 0`, 'a limit is 0 or more: remove the minus sign');
        }
      }
      for (const name in requests) {
        const at = copied?.has(name) ? ['limits', name] : ['requests', name];
        const written = requests[name];
        const negative = mayBeNegative(written) ? held(written) : undefined;
        if (negative && isNegative(negative)) add(list, i, at, `.requests[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(negative))}: must be greater than or equal to 0`, 'a request is 0 or more: remove the minus sign');
        const overcommit = overcommitAllowed(name);
        if (limits && Object.hasOwn(limits, name)) {
          // Most requests are told below their limits as numbers; the rest are compared exactly.
          if (overcommit && !(quantityValue(written) >= quantityValue(limits[name]))) continue;
          const q = held(written);
          const limit = held(limits[name]);
          if (!q || !limit) continue;
          const cmp = compareQuantities(q, limit);
          if (cmp !== 0 && !overcommit) {
            add(list, i, at, '.requests', `Invalid value: ${goQuote(canonicalQuantity(q))}: must be equal to ${name} limit of ${canonicalQuantity(limit)}`,
              `the node does not overcommit ${name}: request as much as the limit`);
          } else if (cmp > 0) {
            add(list, i, at, '.requests', `Invalid value: ${goQuote(canonicalQuantity(q))}: must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`,
              `request at most the limit of ${name} (${canonicalQuantity(limit)}), or raise the limit`);
          }
        } else if (!overcommit) {
          add(list, i, ['requests', name], '.limits', 'Required value: Limit must be set for non overcommitable resources',
            `the node does not overcommit ${name}: set limits.${name} as well, equal to the request`);
        }
      }
      if (!hasCpuOrMemory(limits) && !hasCpuOrMemory(requests)) {
        const huge = hugePagesIn(limits);
        const hugeRequest = huge === undefined ? hugePagesIn(requests) : undefined;
        if (huge !== undefined || hugeRequest !== undefined) {
          add(list, i, huge !== undefined ? ['limits', huge] : copied?.has(hugeRequest!) ? ['limits', hugeRequest!] : ['requests', hugeRequest!], '',
            'Forbidden: HugePages require cpu or memory', 'a container with hugepages also requests or limits cpu or memory: add one');
        }
      }
    }
  }
  return out ?? NONE;
}
