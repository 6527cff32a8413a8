/**
 * A second, independent reading of the rule tables, used only in tests: paths are resolved by
 * jsonpath-plus and conditions are run by json-rules-engine, straight from the YAML's condition
 * trees. It shares only the operator functions with the engine.
 */
import { Engine, type TopLevelCondition } from 'json-rules-engine';
import { JSONPath } from 'jsonpath-plus';
import type { CompiledScope } from '../../engine/compile.js';
import type { Condition, FindingDef, LeafCondition, ResolvedVersion, RuleDef } from '../../engine/model.js';
import { OPERATORS } from '../../engine/operators.js';
import { goQuote, valueText } from '../../engine/text.js';

export interface ReferenceOffender {
  scope: number;
  name: string;
  values: string[];
}

const OWN_OPERATORS = Object.keys(OPERATORS);

function resolveSet(value: unknown, sets: Record<string, unknown[]>): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'set' in value) return sets[(value as { set: string }).set];
  return value;
}

/** Our conditions → json-rules-engine's, with `{name}` substituted and `default` made explicit. */
function toJre(cond: Condition, sets: Record<string, unknown[]>, name: string): TopLevelCondition | Record<string, unknown> {
  if ('all' in cond) return { all: cond.all.map((c) => toJre(c, sets, name)) };
  if ('any' in cond) return { any: cond.any.map((c) => toJre(c, sets, name)) };
  if ('not' in cond) return { not: toJre(cond.not, sets, name) };
  const leaf = cond as LeafCondition;
  const value = resolveSet(leaf.value, sets);
  const path = leaf.path && leaf.path !== '$' ? leaf.path.replace(/\{name\}/g, name) : undefined;
  const base: Record<string, unknown> = { fact: leaf.fact ?? 'element', operator: leaf.operator, value: wrap(value) };
  if (path) base.path = path;
  if (leaf.default === undefined) return base;
  const absent = { ...base, operator: 'present', value: wrap(false) };
  const present = { ...base, operator: 'present', value: wrap(true) };
  // An absent field reads as the default: the condition then holds exactly when it holds for the default.
  return OPERATORS[leaf.operator]!.compile(value)(leaf.default) ? { any: [absent, base] } : { all: [present, base] };
}

// json-rules-engine treats an object value with a `fact` key as a fact reference; wrap values.
function wrap(value: unknown): unknown {
  return { literal: value };
}

function newEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true, pathResolver: (object: unknown, path: string) => JSONPath({ path, json: object as object, wrap: false }) });
  for (const name of OWN_OPERATORS) {
    const spec = OPERATORS[name]!;
    engine.addOperator(name, (fact: unknown, wrapped: unknown) => spec.compile((wrapped as { literal: unknown }).literal)(fact === null ? undefined : fact));
  }
  return engine;
}

async function holds(cond: Condition, sets: Record<string, unknown[]>, facts: Record<string, unknown>, name: string): Promise<boolean> {
  const engine = newEngine();
  engine.addRule({ conditions: { all: [toJre(cond, sets, name)] } as TopLevelCondition, event: { type: 'hit' } });
  const { events } = await engine.run(facts);
  return events.length > 0;
}

interface Subject {
  value: unknown;
  key: string | number | undefined;
}

/** All values a (wildcard) path reaches, with their keys, in document order; nulls skipped. */
function query(json: unknown, path: string): Subject[] {
  if (json === null || typeof json !== 'object') return [];
  const hits = JSONPath({ path, json: json as object, resultType: 'all', wrap: true }) as { value: unknown; parentProperty: string | number }[];
  return hits.filter((h) => h.value !== null && h.value !== undefined).map((h) => ({ value: h.value, key: typeof h.parentProperty === 'string' && /^[0-9]+$/.test(h.parentProperty) ? Number(h.parentProperty) : h.parentProperty }));
}

function readPath(json: unknown, path: string): unknown {
  if (path === '$') return json;
  if (json === null || typeof json !== 'object') return undefined;
  const v = JSONPath({ path, json: json as object, wrap: false });
  return v === null ? undefined : v;
}

function subjectName(scope: CompiledScope, s: Subject): string {
  const src = scope.def.name;
  if (src === undefined) return '';
  if (src === 'key') return s.key === undefined ? '' : String(s.key);
  const n = readPath(s.value, src);
  return n === undefined ? '' : valueText(n);
}

function record(def: FindingDef, sets: Record<string, unknown[]>, el: Subject, pod: unknown, name: string): string[] {
  const rec = def.record;
  if (!rec) return [];
  const path = rec.path.replace(/\{name\}/g, name);
  let v = readPath(rec.fact === 'pod' ? pod : el.value, path);
  if (rec.firstKeyOf) {
    const keys = resolveSet(rec.firstKeyOf, sets) as string[];
    return [keys.find((k) => v && typeof v === 'object' && (v as Record<string, unknown>)[k] != null) ?? rec.otherwise ?? ''];
  }
  if (v === undefined) v = rec.default;
  const text = v === undefined ? '' : valueText(v);
  if (rec.format !== 'keyEqualsQuotedValue') return [text];
  const key = path === '$' ? String(el.key) : (JSONPath.toPathArray(path) as string[]).at(-1)!;
  return [`${key}=${goQuote(text)}`];
}

export async function referenceOffenders(def: FindingDef, version: ResolvedVersion, scopes: Record<string, CompiledScope>, pod: unknown): Promise<ReferenceOffender[]> {
  const out: ReferenceOffender[] = [];
  const refs = Array.isArray(def.in) ? def.in : [def.in];
  for (const [si, ref] of refs.entries()) {
    const scope = scopes[ref.slice(1)]!;
    for (const path of scope.def.paths) {
      for (const el of query(pod, path)) {
        const name = subjectName(scope, el);
        const facts = { element: el.value, pod, key: el.key };
        if (def.values) {
          const values: string[] = [];
          for (const vp of def.values) {
            let found = query(el.value, vp);
            if (def.valueDefault !== undefined) {
              // Items that lack the final field read as the default.
              const parts = JSONPath.toPathArray(vp) as string[];
              const parentPath = JSONPath.toPathString(parts.slice(0, -1));
              const last = parts.at(-1)!;
              found = query(el.value, parentPath)
                .filter((p) => typeof p.value === 'object' && !Array.isArray(p.value))
                .map((p) => ({ value: (p.value as Record<string, unknown>)[last] ?? def.valueDefault, key: last }));
            }
            for (const v of found) if (await holds(def.when, version.sets, { ...facts, value: v.value }, name)) values.push(valueText(v.value));
          }
          if (values.length) out.push({ scope: si, name, values });
        } else if (await holds(def.when, version.sets, facts, name)) {
          out.push({ scope: si, name, values: record(def, version.sets, el, pod, name) });
        }
      }
    }
  }
  return out;
}

/** Does the pod fail this version of the rule, by the reference reading? */
export async function referenceFails(_rule: RuleDef, version: ResolvedVersion, scopes: Record<string, CompiledScope>, pod: unknown): Promise<boolean> {
  if (version.exemptWhen && (await holds(version.exemptWhen, version.sets, { pod, element: pod }, ''))) return false;
  for (const def of Object.values(version.findings)) {
    if (def.messageOnly) continue;
    if ((await referenceOffenders(def, version, scopes, pod)).length) return true;
  }
  return false;
}
