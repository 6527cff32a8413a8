/**
 * checkHostPortConflicts: a host port (with its protocol and host IP) taken twice among the regular
 * containers, or twice in one init container, which upstream checks alone (and prints as the first,
 * `spec.initContainers[0]`, whatever its index). In a Pod with hostNetwork an unset host port is its
 * container port (SetDefaults_Pod; not in a template).
 */
import { goQuote } from './gostrings.js';
import type { SpecRefusal } from './pod-spec-refusals.js';

const NONE: readonly SpecRefusal[] = Object.freeze([]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The host ports taken twice among containers[from..to) of one list, added to `out`. */
function conflicts(out: SpecRefusal[] | undefined, containers: unknown[], list: string, from: number, to: number, shownIndex: number, defaulted: boolean): SpecRefusal[] | undefined {
  let taken: Set<string> | undefined;
  for (let i = from; i < to; i++) {
    const ports = isObject(containers[i]) ? (containers[i] as Record<string, unknown>).ports : undefined;
    if (!Array.isArray(ports)) continue;
    for (let j = 0; j < ports.length; j++) {
      const port = ports[j];
      if (!isObject(port)) continue;
      let hostPort = typeof port.hostPort === 'number' ? port.hostPort : 0;
      if (hostPort === 0 && defaulted && typeof port.containerPort === 'number') hostPort = port.containerPort;
      if (hostPort === 0) continue;
      const key = `${typeof port.protocol === 'string' && port.protocol !== '' ? port.protocol : 'TCP'}/${typeof port.hostIP === 'string' ? port.hostIP : ''}/${hostPort}`;
      if (!taken?.has(key)) {
        (taken ??= new Set()).add(key);
        continue;
      }
      (out ??= []).push({
        // Where the port is written: a defaulted host port at its container port.
        path: [list, i, 'ports', j, typeof port.hostPort === 'number' && port.hostPort !== 0 ? 'hostPort' : 'containerPort'],
        shownText: `spec.${list}[${shownIndex < 0 ? i : shownIndex}].ports[${j}].hostPort`,
        body: `Duplicate value: ${goQuote(key)}`,
        hint: 'a host port (with its protocol and host IP) is taken once in a pod: change it, or leave it out (a Service reaches the container without one)',
      });
    }
  }
  return out;
}

export function hostPortRefusals(spec: Record<string, unknown>, of: 'pod' | 'template'): readonly SpecRefusal[] {
  let out: SpecRefusal[] | undefined;
  const defaulted = of === 'pod' && spec.hostNetwork === true;
  const { containers, initContainers } = spec;
  if (Array.isArray(containers)) out = conflicts(out, containers, 'containers', 0, containers.length, -1, defaulted);
  if (Array.isArray(initContainers)) for (let i = 0; i < initContainers.length; i++) out = conflicts(out, initContainers, 'initContainers', i, i + 1, 0, defaulted);
  return out ?? NONE;
}
