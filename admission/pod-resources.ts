/**
 * A pod's own requests and limits (`spec.resources`, pod-level resources, on by default since
 * Kubernetes 1.34), as validatePodResources refuses them: none in a Windows pod, no claims, the
 * names of cpu, memory and hugepages only, the quantities and request-limit rules of a container's
 * (container-resources.ts), and consistency with the containers: a pod request below the
 * containers' aggregate request (regular and sidecar containers summed, each init container's peak
 * beside them), a hugepage limit below their aggregate limit, a container's limit above the pod's.
 * A Pod is judged after SetDefaults_Pod: its containers' requests from their limits, then the
 * pod's hugepage limits and requests defaulted from the containers' and its own limits (a
 * template's are not). A `pids` limit (a per-pod PID limit, alpha in Kubernetes 1.37) is dropped, as an
 * API server with its default feature gates drops it. Not modelled: defaultPodLimits, which newer API
 * servers add.
 */
import { held, overcommitAllowed, requirementErrors, standardNameErrors, takeErrors, type ResourceNames } from './container-resources.js';
import { goJson, goQuote } from './gostrings.js';
import { addQuantities, canonicalQuantity, compareQuantities, type ExactQuantity } from './quantity-exact.js';
import type { SpecRefusal } from './refusal-table.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);
type Quantities = Map<string, ExactQuantity>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PIDS = 'pids';
function withoutPids(list: unknown): unknown {
  if (!isObject(list)) return list;
  const { [PIDS]: _dropped, ...rest } = list;
  return rest;
}

/** IsSupportedPodLevelResource. */
const isSupported = (name: string): boolean => name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');

/** validatePodResourceName: validateResourceName, then the names pod-level resources support. */
const POD_NAMES: ResourceNames = {
  common: (name) => name === 'cpu' || name === 'memory',
  errors: (name) => {
    const errors = standardNameErrors(name);
    if (errors.length > 0) return errors.map((message) => `Invalid value: ${goJson(name)}: ${message}`);
    return isSupported(name) ? [] : [`Unsupported value: ${goQuote(name)}: supported values: "cpu", "hugepages-", "memory"`];
  },
  hint: 'a pod\'s own resources are cpu, memory and hugepages-<size>; other resources are requested by its containers',
};

/** A list of requirements as held quantities (rounded up to milli); what is no quantity is left out. */
function quantities(list: unknown): Quantities {
  const out: Quantities = new Map();
  if (isObject(list)) for (const name in list) {
    const q = held(list[name]);
    if (q) out.set(name, q);
  }
  return out;
}

function addTo(into: Quantities, list: Quantities): void {
  for (const [name, q] of list) {
    const now = into.get(name);
    into.set(name, now ? addQuantities(now, q) : q);
  }
}

function maxInto(into: Quantities, list: Quantities): void {
  for (const [name, q] of list) {
    const now = into.get(name);
    if (!now || compareQuantities(q, now) > 0) into.set(name, q);
  }
}

/**
 * aggregateContainerResourcesByFn: the regular containers and the sidecars (restartPolicy Always)
 * summed, at least each other init container with the sidecars started before it.
 */
function aggregate(spec: Record<string, unknown>, of: (container: Record<string, unknown>) => Quantities): Quantities {
  const result: Quantities = new Map();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) if (isObject(c)) addTo(result, of(c));
  const sidecars: Quantities = new Map();
  const peak: Quantities = new Map();
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    if (!isObject(c)) continue;
    const own = of(c);
    if (c.restartPolicy === 'Always') {
      addTo(result, own);
      addTo(sidecars, own);
      maxInto(peak, sidecars);
    } else {
      const running: Quantities = new Map(own);
      addTo(running, sidecars);
      maxInto(peak, running);
    }
  }
  maxInto(result, peak);
  return result;
}

const resourcesOf = (c: Record<string, unknown>): Record<string, unknown> => (isObject(c.resources) ? c.resources : {});
/** A container's requests, a Pod's with the limits it leaves them out for (SetDefaults_Pod). */
function requestsOf(pod: boolean): (c: Record<string, unknown>) => Quantities {
  return (c) => {
    const r = resourcesOf(c);
    const requests = quantities(r.requests);
    if (pod) for (const [name, q] of quantities(r.limits)) if (!requests.has(name)) requests.set(name, q);
    return requests;
  };
}
const limitsOf = (c: Record<string, unknown>): Quantities => quantities(resourcesOf(c).limits);

export function podResourceRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  const resources = spec.resources;
  if (!isObject(resources)) return NONE;
  if (isObject(spec.os) && spec.os.name === 'windows') {
    return [{ path: ['resources'], body: 'Forbidden: may not be set for a windows pod', hint: 'a Windows pod\'s resources are its containers\': remove spec.resources' }];
  }
  // A per-pod PID limit (Kubernetes 1.37, alpha: PerPodPIDLimit) is dropped by an API server with its default gates.
  if ((isObject(resources.limits) && Object.hasOwn(resources.limits, PIDS)) || (isObject(resources.requests) && Object.hasOwn(resources.requests, PIDS))) {
    return podResourceRefusals({ ...spec, resources: { ...resources, limits: withoutPids(resources.limits), requests: withoutPids(resources.requests) } }, of);
  }
  const errors: SpecRefusal[] = [];
  if (resources.claims != null) {
    errors.push({ path: ['resources', 'claims'], body: 'Forbidden: claims may not be set for Resources at pod-level', hint: 'a pod\'s claims are listed in spec.resourceClaims and used by its containers (resources.claims): remove spec.resources.claims' });
  }
  const pod = of === 'pod';
  const aggregateRequests = aggregate(spec, requestsOf(pod));
  const aggregateLimits = aggregate(spec, limitsOf);
  // What the quantities are checked on: the Pod's as defaulting leaves them, as written for a template.
  let checked = resources;
  const limits = quantities(resources.limits);
  const requests = quantities(resources.requests);
  if (pod) {
    const written = (list: unknown): Record<string, unknown> => (isObject(list) ? { ...list } : {});
    const podLimits = written(resources.limits);
    const podRequests = written(resources.requests);
    // defaultHugePagePodLimits: the containers' hugepages, where the pod neither limits nor requests that size.
    if ((isObject(resources.limits) && Object.keys(resources.limits).length > 0) || (isObject(resources.requests) && Object.keys(resources.requests).length > 0)) {
      for (const [name, q] of aggregateLimits) {
        if (!name.startsWith('hugepages-') || Object.hasOwn(podRequests, name) || Object.hasOwn(podLimits, name)) continue;
        podLimits[name] = canonicalQuantity(q);
        limits.set(name, q);
      }
    }
    // defaultPodRequests: with pod limits, the containers' aggregate for what may be overcommitted, else the limit.
    if (Object.keys(podLimits).length > 0) {
      for (const [name, q] of aggregateRequests) {
        if (Object.hasOwn(podRequests, name) || !isSupported(name) || !overcommitAllowed(name)) continue;
        podRequests[name] = canonicalQuantity(q);
        requests.set(name, q);
      }
      for (const name in podLimits) {
        if (Object.hasOwn(podRequests, name) || !isSupported(name)) continue;
        podRequests[name] = podLimits[name];
        const q = limits.get(name);
        if (q) requests.set(name, q);
      }
    }
    checked = { ...resources, limits: podLimits, requests: podRequests };
  }
  requirementErrors({}, checked, spec, POD_NAMES, false);
  errors.push(...takeErrors());

  // validatePodResourceConsistency.
  for (const [name, total] of aggregateRequests) {
    const own = requests.get(name);
    if (own && compareQuantities(total, own) > 0) {
      errors.push({
        path: ['resources', 'requests', name], shownText: `spec.resources.requests[${name}]`,
        body: `Invalid value: ${goQuote(canonicalQuantity(own))}: must be greater than or equal to aggregate container requests of ${canonicalQuantity(total)}`,
        hint: `the pod's ${name} request holds all its containers' (${canonicalQuantity(total)}): raise it, or lower theirs`,
      });
    }
  }
  for (const [name, total] of aggregateLimits) {
    const own = limits.get(name);
    if (name.startsWith('hugepages-') && own && compareQuantities(total, own) > 0) {
      errors.push({
        path: ['resources', 'limits', name], shownText: `spec.resources.limits[${name}]`,
        body: `Invalid value: ${goQuote(canonicalQuantity(own))}: must be greater than or equal to aggregate container limits of ${canonicalQuantity(total)}`,
        hint: `the pod's ${name} limit holds all its containers' (${canonicalQuantity(total)}): raise it, or lower theirs`,
      });
    }
  }
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    if (!isObject(c)) continue;
    for (const [name, q] of limitsOf(c)) {
      const own = limits.get(name);
      if (own && compareQuantities(q, own) > 0) {
        // Upstream's path: the container's index, then the resource as a key, then "limits".
        errors.push({
          path: ['containers', i, 'resources', 'limits', name], shownText: `spec.resources.containers[${i}][${name}].limits`,
          body: `Invalid value: ${goQuote(canonicalQuantity(q))}: must be less than or equal to pod limits of ${canonicalQuantity(own)}`,
          hint: `a container may use at most what the pod may (${name}: ${canonicalQuantity(own)}): lower its limit, or raise the pod's`,
        });
      }
    }
  }
  return errors.length > 0 ? errors : NONE;
}
