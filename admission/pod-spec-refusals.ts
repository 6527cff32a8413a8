/**
 * Combinations of fields that the API server's validation refuses in a pod spec, whatever its OS
 * (allowPrivilegeEscalation: false with privileged: true, hostUsers: false with hostNetwork,
 * procMount: Unmasked without hostUsers: false, a HostProcess pod without hostNetwork...), from
 * the table in pod-spec-refusals.json. `podsec check` reports these instead of judging the object;
 * admission never sees such an object, so the webhook needs none of this.
 */
import { readFileSync } from 'node:fs';
import { goQuote } from './gostrings.js';
import { CONTAINER_LISTS } from './extract.js';
import type { PodOsError } from './pod-os.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Test {
  path: string[];
  from?: 'spec';
  inherit?: string[];
  is?: Json;
  isNot?: Json;
  set?: boolean;
  empty?: boolean;
  in?: Json[];
  notIn?: Json[];
  includes?: Json;
  padded?: boolean;
  outside?: [number, number];
}

interface Rule {
  when?: Test[];
  containers?: Test[][];
  at: string[];
  shown?: string[];
  body: string;
  hint: string;
}

interface Use {
  use: string;
  base: string[];
}

interface Check {
  each?: string[];
  rules: (Rule | Use)[];
}

export interface SpecRefusal extends PodOsError {
  /** The path upstream prints, from the pod spec, where it differs from `path`. */
  shown?: (string | number)[];
}

const TABLE = JSON.parse(readFileSync(new URL('./pod-spec-refusals.json', import.meta.url), 'utf8')) as {
  shared: Record<string, Rule[]>;
  checks: Check[];
};

const under = (base: string[], rule: Rule): Rule => ({
  ...rule,
  at: [...base, ...rule.at],
  ...(rule.shown ? { shown: [...base, ...rule.shown] } : {}),
  ...(rule.when ? { when: rule.when.map((t) => ({ ...t, path: [...base, ...t.path] })) } : {}),
});

// Shared rule lists expanded once, under their bases.
const CHECKS: { each?: string[]; rules: Rule[] }[] = TABLE.checks.map((c) => ({
  ...c,
  rules: c.rules.flatMap((r) => ('use' in r ? TABLE.shared[r.use]!.map((s) => under(r.base, s)) : [r])),
}));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(node: unknown, path: readonly string[]): unknown {
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

// Go's strings.TrimSpace: unicode.IsSpace counts U+0085 and not U+FEFF, unlike JavaScript's \s.
const GO_SPACE_AT_ENDS = /^(?:[^\S\uFEFF]|\u0085)|(?:[^\S\uFEFF]|\u0085)$/;

const unset = (v: unknown): boolean => v === undefined || v === null;

function passes(t: Test, subject: unknown, spec: Record<string, unknown>): boolean {
  let v = at(t.from === 'spec' ? spec : subject, t.path);
  if (unset(v) && t.inherit) v = at(spec, t.inherit);
  if (t.set !== undefined && unset(v) === t.set) return false;
  if (Object.hasOwn(t, 'is') && v !== t.is) return false;
  if (Object.hasOwn(t, 'isNot') && v === t.isNot) return false;
  if (t.empty && !(unset(v) || v === '')) return false;
  if (t.in && !t.in.includes(v as Json)) return false;
  if (t.notIn && t.notIn.includes((unset(v) ? '' : v) as Json)) return false;
  if (Object.hasOwn(t, 'includes') && !(Array.isArray(v) && v.includes(t.includes))) return false;
  if (t.padded && !(typeof v === 'string' && GO_SPACE_AT_ENDS.test(v))) return false;
  if (t.outside && !(typeof v === 'number' && (v < t.outside[0] || v > t.outside[1]))) return false;
  return true;
}

/** A value as field.Error prints it (%v for numbers and bools, %q for strings). */
function goValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}

/** Every container of the spec, with its path from the spec, in the lists' given order. */
function containersOf(spec: Record<string, unknown>, lists: readonly string[]): [unknown, (string | number)[]][] {
  const out: [unknown, (string | number)[]][] = [];
  for (const list of lists) {
    const items = spec[list];
    if (Array.isArray(items)) items.forEach((c, i) => out.push([c, [list, i]]));
  }
  return out;
}

/**
 * The errors validation gives a decoded pod spec for fields it refuses together, in upstream's
 * order; the same error twice is given once, as the API server's aggregate does.
 */
export function podSpecRefusals(spec: Record<string, unknown>): SpecRefusal[] {
  const errors: SpecRefusal[] = [];
  const seen = new Set<string>();
  const all = containersOf(spec, CONTAINER_LISTS);
  for (const check of CHECKS) {
    const subjects: [unknown, (string | number)[]][] = check.each ? containersOf(spec, check.each) : [[spec, []]];
    for (const [subject, base] of subjects) {
      for (const rule of check.rules) {
        if (rule.when && !rule.when.every((t) => passes(t, subject, spec))) continue;
        if (rule.containers && !rule.containers.every((group) => all.some(([c]) => group.every((t) => passes(t, c, spec))))) continue;
        const path = [...base, ...rule.at];
        const key = JSON.stringify([path, rule.body]);
        if (seen.has(key)) continue;
        seen.add(key);
        const where = rule.at.join('.');
        errors.push({
          path,
          ...(rule.shown ? { shown: [...base, ...rule.shown] } : {}),
          body: rule.body.replace('{value}', () => goValue(at(subject, rule.at))),
          hint: rule.hint.replaceAll('{at}', where),
        });
      }
    }
  }
  return errors;
}
