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

type CompiledCheck = { each?: string[]; rules: Rule[]; match: Matcher };

// Shared rule lists expanded once, under their bases; compiled on first use.
let compiled: CompiledCheck[] | undefined;
function checks(): CompiledCheck[] {
  return (compiled ??= TABLE.checks.map((c) => {
    const rules = c.rules.flatMap((r) => ('use' in r ? TABLE.shared[r.use]!.map((s) => under(r.base, s)) : [r]));
    return { ...c, rules, match: compileCheck(rules) };
  }));
}

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

type Predicate = (subject: unknown, spec: Record<string, unknown>) => boolean;
/** The indexes of a check's rules whose tests hold for a subject, or null (almost always). */
type Matcher = (subject: unknown, spec: Record<string, unknown>) => number[] | null;

const read = (from: string, path: readonly string[]): string => from + path.map((k) => `?.[${JSON.stringify(k)}]`).join('');
const lit = (v: Json): string => JSON.stringify(v);

/** A test as an expression over `s` (the subject) and `spec`. */
function testExpr(t: Test): string {
  let v = read(t.from === 'spec' ? 'spec' : 's', t.path);
  if (t.inherit) v = `(${v} ?? ${read('spec', t.inherit)})`;
  const conds: string[] = [];
  if (t.set !== undefined) conds.push(t.set ? `v != null` : `v == null`);
  if (Object.hasOwn(t, 'is')) conds.push(`v === ${lit(t.is!)}`);
  if (Object.hasOwn(t, 'isNot')) conds.push(`v !== ${lit(t.isNot!)}`);
  if (t.empty) conds.push(`(v == null || v === "")`);
  if (t.in) conds.push(`(${t.in.map((x) => `v === ${lit(x)}`).join(' || ') || 'false'})`);
  if (t.notIn) conds.push(`!(${t.notIn.map((x) => `(v ?? "") === ${lit(x)}`).join(' || ') || 'false'})`);
  if (Object.hasOwn(t, 'includes')) conds.push(`(Array.isArray(v) && v.includes(${lit(t.includes!)}))`);
  if (t.padded) conds.push(`(typeof v === "string" && PADDED.test(v))`);
  if (t.outside) conds.push(`(typeof v === "number" && (v < ${t.outside[0]} || v > ${t.outside[1]}))`);
  return `(v = ${v}, ${conds.join(' && ') || 'true'})`;
}

/**
 * A check's rules as one generated function: every pod and template runs all of them, and almost
 * none holds, so reading the table for each would cost more than the checks themselves. Field
 * types are checked before (an object with a field of the wrong type is refused first).
 */
function compileCheck(rules: readonly Rule[]): Matcher {
  const groups: Predicate[] = [];
  const terms = rules.map((rule, i) => {
    const conds = (rule.when ?? []).map(testExpr);
    // "Some container passes all of this group's tests", over every container of the spec.
    for (const group of rule.containers ?? []) {
      const test = new Function('PADDED', `return function (s, spec) { let v; return ${group.map(testExpr).join(' && ') || 'true'}; };`)(GO_SPACE_AT_ENDS) as Predicate;
      groups.push((_s, spec) => {
        for (const list of CONTAINER_LISTS) {
          const items = spec[list];
          if (Array.isArray(items)) for (const c of items) if (test(c, spec)) return true;
        }
        return false;
      });
      conds.push(`G[${groups.length - 1}](s, spec)`);
    }
    return `if (${conds.join(' && ') || 'true'}) (hits ??= []).push(${i});`;
  });
  return new Function('PADDED', 'G', `return function (s, spec) { let v, hits = null; ${terms.join(' ')} return hits; };`)(GO_SPACE_AT_ENDS, groups) as Matcher;
}

/** A value as field.Error prints it (%v for numbers and bools, %q for strings). */
function goValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}

/**
 * The errors validation gives a decoded pod spec for fields it refuses together, in upstream's
 * order; the same error twice is given once, as the API server's aggregate does.
 */
export function podSpecRefusals(spec: Record<string, unknown>): SpecRefusal[] {
  const errors: SpecRefusal[] = [];
  let seen: Set<string> | undefined;
  const report = (check: CompiledCheck, hits: number[], subject: unknown, base: (string | number)[]): void => {
    seen ??= new Set();
    for (const i of hits) {
      const rule = check.rules[i]!;
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
  };
  // No lists built per spec: almost every spec passes every check.
  for (const check of checks()) {
    if (!check.each) {
      const hits = check.match(spec, spec);
      if (hits !== null) report(check, hits, spec, []);
      continue;
    }
    for (const list of check.each) {
      const items = spec[list];
      if (!Array.isArray(items)) continue;
      for (let i = 0; i < items.length; i++) {
        const hits = check.match(items[i], spec);
        if (hits !== null) report(check, hits, items[i], [list, i]);
      }
    }
  }
  return errors;
}
