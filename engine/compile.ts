/**
 * Compiles rule definitions into plain synchronous functions. Everything that can be decided
 * from the YAML alone (paths, value sets, operators, templates) is resolved here, once.
 */
import type { FieldPath, RuleLevel } from './api.js';
import type { Condition, FindingDef, LeafCondition, Offender, RecordDef, ResolvedVersion, ScopeDef } from './model.js';
import { OPERATORS } from './operators.js';
import { compileGetter, extendPath, parsePath, PathSyntaxError, readKey, walk, type ParsedPath } from './paths.js';
import { buildFunction, buildRaw, conditionExpr, iterateCode, nameConstant, nameReader, newContext, type CodegenContext } from './codegen.js';
import { compileTemplateNode, type CompiledText, type FindingResults } from './template.js';
import { goQuote, valueText } from './text.js';

/** A problem found while compiling, located by JSON Pointer inside the rule file. */
export class CompileProblem extends Error {
  constructor(
    readonly pointer: string,
    message: string,
    readonly hint: string,
    /** For an unknown scope: its name (a scopes file that failed to load may define it). */
    readonly unknownScope?: string,
    /** For a message naming a finding that does not exist: its name. */
    readonly unknownFinding?: string,
  ) {
    super(message);
  }
}

/** Every problem of a check version that does not depend on another one, found in one pass. */
export class CompileProblems extends Error {
  constructor(readonly problems: CompileProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** (subject, pod, subject's key, value being checked, subject's name) → holds? */
export type Predicate = (el: unknown, pod: unknown, key: unknown, value: unknown, name: string) => boolean;

interface ConditionContext {
  sets: Record<string, unknown[]>;
  facts: ReadonlySet<string>;
}

/** parsePath, with a problem that points at `pointer`. */
export function parsePathAt(path: string, pointer: string): ParsedPath {
  try {
    return parsePath(path);
  } catch (e) {
    if (e instanceof PathSyntaxError) throw new CompileProblem(pointer, `invalid path "${path}": ${e.message}`, e.hint);
    throw e;
  }
}

function resolveValue(value: unknown, sets: Record<string, unknown[]>, pointer: string): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'set' in value) {
    const name = (value as { set: string }).set;
    const set = sets[name];
    if (!set) {
      const known = Object.keys(sets);
      throw new CompileProblem(pointer, `unknown value set "${name}"`, known.length ? `declare it under "sets", or use one of: ${known.join(', ')}` : 'declare it under "sets" in this version or an earlier one');
    }
    return set;
  }
  return value;
}

function valueMatchesSchema(value: unknown, schema: { type?: unknown; items?: { type?: unknown } }): boolean {
  const typeOk = (v: unknown, t: unknown): boolean => {
    const types = Array.isArray(t) ? t : [t];
    return types.some((ty) => (ty === 'array' ? Array.isArray(v) : typeof v === ty));
  };
  if (!typeOk(value, schema.type)) return false;
  if (Array.isArray(value) && schema.items) return value.every((v) => typeOk(v, schema.items!.type));
  return true;
}

function kindOf(value: unknown, items?: { type?: unknown }): string {
  if (Array.isArray(value)) {
    const odd = items && value.find((v) => !valueMatchesSchema(v, items));
    return odd === undefined ? 'a list' : `a list holding ${kindOf(odd)}`;
  }
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** An operator's value type in words, with an example to write. */
function describeValueType(schema: { type: unknown; items?: { type: unknown } }): { want: string; example: string } {
  if (schema.type === 'array') {
    return schema.items?.type === 'string'
      ? { want: 'a list of strings or { set: NAME }', example: '["a", "b*"]' }
      : { want: 'a list or { set: NAME }', example: '[a, b]' };
  }
  if (schema.type === 'boolean') return { want: 'true or false', example: 'true' };
  if (schema.type === 'string') return { want: 'a string', example: '"prefix/"' };
  return { want: 'one string, number or boolean', example: 'RuntimeDefault' };
}

export function compileCondition(cond: Condition, ctx: ConditionContext, pointer: string): Predicate {
  if ('all' in cond) {
    const parts = cond.all.map((c, i) => compileCondition(c, ctx, `${pointer}/all/${i}`));
    if (parts.length === 1) return parts[0]!;
    if (parts.length === 2) {
      const [a, b] = parts as [Predicate, Predicate];
      return (e, p, k, v, n) => a(e, p, k, v, n) && b(e, p, k, v, n);
    }
    return (e, p, k, v, n) => {
      for (const part of parts) if (!part(e, p, k, v, n)) return false;
      return true;
    };
  }
  if ('any' in cond) {
    const parts = cond.any.map((c, i) => compileCondition(c, ctx, `${pointer}/any/${i}`));
    if (parts.length === 1) return parts[0]!;
    if (parts.length === 2) {
      const [a, b] = parts as [Predicate, Predicate];
      return (e, p, k, v, n) => a(e, p, k, v, n) || b(e, p, k, v, n);
    }
    return (e, p, k, v, n) => {
      for (const part of parts) if (part(e, p, k, v, n)) return true;
      return false;
    };
  }
  if ('not' in cond) {
    const inner = compileCondition(cond.not, ctx, `${pointer}/not`);
    return (e, p, k, v, n) => !inner(e, p, k, v, n);
  }
  return compileLeaf(cond, ctx, pointer);
}

function compileLeaf(leaf: LeafCondition, ctx: ConditionContext, pointer: string): Predicate {
  const fact = leaf.fact ?? 'element';
  if (!ctx.facts.has(fact)) {
    const facts = [...ctx.facts];
    // The author wrote no fact: name the default they got, not one they never typed.
    if (leaf.fact === undefined) throw new CompileProblem(pointer, `this condition names no fact, so it reads "element" (the subject), which is not available here`, `add fact: ${facts[0]}${facts.length > 1 ? ` (or one of: ${facts.slice(1).join(', ')})` : ''}`);
    throw new CompileProblem(`${pointer}/fact`, `fact "${fact}" is not available here`, `use one of: ${facts.join(', ')}`);
  }
  const spec = OPERATORS[leaf.operator];
  if (!spec) throw new CompileProblem(`${pointer}/operator`, `unknown operator "${leaf.operator}"`, `use one of: ${Object.keys(OPERATORS).sort().join(', ')}`);
  const value = resolveValue(leaf.value, ctx.sets, `${pointer}/value`);
  if (!valueMatchesSchema(value, spec.valueSchema as { type?: unknown })) {
    const schema = spec.valueSchema as { type: unknown; items?: { type: unknown } };
    const { want, example } = spec.valueText ?? describeValueType(schema);
    throw new CompileProblem(`${pointer}/value`, `operator "${leaf.operator}" needs ${want} as its value (got ${kindOf(value, schema.items)})`, `write ${want}, for example value: ${example}`);
  }
  const wrong = spec.checkValue?.(value);
  if (wrong) throw new CompileProblem(`${pointer}/value`, `operator "${leaf.operator}": ${wrong.problem}`, wrong.hint);
  const test = spec.compile(value);
  const path = parsePathAt(leaf.path ?? '$', `${pointer}/path`);
  if (path.hasWildcard) throw new CompileProblem(`${pointer}/path`, `a condition path cannot contain wildcards ("${path.text}")`, 'walk lists with a finding\'s "in" or "values" instead');
  const get = compileGetter(path);
  const usesName = path.segments.some((s) => s.kind === 'template');
  const fallback = leaf.default;
  const read: (root: unknown, name: string) => unknown =
    fallback === undefined ? get : usesName ? (r, n) => get(r, n) ?? fallback : (r) => get(r, '') ?? fallback;
  switch (fact) {
    case 'element':
      return (e, _p, _k, _v, n) => test(read(e, n));
    case 'pod':
      return (_e, p, _k, _v, n) => test(read(p, n));
    case 'key':
      return (_e, _p, k, _v, n) => test(read(k, n));
    default:
      return (_e, _p, _k, v, n) => test(read(v, n));
  }
}

/** Iterates the values a wildcard path reaches, without building paths: the fast path. */
type Iterate = (root: unknown, visit: (value: unknown, key: unknown) => boolean) => boolean;

function compileIterate(path: ParsedPath): Iterate {
  const segs = path.segments;
  const w = segs.findIndex((s) => s.kind === 'wildcard');
  if (w < 0) {
    const get = compileGetter(path);
    const last = segs.at(-1);
    const lastKey = last && last.kind === 'key' ? last.key : last && last.kind === 'index' ? last.index : undefined;
    return (root, visit) => {
      const v = get(root, '');
      return v === undefined ? false : visit(v, lastKey);
    };
  }
  const prefix = compileGetter({ text: path.text, segments: segs.slice(0, w), hasWildcard: false });
  const rest = segs.slice(w + 1);
  const next = rest.length ? compileIterate({ text: path.text, segments: rest, hasWildcard: rest.some((s) => s.kind === 'wildcard') }) : undefined;
  return (root, visit) => {
    const c = prefix(root, '');
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        const item = c[i];
        if (item === null || item === undefined) continue;
        if (next ? next(item, visit) : visit(item, i)) return true;
      }
    } else if (typeof c === 'object' && c !== null) {
      for (const k of Object.keys(c)) {
        const item = (c as Record<string, unknown>)[k];
        if (item === null || item === undefined) continue;
        if (next ? next(item, visit) : visit(item, k)) return true;
      }
    }
    return false;
  };
}

export interface CompiledScope {
  def: ScopeDef;
  paths: ParsedPath[];
  iterate: Iterate;
  nameOf(el: unknown, key: unknown): string;
}

/** The pointer of the first leaf of a condition whose path holds `{name}`, if any. */
export function namePlaceholder(cond: Condition, pointer: string): string | undefined {
  if ('all' in cond) return cond.all.map((c, i) => namePlaceholder(c, `${pointer}/all/${i}`)).find(Boolean);
  if ('any' in cond) return cond.any.map((c, i) => namePlaceholder(c, `${pointer}/any/${i}`)).find(Boolean);
  if ('not' in cond) return namePlaceholder(cond.not, `${pointer}/not`);
  return cond.path?.includes('{name}') ? `${pointer}/path` : undefined;
}

function readsFact(cond: Condition, fact: string): boolean {
  if ('all' in cond) return cond.all.some((c) => readsFact(c, fact));
  if ('any' in cond) return cond.any.some((c) => readsFact(c, fact));
  if ('not' in cond) return readsFact(cond.not, fact);
  return cond.fact === fact;
}

export function compileScope(def: ScopeDef, pointer: string): CompiledScope {
  const paths = def.paths.map((p, i) => {
    const parsed = parsePathAt(p, `${pointer}/paths/${i}`);
    if (parsed.segments.some((s) => s.kind === 'template')) throw new CompileProblem(`${pointer}/paths/${i}`, 'a scope path cannot contain placeholders', 'remove the {…} part');
    if (def.paths.indexOf(p) !== i) throw new CompileProblem(`${pointer}/paths/${i}`, `"${p}" is listed twice, so its subjects would be visited twice`, 'list each path once');
    return parsed;
  });
  const iterators = paths.map(compileIterate);
  const iterate: Iterate =
    iterators.length === 1
      ? iterators[0]!
      : (root, visit) => {
          for (const it of iterators) if (it(root, visit)) return true;
          return false;
        };
  if (def.name === undefined && def.label.names) {
    throw new CompileProblem(`${pointer}/label/names`, 'messages would name its subjects, but the scope gives them no name (so each would be shown as "")', 'add name: (a path in the subject such as "$.name", or key), or write names: false');
  }
  if (def.name !== undefined && def.name !== 'key') {
    const namePath = parsePathAt(def.name, `${pointer}/name`);
    if (namePath.hasWildcard) throw new CompileProblem(`${pointer}/name`, `a name path cannot contain wildcards ("${namePath.text}")`, 'name one field of the subject, such as "$.name", or write key');
  }
  const nameOf = nameReader(def.name);
  return { def, paths, iterate, nameOf };
}

export interface CompiledFinding {
  name: string;
  /** Position among its check's findings. */
  index: number;
  decisive: boolean;
  scopes: CompiledScope[];
  sortSubjects: boolean;
  /** Does any subject break this finding? Stops at the first one. (generated code) */
  test(pod: unknown): boolean;
  /** Every subject that breaks it, with recorded values and field locations. (generated code) */
  collect(pod: unknown): Offender[];
  /** The same two, from the compiled closures: an independent path used in tests. */
  testInterpreted(pod: unknown): boolean;
  collectInterpreted(pod: unknown): Offender[];
  /** Statements for the generated verdict: `return true` at the first breaking subject. */
  generate(ctx: CodegenContext): string;
  /** What the fused policy code needs to generate this finding itself. */
  source: { def: FindingDef; valuePaths: ParsedPath[]; sets: Record<string, unknown[]>; usesName: boolean };
}

function firstLeafPath(cond: Condition): LeafCondition | undefined {
  if ('all' in cond) return cond.all.map(firstLeafPath).find(Boolean);
  if ('any' in cond) return cond.any.map(firstLeafPath).find(Boolean);
  if ('not' in cond) return firstLeafPath(cond.not);
  return cond.fact === 'element' || cond.fact === 'pod' || cond.fact === undefined ? cond : undefined;
}

type Recorder = (el: unknown, pod: unknown, key: unknown, name: string) => string;

function compileRecord(rec: RecordDef, sets: Record<string, unknown[]>, pointer: string): Recorder {
  const path = parsePathAt(rec.path, `${pointer}/path`);
  if (path.hasWildcard) throw new CompileProblem(`${pointer}/path`, 'a record path cannot contain wildcards', 'record one field per subject, or use "values"');
  const get = compileGetter(path);
  const fromPod = rec.fact === 'pod';
  const fallback = rec.default;
  const last = path.segments.at(-1);
  let firstKeyOf: string[] | undefined;
  if (rec.firstKeyOf !== undefined) {
    const keys = resolveValue(rec.firstKeyOf, sets, `${pointer}/firstKeyOf`);
    if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new CompileProblem(`${pointer}/firstKeyOf`, '"firstKeyOf" must be a list of key names', 'write a list of strings or { set: NAME }');
    firstKeyOf = keys as string[];
  }
  if (rec.otherwise !== undefined && firstKeyOf === undefined) throw new CompileProblem(`${pointer}/otherwise`, '"otherwise" needs "firstKeyOf"', 'remove it, or add "firstKeyOf" (for a value that is absent, use "default")');
  const otherwise = rec.otherwise ?? '';
  const keyOf = (key: unknown, name: string): string => {
    if (!last) return key === undefined ? '' : String(key);
    if (last.kind === 'key') return last.key;
    if (last.kind === 'index') return String(last.index);
    if (last.kind === 'template') return last.parts.map((p, i) => (i % 2 ? name : p)).join('');
    return '';
  };
  return (el, pod, key, name) => {
    let v = get(fromPod ? pod : el, name);
    if (firstKeyOf) {
      const found = firstKeyOf.find((k) => readKey(v, k) !== undefined);
      return found ?? otherwise;
    }
    if (v === undefined) v = fallback;
    const text = v === undefined ? '' : valueText(v);
    return rec.format === 'keyEqualsQuotedValue' ? `${keyOf(key, name)}=${goQuote(text)}` : text;
  };
}

function compileFinding(
  index: number,
  name: string,
  def: FindingDef,
  scopes: Record<string, CompiledScope>,
  sets: Record<string, unknown[]>,
  pointer: string,
): CompiledFinding {
  const scopeRefs = Array.isArray(def.in) ? def.in : [def.in];
  const compiledScopes = scopeRefs.map((ref, i) => {
    const scope = scopes[ref.replace(/^#/, '')];
    if (!scope) {
      throw new CompileProblem(Array.isArray(def.in) ? `${pointer}/in/${i}` : `${pointer}/in`, `unknown scope "${ref}"`, `use one of: ${Object.keys(scopes).map((s) => '#' + s).join(', ')}`, ref.replace(/^#/, ''));
    }
    // Walked twice, each subject would be listed and located twice.
    if (scopeRefs.indexOf(ref) !== i) throw new CompileProblem(`${pointer}/in/${i}`, `scope "${ref}" is listed twice`, 'list each scope once');
    return scope;
  });
  // Without a name, {name} would read as "" and the path would name a field that is never there.
  const unnamed = compiledScopes.find((scope) => scope.def.name === undefined);
  const nameAt = unnamed && (namePlaceholder(def.when, `${pointer}/when`) ?? (def.record?.path.includes('{name}') ? `${pointer}/record/path` : def.at?.includes('{name}') ? `${pointer}/at` : undefined));
  if (nameAt) throw new CompileProblem(nameAt, `this path uses {name}, but the subjects of "#${unnamed!.def.id}" have no name`, 'spell the key out, or walk a scope whose subjects have names (such as #containers)');
  const hasValues = def.values !== undefined;
  const when = compileCondition(def.when, { sets, facts: new Set(hasValues ? ['element', 'pod', 'key', 'value'] : ['element', 'pod', 'key']) }, `${pointer}/when`);
  const valuePaths = (def.values ?? []).map((p, i) => {
    const parsed = parsePathAt(p, `${pointer}/values/${i}`);
    if (parsed.segments.some((s) => s.kind === 'template')) throw new CompileProblem(`${pointer}/values/${i}`, 'a values path cannot contain placeholders', 'remove the {…} part');
    return parsed;
  });
  // The values would only set how often one same test runs, each reported as a value found.
  if (hasValues && !readsFact(def.when, 'value')) throw new CompileProblem(`${pointer}/values`, '"values" are walked, but "when" never reads them (no condition has fact: value)', 'test each value in "when" with fact: value, or remove "values"');
  const valueIterators = valuePaths.map(compileIterate);
  const valueDefault = def.valueDefault;
  if (valueDefault !== undefined && !hasValues) throw new CompileProblem(`${pointer}/valueDefault`, '"valueDefault" needs "values"', 'remove it, or add "values"');
  if (def.record && hasValues) throw new CompileProblem(`${pointer}/record`, 'a finding with "values" records the values it finds', 'remove "record"');
  if (def.at !== undefined && hasValues) throw new CompileProblem(`${pointer}/at`, 'a finding with "values" points reports at each value it finds', 'remove "at"');
  const record = def.record ? compileRecord(def.record, sets, `${pointer}/record`) : undefined;
  const located = def.at !== undefined ? { fact: 'element' as const, path: def.at } : firstLeafPath(def.when);
  const locatePath = located ? parsePathAt(located.path ?? '$', `${pointer}/at`) : undefined;
  if (def.at !== undefined && locatePath?.hasWildcard) throw new CompileProblem(`${pointer}/at`, `"at" cannot contain wildcards ("${def.at}")`, 'name one field of the subject; to point at each of many values, use "values"');
  const locateFromPod = located?.fact === 'pod';

  let testInterpreted: (pod: unknown) => boolean;
  if (!hasValues || valueDefault !== undefined) {
    testInterpreted = (pod) => {
      for (const scope of compiledScopes) {
        const hit = scope.iterate(pod, (el, key) => {
          const subject = scope.nameOf(el, key);
          if (!hasValues) return when(el, pod, key, undefined, subject);
          // The fallback is visited by walk only: the fast iterators skip absent values.
          return valuePaths.some((vp) => walk(el, vp, subject, undefined, (v) => when(el, pod, key, v, subject), valueDefault));
        });
        if (hit) return true;
      }
      return false;
    };
  } else {
    testInterpreted = (pod) => {
      for (const scope of compiledScopes) {
        const hit = scope.iterate(pod, (el, key) => {
          const subject = scope.nameOf(el, key);
          for (const iterateValues of valueIterators) {
            if (iterateValues(el, (v) => when(el, pod, key, v, subject))) return true;
          }
          return false;
        });
        if (hit) return true;
      }
      return false;
    };
  }

  const collectInterpreted = (pod: unknown): Offender[] => {
    const out: Offender[] = [];
    compiledScopes.forEach((scope, scopeIndex) => {
      for (const scopePath of scope.paths) {
        walk(pod, scopePath, '', [], (el, key, elPath) => {
          const subject = scope.nameOf(el, key);
          if (hasValues) {
            const values: string[] = [];
            const fields: FieldPath[] = [];
            for (const vp of valuePaths) {
              walk(el, vp, subject, elPath, (v, _k, at) => {
                if (when(el, pod, key, v, subject)) {
                  values.push(valueText(v));
                  fields.push([...at!]);
                }
              }, valueDefault);
            }
            if (values.length) out.push({ scope: scopeIndex, name: subject, values, fields });
          } else if (when(el, pod, key, undefined, subject)) {
            const field = locatePath ? extendPath(locateFromPod ? [] : elPath!, locatePath, subject) : [...elPath!];
            out.push({ scope: scopeIndex, name: subject, values: record ? [record(el, pod, key, subject)] : [], fields: [field] });
          }
        });
      }
    });
    return out;
  };

  const usesName = JSON.stringify(def.when).includes('{name}');
  const vars = { element: 'el', pod: 'pod', key: 'k', value: 'v', name: 'n' };
  const generate = (ctx: CodegenContext): string => {
    let out = '';
    for (const scope of compiledScopes) {
      const nameCode = usesName ? `n = ${nameConstant(ctx, scope)}(el, k);` : '';
      let body: string;
      if (!hasValues) body = `${nameCode} if (${conditionExpr(ctx, def.when, vars)}) return true;`;
      else {
        const check = `if (${conditionExpr(ctx, def.when, vars)}) return true;`;
        body = nameCode + valuePaths.map((vp) => iterateCode(ctx, 'el', vp.segments, 'v', 'vk', check, valueDefault)).join(' ');
      }
      for (const path of scope.paths) out += iterateCode(ctx, 'pod', path.segments, 'el', 'k', body) + '\n';
    }
    return out;
  };
  // Called only by tests (messages use collect): generated on first use, so loading stays fast.
  let generatedTest: ((pod: unknown) => boolean) | undefined;
  const test = (pod: unknown): boolean => {
    if (!generatedTest) {
      const testCtx = newContext(sets);
      generatedTest = buildFunction(testCtx, generate(testCtx), ['el', 'k', 'n = ""', 'v', 'vk']);
    }
    return generatedTest(pod);
  };
  let generatedCollect: ((pod: unknown) => Offender[]) | undefined;
  const collect = (pod: unknown): Offender[] => (generatedCollect ??= buildCollect())(pod);
  const buildCollect = (): ((pod: unknown) => Offender[]) => {
    const cc = newContext(sets);
    const nameConsts = compiledScopes.map((scope) => nameConstant(cc, scope));
    const recordConst = record ? cc.consts.add('REC', record) : undefined;
    const textConst = cc.consts.add('VT', valueText);
    const locateStatic = locatePath && !locatePath.segments.some((seg) => seg.kind === 'template' || seg.kind === 'wildcard')
      ? locatePath.segments.map((seg) => (seg.kind === 'key' ? JSON.stringify(seg.key) : String((seg as { index: number }).index)))
      : undefined;
    const locateConst = locatePath && !locateStatic ? cc.consts.add('LOC', (base: FieldPath, subject: string) => extendPath(base, locatePath, subject)) : undefined;
    let collectCode = '';
    compiledScopes.forEach((scope, si) => {
      for (const path of scope.paths) {
        collectCode += iterateCode(cc, 'pod', path.segments, 'el', 'k', (elPath) => {
          const nameCode = `n = ${nameConsts[si]}(el, k);`;
          if (!hasValues) {
            const base = locateFromPod ? [] : elPath;
            const field = locateConst ? `${locateConst}([${base.join(', ')}], n)` : `[${[...base, ...(locateStatic ?? [])].join(', ')}]`;
            const values = recordConst ? `[${recordConst}(el, pod, k, n)]` : '[]';
            return `${nameCode} if (${conditionExpr(cc, def.when, vars)}) out.push({ scope: ${si}, name: n, values: ${values}, fields: [${field}] });`;
          }
          const check = (valuePath: string[]) =>
            `if (${conditionExpr(cc, def.when, vars)}) { (vals ??= []).push(${textConst}(v)); (flds ??= []).push([${valuePath.join(', ')}]); }`;
          const loops = valuePaths.map((vp) => iterateCode(cc, 'el', vp.segments, 'v', 'vk', check, valueDefault, elPath)).join(' ');
          return `${nameCode} vals = null; flds = null; ${loops} if (vals !== null) out.push({ scope: ${si}, name: n, values: vals, fields: flds });`;
        }) + '\n';
      }
    });
    return buildRaw(cc, `let el, k, n = "", v, vk, vals, flds${cc.temps.length ? ', ' + cc.temps.join(', ') : ''}; const out = []; ${collectCode} return out;`) as (pod: unknown) => Offender[];
  };

  const source = { def, valuePaths, sets, usesName };
  return { name, index, decisive: !def.messageOnly, scopes: compiledScopes, sortSubjects: def.sortSubjects === true, test, collect, testInterpreted, collectInterpreted, generate, source };
}

/** Each subject's first position in its scope's walk of the pod. */
function subjectOrder(scope: CompiledScope, pod: unknown): Map<string, number> {
  const order = new Map<string, number>();
  scope.iterate(pod, (el, key) => {
    const name = scope.nameOf(el, key);
    if (!order.has(name)) order.set(name, order.size);
    return false;
  });
  return order;
}

/** One version of one check, compiled (frozen). */
export interface CompiledCheck {
  readonly id: string;
  readonly level: RuleLevel;
  /** The minor version of this revision (it runs from v1.<since>). */
  readonly since: number;
  /** Does the pod, exactly as given (no API-server defaulting), break this check? (generated code) */
  fails(pod: unknown): boolean;
  /** @internal */
  overrides: string[];
  /** @internal The same verdict from the compiled closures; an independent path used in tests. */
  failsInterpreted(pod: unknown): boolean;
  /** @internal */
  exemptWhen: Condition | null;
  /** @internal */
  sets: Record<string, unknown[]>;
  /**
   * @internal
   * Reason, detail and fields for a pod that fails. The fields are those of the deciding findings
   * the rendered message used (all deciding findings' fields when those locate nothing).
   */
  explain(pod: unknown): { reason: string; detail: string; fields: FieldPath[] };
  /** @internal */
  findings: readonly CompiledFinding[];
}

export function compileCheckVersion(
  id: string,
  level: RuleLevel,
  version: ResolvedVersion,
  scopes: Record<string, CompiledScope>,
): CompiledCheck {
  const { sets, pointer } = version;
  // The findings, the exemption and the message are compiled apart, so that a rule author sees
  // each one's problem at once; the message is compiled only over findings that compiled.
  const problems: CompileProblem[] = [];
  const attempt = <T>(compile: () => T): T | undefined => {
    try {
      return compile();
    } catch (e) {
      if (!(e instanceof CompileProblem)) throw e;
      problems.push(e);
      return undefined;
    }
  };
  const maybeFindings = Object.entries(version.findings).map(([name, def], index) =>
    attempt(() => compileFinding(index, name, def, scopes, sets, `${version.findingsPointer}/findings/${name}`)),
  );
  const exempt = !version.exemptWhen ? undefined : attempt(() => {
    const exemptName = namePlaceholder(version.exemptWhen!, `${version.exemptPointer}/exemptWhen`);
    if (exemptName) throw new CompileProblem(exemptName, 'this path uses {name}, but "exemptWhen" is about the whole pod: there is no subject to name', 'spell the key out');
    return compileCondition(version.exemptWhen!, { sets, facts: new Set(['pod']) }, `${version.exemptPointer}/exemptWhen`);
  });
  if (problems.length > 0) throw new CompileProblems(problems);
  const findings = maybeFindings as CompiledFinding[];
  const decisive = findings.filter((f) => f.decisive);
  if (decisive.length === 0) problems.push(new CompileProblem(`${pointer}/findings`, 'every finding is "messageOnly", so the check can never fail', 'remove "messageOnly" from the findings that decide the verdict'));
  const names = new Map(findings.map((f) => [f.name, f]));
  const messagePointer = `${version.messagePointer}/message`;
  const messageProblems = problems.length;
  const compiledReason = attempt(() => compileTemplateNode(version.message.reason, names, `${messagePointer}/reason`));
  const detail = version.message.detail === undefined ? undefined : attempt(() => compileTemplateNode(version.message.detail!, names, `${messagePointer}/detail`));
  const entryIndex = (p: string): number => Number(p.slice(p.lastIndexOf('/') + 1));
  if (entryIndex(version.findingsPointer) > entryIndex(version.messagePointer)) {
    // The message was written for findings a later entry replaced: that entry is the one to fix.
    for (let i = messageProblems; i < problems.length; i++) {
      const missing = problems[i]!.unknownFinding;
      if (missing === undefined) continue;
      problems[i] = new CompileProblem(
        `${version.findingsPointer}/findings`,
        `the message this entry inherits names finding "${missing}", which these findings do not define: an entry's "findings" replace the inherited ones as a whole`,
        `restate finding "${missing}" here, or restate the message in this entry`,
      );
    }
  }
  if (problems.length > 0 || compiledReason === undefined) throw new CompileProblems(problems);
  const reason: CompiledText = compiledReason;

  // Built on first use: a policy of up to MAX_FUSED_CHECKS checks runs the fused function instead.
  let fails: ((pod: unknown) => boolean) | undefined;
  const buildFails = (): ((pod: unknown) => boolean) => {
    const ctx = newContext(sets);
    let statements = '';
    if (version.exemptWhen) {
      statements += `if (${conditionExpr(ctx, version.exemptWhen, { element: 'pod', pod: 'pod', key: 'undefined', value: 'undefined', name: '""' })}) return false;\n`;
    }
    for (const f of decisive) statements += f.generate(ctx);
    return buildFunction(ctx, statements, ['el', 'k', 'n = ""', 'v', 'vk']);
  };

  let failsInterpreted: (pod: unknown) => boolean;
  if (decisive.length === 1) {
    const only = decisive[0]!;
    failsInterpreted = exempt ? (pod) => !exempt(pod, pod, undefined, undefined, '') && only.testInterpreted(pod) : only.testInterpreted;
  } else {
    failsInterpreted = (pod) => {
      if (exempt && exempt(pod, pod, undefined, undefined, '')) return false;
      for (const f of decisive) if (f.testInterpreted(pod)) return true;
      return false;
    };
  }

  // Which findings the rendered message drew on; reused by every call (explain never nests).
  const used = new Uint8Array(findings.length);
  const explain = (pod: unknown) => {
    const results: FindingResults = findings.map((f) => f.collect(pod));
    results.subjectOrder = (scope) => subjectOrder(scope, pod);
    for (let i = 0; i < used.length; i++) used[i] = 0;
    const reasonText = reason(results, used);
    const detailText = detail ? detail(results, used) : '';
    // The fields of the deciding findings the message speaks of (a oneOf's chosen branch, the
    // parts shown); when those locate nothing, the fields of every deciding finding.
    // A field two findings both flag is one place to fix: listed once.
    const fields: FieldPath[] = [];
    const seen = new Set<string>();
    const add = (field: FieldPath): void => {
      const key = JSON.stringify(field);
      if (!seen.has(key)) {
        seen.add(key);
        fields.push(field);
      }
    };
    for (const f of decisive) if (used[f.index] === 1) for (const o of results[f.index]!) for (const field of o.fields) add(field);
    if (fields.length === 0) for (const f of decisive) for (const o of results[f.index]!) for (const field of o.fields) add(field);
    return { reason: reasonText, detail: detailText, fields };
  };
  // Frozen: a check is shared by every policy and evaluator call, and its verdict code is
  // generated from these values on first use.
  for (const values of Object.values(sets)) Object.freeze(values);
  return Object.freeze({
    id, level, since: version.since, overrides: Object.freeze(version.overrides) as string[], failsInterpreted, explain, findings: Object.freeze(findings), exemptWhen: deepFreeze(version.exemptWhen), sets: Object.freeze(sets),
    get fails() {
      return (fails ??= buildFails());
    },
  });
}

/**
 * A check version of rules that compiled when a build cached them: its findings, message and
 * verdict code are compiled on first use, which for most checks of a run is never (a run that
 * finds nothing needs only the fused verdicts).
 */
export function lazyCheckVersion(
  id: string,
  level: RuleLevel,
  version: ResolvedVersion,
  scopes: Record<string, CompiledScope>,
): CompiledCheck {
  let compiled: CompiledCheck | undefined;
  const check = (): CompiledCheck => {
    if (compiled) return compiled;
    try {
      return (compiled = compileCheckVersion(id, level, version, scopes));
    } catch (e) {
      if (!(e instanceof CompileProblems)) throw e;
      throw new Error(`the cached bundled rule ${id} (v1.${version.since}) no longer compiles: ${e.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}; rebuild podsec (npm run build)`);
    }
  };
  for (const values of Object.values(version.sets)) Object.freeze(values);
  return Object.freeze({
    id, level, since: version.since, overrides: Object.freeze(version.overrides) as string[], exemptWhen: deepFreeze(version.exemptWhen), sets: Object.freeze(version.sets),
    get fails() {
      return check().fails;
    },
    get failsInterpreted() {
      return check().failsInterpreted;
    },
    get explain() {
      return check().explain;
    },
    get findings() {
      return check().findings;
    },
  });
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
