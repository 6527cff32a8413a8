/**
 * What the API server's validation refuses in a pod spec's security fields, whatever its OS
 * (allowPrivilegeEscalation: false with privileged: true, hostUsers: false with hostNetwork,
 * procMount: Unmasked without hostUsers: false, a HostProcess pod without hostNetwork, malformed
 * sysctls, seccomp and AppArmor annotations that disagree with the fields...), from the table in
 * pod-spec-refusals.json. `podsec check` reports these instead of judging the object; admission
 * never sees such an object, so the webhook needs none of this.
 */
import { formatFieldPath } from '../engine/paths.js';
import { podOsErrors } from './pod-os.js';
import { addRefusals, printedPath, refusalTable, type SpecRefusal } from './refusal-table.js';
import { templateMetaRefusals } from './object-meta.js';
import { downwardApiRefusals, firstVolumeSource } from './downward-api.js';
import { volumeSourceRefusals } from './volume-sources.js';
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
 * A projected volume's files come from all its sources: two items of one path conflict (the
 * later is refused, printed at the volume with its source's name, or a downward API file's path).
 * Only a volume whose first source is `projected` is validated.
 */
function projectedPathConflicts(volumes: unknown): void {
  if (!Array.isArray(volumes)) return;
  for (let v = 0; v < volumes.length; v++) {
    const volume = volumes[v];
    if (!isObject(volume) || !isObject(volume.projected) || !Array.isArray(volume.projected.sources)) continue;
    if (firstVolumeSource(volume) !== 'projected') continue;
    const paths = new Set<string>();
    volume.projected.sources.forEach((source: unknown, j: number) => {
      if (!isObject(source)) return;
      for (const kind of ['secret', 'configMap', 'downwardAPI'] as const) {
        const from = source[kind];
        if (!isObject(from) || !Array.isArray(from.items)) continue;
        from.items.forEach((item: unknown, k: number) => {
          const path = isObject(item) && typeof item.path === 'string' ? item.path : '';
          if (path === '') return;
          if (paths.has(path)) {
            const shown = kind === 'downwardAPI' ? path : typeof from.name === 'string' ? from.name : '';
            addRefusals([{ path: ['volumes', v, 'projected', 'sources', j, kind, 'items', k, 'path'], shown: ['volumes', v, 'projected'], body: `Invalid value: ${goQuote(shown)}: conflicting duplicate paths`, hint: 'each file of a projected volume has its own path: change one of the two paths' }]);
          }
          paths.add(path);
        });
      }
    });
  }
}

/** An ephemeral volume's claim template, validated as a claim (its metadata's labels, annotations and fields too) where it is the volume's only source. */
function ephemeralClaimRefusals(volumes: unknown): void {
  if (!Array.isArray(volumes)) return;
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i] as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null || typeof v.ephemeral !== 'object' || v.ephemeral === null) continue;
    if (Object.keys(v).some((key) => key !== 'name' && key !== 'ephemeral')) continue;
    const template = (v.ephemeral as Record<string, unknown>).volumeClaimTemplate;
    const base = ['volumes', i, 'ephemeral', 'volumeClaimTemplate'];
    if (typeof template === 'object' && template !== null) {
      const meta = templateMetaRefusals((template as Record<string, unknown>).metadata, [...base, 'metadata'], printedPath(['spec', ...base, 'metadata']));
      addRefusals(meta.map((m) => ({ path: m.path, shownText: m.shown, body: m.body, hint: m.hint })));
    }
    addRefusals(claimTemplateRefusals(template, base, true));
  }
}

/** The checks written in code, run between the table's two phases. */
function checkedInCode(phase: number, spec: Record<string, unknown>, of: 'pod' | 'template'): void {
  if (phase !== 0) return;
  ephemeralClaimRefusals(spec.volumes);
  projectedPathConflicts(spec.volumes);
  addRefusals(downwardApiRefusals(spec));
  addRefusals(volumeSourceRefusals(spec));
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
 * pod-os.ts last), then on create the annotations against the fields. Nothing is allocated for
 * a spec that passes.
 */
export function specRefusals(spec: Record<string, unknown>, annotations: unknown, of: 'pod' | 'template'): readonly SpecRefusal[] {
  return TABLE.refusals(spec, annotations, of, checkedInCode);
}

/** Where a refusal is in the object (from its template's root) and the path upstream prints. */
export function refusalField(e: SpecRefusal, prefix: readonly string[]): { field: (string | number)[]; shown: string } {
  const field = e.object ? [...prefix, ...e.path] : [...prefix, 'spec', ...e.path];
  if (e.shownText !== undefined) return { field, shown: prefix.length ? `${formatFieldPath(prefix)}.${e.shownText}` : e.shownText };
  return { field, shown: formatFieldPath(e.shown ? [...prefix, 'spec', ...e.shown] : field) };
}
