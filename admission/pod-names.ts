/**
 * ValidatePodSpec's rules for the names of a pod's containers and volumes, which PodSecurity's
 * messages quote: each a DNS label (validateContainerCommon, validateVolumes), a container's
 * unique among the regular and init containers, a volume's among the volumes. A container
 * without a name is reported apart, with one without an image.
 */
import { dns1123LabelErrors } from './names.js';
import { goQuote } from './gostrings.js';

export interface NameRefusal {
  /** From the pod spec. */
  path: (string | number)[];
  body: string;
  hint: string;
}

const NONE: readonly NameRefusal[] = Object.freeze([]);
const LABEL_HINT = "at most 63 lower case letters, digits and '-', starting and ending with a letter or digit";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nameOf(item: unknown): string {
  return isObject(item) && typeof item.name === 'string' ? item.name : '';
}

/** Whether `name` is among the first `count` names of `items`. */
function named(items: unknown, count: number, name: string): boolean {
  if (!Array.isArray(items)) return false;
  for (let i = 0; i < count && i < items.length; i++) if (nameOf(items[i]) === name) return true;
  return false;
}

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;

function add(out: NameRefusal[] | undefined, path: (string | number)[], body: string, hint: string): NameRefusal[] {
  (out ??= []).push({ path, body, hint });
  return out;
}

/** Whether an earlier volume of this name is one validation keeps: the first one its other rules do not refuse. */
function keptBefore(volumes: unknown[], count: number, name: string, refused: ReadonlySet<number>): boolean {
  for (let i = 0; i < count; i++) if (nameOf(volumes[i]) === name && !refused.has(i)) return true;
  return false;
}

const NO_INDEXES: ReadonlySet<number> = new Set();

/**
 * The errors, in upstream's order (regular containers, init containers, then volumes); one shared
 * empty list when there are none. `refusedVolumes`: the indexes of volumes other rules refuse
 * (their sources), whose names upstream does not remember.
 */
export function podNameRefusals(spec: Record<string, unknown>, refusedVolumes: ReadonlySet<number> = NO_INDEXES): readonly NameRefusal[] {
  let out: NameRefusal[] | undefined;
  const { containers, initContainers, volumes } = spec;
  const regular = Array.isArray(containers) ? containers.length : 0;
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const name = nameOf(items[i]);
      if (name === '') continue;
      for (const msg of dns1123LabelErrors(name)) out = add(out, [list, i, 'name'], `Invalid value: ${goQuote(name)}: ${msg}`, `name the container with ${LABEL_HINT}`);
      // An init container's name may not be any regular container's, nor an earlier init container's.
      const taken = list === 'containers' ? named(containers, i, name) : named(containers, regular, name) || named(initContainers, i, name);
      if (taken) out = add(out, [list, i, 'name'], `Duplicate value: ${goQuote(name)}`, 'give each container, init or regular, a name of its own');
    }
  }
  if (Array.isArray(volumes)) {
    for (let i = 0; i < volumes.length; i++) {
      const name = nameOf(volumes[i]);
      if (name === '') {
        out = add(out, ['volumes', i, 'name'], 'Required value', 'give the volume a name, which its mounts refer to');
        continue;
      }
      const errors = dns1123LabelErrors(name);
      for (const msg of errors) out = add(out, ['volumes', i, 'name'], `Invalid value: ${goQuote(name)}: ${msg}`, `name the volume with ${LABEL_HINT}`);
      // Upstream remembers a volume's name only when it has no error: an invalid name is never
      // taken, nor the name of a volume refused for its source.
      if (errors.length === 0 && keptBefore(volumes, i, name, refusedVolumes)) out = add(out, ['volumes', i, 'name'], `Duplicate value: ${goQuote(name)}`, 'give each volume a name of its own');
    }
  }
  return out ?? NONE;
}
