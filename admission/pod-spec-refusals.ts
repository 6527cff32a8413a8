/**
 * What the API server's validation refuses in a pod spec and the annotations beside it: its
 * security fields (allowPrivilegeEscalation: false with privileged: true, hostUsers: false with
 * hostNetwork, malformed sysctls, seccomp and AppArmor annotations that disagree with the
 * fields...), volumes, containers and the pod's own fields, from the table in
 * pod-spec-refusals.json and the code beside it (the modules it names, and here the checks that
 * read the table's findings). `podsec check` reports these instead of judging the object;
 * admission never sees such an object, so the webhook needs none of this.
 */
import { formatFieldPath } from '../engine/paths.js';
import { podOsErrors } from './pod-os.js';
import { addRefusals, printedPath, refusalsSoFar, refusalTable, type SpecRefusal } from './refusal-table.js';
import { dns1123LabelErrors } from './names.js';
import { templateMetaRefusals } from './object-meta.js';
import { downwardApiRefusals } from './downward-api.js';
import { firstVolumeSource, volumeSourceRefusals } from './volume-sources.js';
import { goQuote } from './gostrings.js';
import { resourceRefusals } from './container-resources.js';
import { podResourceRefusals } from './pod-resources.js';
import { hostPortRefusals } from './host-ports.js';
import { podSpecNameRefusals } from './pod-spec-names.js';
import { affinityRefusals } from './affinity.js';
import { claimTemplateRefusals } from './claim-refusals.js';

export type { SpecRefusal };

const TABLE = refusalTable('pod-spec-refusals.json', ['checks', 'afterSpec']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An ephemeral volume's claim template, validated as a claim (its metadata's labels, annotations
 * and fields too) where ephemeral is the source the volume is validated as (the first it sets).
 */
function ephemeralClaimRefusals(volumes: unknown): void {
  if (!Array.isArray(volumes)) return;
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i] as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null || typeof v.ephemeral !== 'object' || v.ephemeral === null) continue;
    if (firstVolumeSource(v) !== 'ephemeral') continue;
    const template = (v.ephemeral as Record<string, unknown>).volumeClaimTemplate;
    const base = ['volumes', i, 'ephemeral', 'volumeClaimTemplate'];
    if (typeof template === 'object' && template !== null) {
      const meta = templateMetaRefusals((template as Record<string, unknown>).metadata, [...base, 'metadata'], printedPath(['spec', ...base, 'metadata']));
      addRefusals(meta.map((m) => ({ path: m.path, shownText: m.shown, body: m.body, hint: m.hint })));
    }
    addRefusals(claimTemplateRefusals(template, base, true));
  }
}

// Volume names repeat from object to object (data, config, tmp): each is told a label once.
const labels = new Map<string, boolean>();
function isLabel(name: string): boolean {
  let known = labels.get(name);
  if (known === undefined) {
    if (labels.size > 4096) labels.clear();
    labels.set(name, (known = name !== '' && dns1123LabelErrors(name).length === 0));
  }
  return known;
}

const NO_VOLUMES: ReadonlySet<number> = new Set();

/** The indexes of the volumes these errors refuse (those validateVolumes gives, at a volume). */
export function refusedVolumes(errors: readonly SpecRefusal[]): ReadonlySet<number> {
  let refused: Set<number> | undefined;
  for (const e of errors) if (e.path[0] === 'volumes' && typeof e.path[1] === 'number' && !e.object) (refused ??= new Set()).add(e.path[1]);
  return refused ?? NO_VOLUMES;
}

/**
 * ValidateVolumes keeps only the volumes without errors (the first of a name): a mount or device
 * naming one that has errors is not found either, beside its volume's own errors.
 */
function mountsOfRefusedVolumes(spec: Record<string, unknown>): void {
  const volumes = spec.volumes;
  if (!Array.isArray(volumes) || volumes.length === 0) return;
  const errors = refusalsSoFar();
  let doubtful = false;
  for (let k = 0; k < errors.length && !doubtful; k++) doubtful = errors[k]!.path[0] === 'volumes';
  // The usual pod: no volume refused, every name a label given once.
  for (let i = 0; i < volumes.length && !doubtful; i++) {
    const v: unknown = volumes[i];
    const name = isObject(v) && typeof v.name === 'string' ? v.name : '';
    doubtful = !isLabel(name);
    for (let j = 0; j < i && !doubtful; j++) doubtful = isObject(volumes[j]) && (volumes[j] as Record<string, unknown>).name === name;
  }
  if (!doubtful) return;
  const refused = refusedVolumes(errors);
  const names = volumes.map((v: unknown) => (isObject(v) && typeof v.name === 'string' ? v.name : ''));
  // A name taken by an earlier volume kept is a duplicate; one of a refused volume is not.
  const kept = new Set<string>();
  names.forEach((name, i) => {
    if (name !== '' && dns1123LabelErrors(name).length === 0 && !kept.has(name) && !refused.has(i)) kept.add(name);
  });
  // Names no volume has are reported by the table already.
  const lost = names.filter((name) => !kept.has(name));
  if (lost.length === 0) return;
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i: number) => {
      if (!isObject(c)) return;
      for (const field of ['volumeMounts', 'volumeDevices'] as const) {
        const items = c[field];
        if (!Array.isArray(items)) continue;
        items.forEach((item: unknown, j: number) => {
          const name = isObject(item) && typeof item.name === 'string' ? item.name : '';
          if (!lost.includes(name)) return;
          addRefusals([{ path: [list, i, field, j, 'name'], body: `Not found: ${goQuote(name)}`, hint: 'the volume it names is refused (see its errors): the API server does not find it either' }]);
        });
      }
    });
  }
}

// The name of the Pod under way ("" for a template, or a Pod whose name is generated).
let podNameNow = '';

/** The checks written in code, run between the table's two phases. */
function checkedInCode(phase: number, spec: Record<string, unknown>, of: 'pod' | 'template'): void {
  if (phase !== 0) return;
  ephemeralClaimRefusals(spec.volumes);
  addRefusals(downwardApiRefusals(spec));
  addRefusals(volumeSourceRefusals(spec, podNameNow));
  mountsOfRefusedVolumes(spec);
  addRefusals(resourceRefusals(spec, of));
  addRefusals(podResourceRefusals(spec, of));
  addRefusals(hostPortRefusals(spec, of));
  addRefusals(affinityRefusals(spec));
  addRefusals(podSpecNameRefusals(spec, of));
  addRefusals(podOsErrors(spec));
}

/**
 * The errors validation gives a decoded pod spec (a Pod's, `of: 'pod'`, or a template's) and
 * the annotations beside it for its security fields, in upstream's order: the annotations'
 * values (ValidatePodSpecificAnnotations), the spec's fields (ValidatePodSpec, the OS fields of
 * pod-os.ts last), then on create the annotations against the fields. `podName`: a Pod's name,
 * which names the claims its ephemeral volumes make. Nothing is allocated for a spec that passes.
 */
export function specRefusals(spec: Record<string, unknown>, annotations: unknown, of: 'pod' | 'template', podName = ''): readonly SpecRefusal[] {
  podNameNow = of === 'pod' ? podName : '';
  return TABLE.refusals(spec, annotations, of, checkedInCode);
}

/** Where a refusal is in the object (from its template's root) and the path upstream prints. */
export function refusalField(e: SpecRefusal, prefix: readonly string[]): { field: (string | number)[]; shown: string } {
  const field = e.object ? [...prefix, ...e.path] : [...prefix, 'spec', ...e.path];
  if (e.shownText !== undefined) return { field, shown: prefix.length ? `${formatFieldPath(prefix)}.${e.shownText}` : e.shownText };
  return { field, shown: formatFieldPath(e.shown ? [...prefix, 'spec', ...e.shown] : field) };
}
