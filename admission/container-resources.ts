/**
 * ValidateContainerResourceRequirements' rules for a container's requests and limits (regular and
 * init containers): no negative quantity, no request above its limit, and for the resources the
 * node may not overcommit (extended resources such as `example.com/gpu`, hugepages) a request equal
 * to its limit, which must be set; and no hugepages without cpu or memory. Quantities are compared and printed exactly, in Go's canonical
 * form, after the API server's defaulting: each rounded up to milli, and a Pod's limits copied to
 * the requests it leaves out (SetDefaults_Pod; a template's are not). Resource names are
 * validated as validateContainerResourceName does, an integer resource's quantity must be whole,
 * and a hugepage one a multiple of its page size; the claims a container names must be the pod's.
 */
import { goJson, goQuote } from './gostrings.js';
import { dns1123LabelErrors, labelKeyErrors } from './names.js';
import { quantityValue } from '../engine/quantity.js';
import { canonicalQuantity, compareQuantities, exactQuantity, isNegative, roundUp, scaledValue, type ExactQuantity } from './quantity-exact.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
const RESOURCE_NAME_HINT = 'name cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with its domain (example.com/gpu); the case matters';
const LISTS = ['containers', 'initContainers'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** IsOvercommitAllowed: a native resource (no domain, or a kubernetes.io one) other than hugepages. */
export function overcommitAllowed(name: string): boolean {
  return (!name.includes('/') || name.includes('kubernetes.io/')) && !name.startsWith('hugepages-');
}

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** The names almost every container gives: no name, integer or page-size rule applies to them. */
const isCommon = (name: string): boolean => name === 'cpu' || name === 'memory' || name === 'ephemeral-storage';

/** IsStandardResourceName: what a ResourceQuota or a container may name without a domain. */
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers']);
/** IsIntegerResourceName's native ones (extended resources are integers too). */
const INTEGER = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers']);

const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
/** IsExtendedResourceName: a domain's resource (example.com/gpu), qualified even with requests. before it. */
const isExtended = (name: string): boolean => !isNative(name) && !name.startsWith('requests.') && labelKeyErrors(`requests.${name}`).length === 0;

/** validateResourceName: IsQualifiedName, else a name without a domain must be a standard one. */
export function standardNameErrors(name: string): string[] {
  const errors = [...labelKeyErrors(name)];
  if (errors.length === 0 && !name.includes('/') && !STANDARD.has(name) && !name.startsWith('hugepages-') && !name.startsWith('requests.hugepages-')) {
    errors.push('must be a standard resource type or fully qualified');
  }
  return errors;
}

/** validateContainerResourceName: validateResourceName, then the containers' names (no early return between the two). */
function resourceNameErrors(name: string): string[] {
  const errors = standardNameErrors(name);
  const plain = !name.includes('/');
  if (plain) {
    if (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && !isHugePages(name)) errors.push('must be a standard resource for containers');
  } else if (!isNative(name) && !isExtended(name)) {
    errors.push("doesn't follow extended resource name standard");
  }
  return errors;
}

/** IsHugePageResourceValueDivisible: the page size from the name (hugepages-2Mi), whole and positive, divides the value. */
function hugePagesDivisible(name: string, q: ExactQuantity): boolean {
  const page = exactQuantity(name.slice('hugepages-'.length));
  if (!page || page.mantissa <= 0n || scaledValue(page, -3) % 1000n !== 0n) return false;
  return scaledValue(q, 0) % scaledValue(page, 0) === 0n;
}
const hasCpuOrMemory = (list: Record<string, unknown> | undefined): boolean => !!list && (Object.hasOwn(list, 'cpu') || Object.hasOwn(list, 'memory'));
const hugePagesIn = (list: Record<string, unknown> | undefined): string | undefined => (list ? Object.keys(list).find(isHugePages) : undefined);

/** A quantity as the API server holds it: rounded up to milli (undefined where it is none). */
export function held(written: unknown): ExactQuantity | undefined {
  const q = exactQuantity(written);
  return q && roundUp(q, -3);
}

/** Whether a quantity may be below zero: most are told at a glance. */
const mayBeNegative = (written: unknown): boolean =>
  typeof written === 'number' ? written < 0 : typeof written === 'string' && written.trimStart().startsWith('-');

/** The errors, per container in upstream's order (limits, then requests); one shared empty list when there are none. */
// The errors of the call under way (resourceRefusals runs to its end before another starts);
// paths are built only for an error: most containers have none.
let out: SpecRefusal[] | undefined;

/** Whose requirements: a container's (its list and index), or the pod's own (none). */
export interface Where {
  list?: string;
  i?: number;
}
function add(where: Where, path: (string | number)[], shown: string, body: string, hint: string): void {
  const base = where.list === undefined ? ['resources'] : [where.list, where.i!, 'resources'];
  (out ??= []).push({ path: [...base, ...path], shownText: `spec.${where.list === undefined ? '' : `${where.list}[${where.i}].`}resources${shown}`, body, hint });
}

// A name's errors come before the negative check, an integer resource's fraction after it.
function nameErrors(where: Where, names: ResourceNames, at: (string | number)[], shown: string, name: string): void {
  for (const body of names.errors(name)) add(where, at, shown, body, names.hint);
}
function fractionErrors(where: Where, at: (string | number)[], shown: string, name: string, written: unknown): void {
  if (!INTEGER.has(name) && !isExtended(name)) return;
  const q = held(written);
  if (q && scaledValue(q, -3) % 1000n !== 0n) {
    add(where, at, shown, `Invalid value: ${goJson(canonicalQuantity(q))}: must be an integer`, `${name} is counted in whole units: write a whole number`);
  }
}
function hugePages(where: Where, at: (string | number)[], shown: string, name: string, written: unknown): void {
  if (!isHugePages(name)) return;
  const q = held(written);
  if (q && !hugePagesDivisible(name, q)) {
    const text = canonicalQuantity(q);
    add(where, at, shown, `Invalid value: ${goQuote(text)}: ${text} is not positive integer multiple of ${name}`,
      `${name} is given in whole pages: a multiple of the page size its name gives`);
  }
}

// A request against its limit, or against the limit a resource the node does not overcommit needs.
function compareWithLimit(where: Where, at: (string | number)[], name: string, written: unknown, limits: Record<string, unknown> | undefined): void {
  const overcommit = overcommitAllowed(name);
  if (limits && Object.hasOwn(limits, name)) {
    // Most requests are told below their limits as numbers; the rest are compared exactly.
    if (overcommit && !(quantityValue(written) >= quantityValue(limits[name]))) return;
    const q = held(written);
    const limit = held(limits[name]);
    if (!q || !limit) return;
    const cmp = compareQuantities(q, limit);
    if (cmp !== 0 && !overcommit) {
      add(where, at, '.requests', `Invalid value: ${goQuote(canonicalQuantity(q))}: must be equal to ${name} limit of ${canonicalQuantity(limit)}`,
        `the node does not overcommit ${name}: request as much as the limit`);
    } else if (cmp > 0) {
      add(where, at, '.requests', `Invalid value: ${goQuote(canonicalQuantity(q))}: must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`,
        `request at most the limit of ${name} (${canonicalQuantity(limit)}), or raise the limit`);
    }
  } else if (!overcommit) {
    add(where, ['requests', name], '.limits', 'Required value: Limit must be set for non overcommitable resources',
      `the node does not overcommit ${name}: set limits.${name} as well, equal to the request`);
  }
}

/**
 * validateResourceClaimNames: each claim a container names is one of the pod's (spec.resourceClaims),
 * once, as a whole or by request (`gpu` after `gpu/a` is taken twice, and `gpu/a` after `gpu`).
 */
function claimErrors(where: Where, claims: unknown, spec: Record<string, unknown>): void {
  if (!Array.isArray(claims)) return;
  // The names the pod lists, valid or not, sorted as sets.List gives them.
  const names = [...new Set((Array.isArray(spec.resourceClaims) ? spec.resourceClaims : [])
    .map((c: unknown) => (isObject(c) && typeof c.name === 'string' ? c.name : '')).filter((n: string) => n !== ''))].sort();
  const taken = new Set<string>();
  for (let j = 0; j < claims.length; j++) {
    const claim = isObject(claims[j]) ? (claims[j] as Record<string, unknown>) : {};
    const name = typeof claim.name === 'string' ? claim.name : '';
    const request = typeof claim.request === 'string' ? claim.request : '';
    const twice = (value: string) => add(where, ['claims', j], `.claims[${j}]`, `Duplicate value: ${goQuote(value)}`, 'name each claim (or each request of it) once in a container');
    if (name === '') {
      add(where, ['claims', j], `.claims[${j}]`, 'Required value', "set the claim's name to one of the pod's spec.resourceClaims");
      continue;
    }
    if (taken.has(name)) twice(name);
    else {
      let key = name;
      if (request !== '') {
        for (const msg of dns1123LabelErrors(request)) add(where, ['claims', j, 'request'], `.claims[${j}].request`, `Invalid value: ${goQuote(request)}: ${msg}`, "a request's name is a DNS label: lower case letters, digits and '-'");
        key += `/${request}`;
      }
      if (taken.has(key)) twice(key);
      else if (request === '' && [...taken].some((k) => k.slice(0, k.indexOf('/')) === name)) twice(name);
      taken.add(key);
    }
    if (!names.includes(name)) {
      add(where, ['claims', j], `.claims[${j}]`, `Not found: ${goQuote(name)}: must be one of the names in pod.spec.resourceClaims${names.length === 0 ? ' which is empty' : `: ${names.join(', ')}`}`,
        'a container uses the claims its pod lists: name one of spec.resourceClaims, or add the claim there');
    }
  }
}

/** How a list of requirements names its resources: the names taken without a look, each name's errors (whole bodies), and what to do. */
export interface ResourceNames {
  common: (name: string) => boolean;
  errors: (name: string) => readonly string[];
  hint: string;
}

const CONTAINER_NAMES: ResourceNames = {
  common: isCommon,
  errors: (name) => resourceNameErrors(name).map((message) => `Invalid value: ${goJson(name)}: ${message}`),
  hint: RESOURCE_NAME_HINT,
};

/**
 * validateResourceRequirements on one list of requirements (a container's, the pod's): names,
 * quantities, each request against its limit, hugepages beside cpu or memory, then the claims.
 * `copyLimits`: a Pod's, whose limits stand for the requests it leaves out (reported where the limit is).
 */
export function requirementErrors(where: Where, resources: Record<string, unknown>, spec: Record<string, unknown>, names: ResourceNames, copyLimits: boolean): void {
  const limits = isObject(resources.limits) ? resources.limits : undefined;
  let requests = isObject(resources.requests) ? resources.requests : undefined;
  let copied: Set<string> | undefined;
  if (copyLimits && limits) {
    for (const name in limits) {
      if (requests && Object.hasOwn(requests, name)) continue;
      if (!copied) requests = { ...requests };
      requests![name] = limits[name];
      (copied ??= new Set()).add(name);
    }
  }
  if (limits) {
    for (const name in limits) {
      const common = names.common(name);
      if (!common) nameErrors(where, names, ['limits', name], `.limits[${name}]`, name);
      const q = mayBeNegative(limits[name]) ? held(limits[name]) : undefined;
      if (q && isNegative(q)) add(where, ['limits', name], `.limits[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(q))}: must be greater than or equal to 0`, 'a limit is 0 or more: remove the minus sign');
      if (common) continue;
      fractionErrors(where, ['limits', name], `.limits[${name}]`, name, limits[name]);
      hugePages(where, ['limits', name], `.limits[${name}]`, name, limits[name]);
    }
  }
  for (const name in requests) {
    const at = copied?.has(name) ? ['limits', name] : ['requests', name];
    const written = requests[name];
    const common = names.common(name);
    if (!common) nameErrors(where, names, at, `.requests[${name}]`, name);
    const negative = mayBeNegative(written) ? held(written) : undefined;
    if (negative && isNegative(negative)) add(where, at, `.requests[${name}]`, `Invalid value: ${goQuote(canonicalQuantity(negative))}: must be greater than or equal to 0`, 'a request is 0 or more: remove the minus sign');
    if (!common) fractionErrors(where, at, `.requests[${name}]`, name, written);
    compareWithLimit(where, at, name, written, limits);
    if (!common) hugePages(where, at, `.requests[${name}]`, name, written);
  }
  if (!hasCpuOrMemory(limits) && !hasCpuOrMemory(requests)) {
    const huge = hugePagesIn(limits);
    const hugeRequest = huge === undefined ? hugePagesIn(requests) : undefined;
    if (huge !== undefined || hugeRequest !== undefined) {
      add(where, huge !== undefined ? ['limits', huge] : copied?.has(hugeRequest!) ? ['limits', hugeRequest!] : ['requests', hugeRequest!], '',
        'Forbidden: HugePages require cpu or memory', 'hugepages come with cpu or memory: request or limit one of them too');
    }
  }
  if (resources.claims != null) claimErrors(where, resources.claims, spec);
}

/** The errors of the call under way, handed over; the list is reset for the next. */
export function takeErrors(): readonly SpecRefusal[] {
  const found = out;
  out = undefined;
  return found ?? NONE;
}

export function resourceRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  out = undefined;
  for (const list of LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const resources = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).resources : undefined;
      if (!isObject(resources)) continue;
      if (resources.limits == null && resources.requests == null && resources.claims == null) continue;
      requirementErrors({ list, i }, resources, spec, CONTAINER_NAMES, of === 'pod');
    }
  }
  return takeErrors();
}
