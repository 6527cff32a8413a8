/**
 * Builds, for every policy minor version, the ordered check list of each level, the way
 * upstream's registry does: restricted = the baseline checks active at that version, minus
 * those an active restricted check overrides, plus the restricted checks; baseline ids sorted
 * byte-wise, then restricted ids sorted byte-wise.
 */
import type { CompiledCheck } from './compile.js';
import type { RuleTable } from './load.js';
import { compareBytewise } from './text.js';

export interface LevelTables {
  baseline: CompiledCheck[][];
  restricted: CompiledCheck[][];
}

/** The revision of a check in force at `minor`, if any. */
function activeRevision(revisions: CompiledCheck[], minor: number): CompiledCheck | undefined {
  let found: CompiledCheck | undefined;
  for (const r of revisions) if (r.since <= minor) found = r;
  return found;
}

export function buildLevelTables(table: RuleTable): LevelTables {
  const baseline: CompiledCheck[][] = [];
  const restricted: CompiledCheck[][] = [];
  const ids = [...table.compiled.keys()].sort(compareBytewise);
  for (let minor = 0; minor <= table.newestMinor; minor++) {
    const active = ids.map((id) => activeRevision(table.compiled.get(id)!, minor)).filter((c): c is CompiledCheck => c !== undefined);
    const base = active.filter((c) => c.level === 'baseline');
    const strict = active.filter((c) => c.level === 'restricted');
    const overridden = new Set(strict.flatMap((c) => c.overrides));
    // Frozen: resolvePolicy hands these lists out, and the verdict bits index into them. A list
    // equal to the version before's is that one, so that the two share their generated function.
    baseline.push(sameAsLast(baseline, base));
    restricted.push(sameAsLast(restricted, [...base.filter((c) => !overridden.has(c.id)), ...strict]));
  }
  return { baseline, restricted };
}

function sameAsLast(lists: CompiledCheck[][], checks: CompiledCheck[]): CompiledCheck[] {
  const last = lists[lists.length - 1];
  if (last && last.length === checks.length && last.every((c, i) => c === checks[i])) return last;
  return Object.freeze(checks) as CompiledCheck[];
}
