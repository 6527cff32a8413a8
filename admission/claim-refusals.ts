/**
 * What the API server's validation refuses in a claim template, wherever one is (a StatefulSet's
 * volumeClaimTemplates, a pod's ephemeral volume): the table in claim-spec-refusals.json, and here
 * its selector and its storage request, which need code.
 */
import { labelSelectorRefusals } from './affinity.js';
import { goQuote } from './gostrings.js';
import { canonicalQuantity, exactQuantity, roundUp } from './quantity-exact.js';
import { addRefusals, at, isKeyElement, printedPath, refusalTable, type SpecRefusal } from './refusal-table.js';

const SPEC_ONLY = refusalTable('claim-spec-refusals.json', ['claimTemplate']);
// An ephemeral volume's template (ValidatePersistentVolumeClaimTemplate) has its metadata validated too.
const WITH_METADATA = refusalTable('claim-spec-refusals.json', ['claimTemplateMetadata', 'claimTemplate']);

/** After the spec's table: the selector, then a storage request of 0 or less (after the milli round-up defaulting gives it). */
function checkedInCode(phase: number, template: Record<string, unknown>): void {
  if (phase !== lastPhase) return;
  addRefusals(labelSelectorRefusals(at(template, ['spec', 'selector']), ['spec', 'selector']));
  const q = exactQuantity(at(template, ['spec', 'resources', 'requests', 'storage']));
  if (!q) return;
  const rounded = roundUp(q, -3);
  if (rounded.mantissa > 0n) return;
  addRefusals([{
    path: ['spec', 'resources', 'requests', 'storage'],
    shown: ['spec', 'resources', '[storage]'],
    body: `Invalid value: ${goQuote(canonicalQuantity(rounded))}: must be greater than zero`,
    hint: 'request the size the claim needs, such as 1Gi',
  }]);
}

// The phase after which the code runs: the last of the table run.
let lastPhase = 0;

/**
 * The errors of a claim template at `base` (from the spec its object validates: a StatefulSet's,
 * a pod's), with their paths and printed paths from there; `metadata`: its metadata is validated
 * too (an ephemeral volume's).
 */
export function claimTemplateRefusals(template: unknown, base: readonly (string | number)[], metadata = false): SpecRefusal[] {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) return [];
  lastPhase = metadata ? 1 : 0;
  return (metadata ? WITH_METADATA : SPEC_ONLY).refusals(template as Record<string, unknown>, undefined, 'template', checkedInCode).map((e) => {
    const shown = e.shown ? [...base, ...e.shown] : undefined;
    const moved: SpecRefusal = { ...e, path: [...base, ...e.path] };
    if (shown) moved.shown = shown;
    // A path printed as a text (a Key() element such as "[storage]", a selector's matchLabels) is
    // printed from the template: moved under the base too.
    if (shown?.some(isKeyElement)) moved.shownText = printedPath(['spec', ...shown]);
    else if (e.shownText !== undefined) moved.shownText = `${printedPath(['spec', ...base])}.${e.shownText.slice('spec.'.length)}`;
    return moved;
  });
}
