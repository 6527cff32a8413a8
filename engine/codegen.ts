/**
 * Generates plain JavaScript with the paths, loops and operators of a rule written out, so a
 * compliant pod costs a few property reads per check: verdicts, the offenders a message is built
 * from, and defaulting. The closures in compile.ts compute the same verdicts independently, for tests.
 */
import type { Condition, LeafCondition } from './model.js';
import { OPERATORS } from './operators.js';
import { compileGetter, parsePath, readKey, readOwn, type ParsedPath, type Segment } from './paths.js';
import { quantityValue } from './quantity.js';
import { valueText } from './text.js';

/**
 * How to make a constant of generated code again in another process: the code a build writes
 * (see Precompiled) names its constants, and a run rebuilds them from these.
 */
export type Recipe =
  | { fn: string }
  | { reader: string }
  | { predicate: string; value: unknown }
  | { nameOf: string | null }
  | { getter: Segment[] }
  | { set: unknown[] }
  | { number: string };

/** Generated code with its constants' recipes: what a build writes, and a run turns into a function. */
export interface Precompiled {
  names: string[];
  recipes: Recipe[];
  body: string;
}

/** Constants the generated code refers to by name. */
class Constants {
  readonly names: string[] = [];
  readonly values: unknown[] = [];
  /** Undefined where a constant cannot be made again (the code is then not written by a build). */
  readonly recipes: (Recipe | undefined)[] = [];
  add(prefix: string, value: unknown, recipe: Recipe | undefined = recipeOf(value)): string {
    const name = `${prefix}${this.names.length}`;
    this.names.push(name);
    this.values.push(value);
    this.recipes.push(recipe);
    return name;
  }
}

/** A reader of one key that is no identifier (`a-b`, `constructor`): own properties only. */
function keyReader(key: string): (v: unknown) => unknown {
  return (v) => (typeof v === 'object' && v !== null && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined);
}

/** A subject's name, as a scope's `name` says: a path in it, `key`, or none. */
export function nameReader(name: string | undefined): (el: unknown, key: unknown) => string {
  if (name === undefined) return () => '';
  if (name === 'key') return (_el, key) => (key === undefined ? '' : String(key));
  const get = compileGetter(parsePath(name));
  return (el) => {
    const n = get(el, '');
    return n === undefined ? '' : valueText(n);
  };
}

/** A scope's name reader with its recipe, for generated code. */
export function nameConstant(ctx: CodegenContext, scope: { def: { name?: string }; nameOf: (el: unknown, key: unknown) => string }): string {
  return ctx.consts.add('N', scope.nameOf, { nameOf: scope.def.name ?? null });
}

function recipeOf(value: unknown): Recipe | undefined {
  if (typeof value === 'function' || (typeof value === 'object' && value !== null && !(value instanceof Set))) {
    for (const [fn, v] of Object.entries(STATIC)) if (v === value) return { fn };
    return undefined;
  }
  if (value instanceof Set) {
    const items = [...value];
    return items.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)) ? { set: items } : undefined;
  }
  if (typeof value === 'number') return { number: String(value) };
  return undefined;
}

function revive(recipe: Recipe): unknown {
  if ('fn' in recipe) {
    if (!Object.hasOwn(STATIC, recipe.fn)) throw new Error(`generated code names an unknown function ${recipe.fn}`);
    return STATIC[recipe.fn];
  }
  if ('reader' in recipe) return keyReader(recipe.reader);
  if ('predicate' in recipe) return OPERATORS[recipe.predicate]!.compile(recipe.value);
  if ('nameOf' in recipe) return nameReader(recipe.nameOf ?? undefined);
  if ('getter' in recipe) return compileGetter({ text: '', segments: recipe.getter, hasWildcard: recipe.getter.some((s) => s.kind === 'wildcard') });
  if ('set' in recipe) return new Set(recipe.set);
  return Number(recipe.number);
}

const PRIMITIVE_PROTOTYPE_KEYS = new Set(
  [String.prototype, Array.prototype, Number.prototype, Boolean.prototype, Object.prototype].flatMap((p) => Object.getOwnPropertyNames(p)),
);

export interface CodegenContext {
  consts: Constants;
  sets: Record<string, unknown[]>;
  vars: number;
  /** Function-level temporaries the generated expressions assign to. */
  temps: string[];
  /** Reads already held in a variable: `base|key|key` → variable (see hoistReads). */
  cache?: Map<string, string>;
  /** Per-call indexes of keys made with subjects' names (see entriesByName). */
  indexes?: Map<string, string>;
}

export function newContext(sets: Record<string, unknown[]>): CodegenContext {
  return { consts: new Constants(), sets, vars: 0, temps: [] };
}

function freshVar(ctx: CodegenContext, prefix: string): string {
  return `${prefix}${ctx.vars++}`;
}

/**
 * The entries of `obj` whose keys are `prefix` + a name + `suffix`, by name: a key made with
 * each subject's name is looked up there, not built and hashed once per subject.
 */
function entriesByName(obj: unknown, prefix: string, suffix: string): Map<string, unknown> {
  if (typeof obj !== 'object' || obj === null) return NO_ENTRIES;
  let out: Map<string, unknown> | undefined;
  // for-in: no array of keys is allocated (JSON objects have no inherited keys; hasOwn checks).
  for (const key in obj) {
    if (key.length < prefix.length + suffix.length || !key.startsWith(prefix) || !key.endsWith(suffix) || !Object.hasOwn(obj, key)) continue;
    const value = (obj as Record<string, unknown>)[key];
    (out ??= new Map()).set(key.slice(prefix.length, key.length - suffix.length), value === null ? undefined : value);
  }
  return out ?? NO_ENTRIES;
}
const NO_ENTRIES: Map<string, unknown> = new Map();

// What generated code calls or compares with, by name: the same in every process.
const STATIC: Readonly<Record<string, unknown>> = { readKey, readOwn, entriesByName, NO_ENTRIES, quantityValue };

/**
 * An expression reading `path` from `base`; absent and null read as undefined or null.
 * `perCall`: `base` is the same object for the whole call (the pod).
 */
function readExpr(ctx: CodegenContext, base: string, path: ParsedPath, nameVar: string, perCall = false): string {
  if (path.segments.some((s) => s.kind === 'wildcard')) {
    const getter = ctx.consts.add('G', compileGetter(path), { getter: path.segments });
    return `${getter}(${base}, ${nameVar})`;
  }
  const templates = path.segments.filter((s) => s.kind === 'template');
  if (perCall && templates.length === 1) {
    const at = path.segments.indexOf(templates[0]!);
    const parts = (templates[0] as { parts: string[] }).parts;
    if (parts.length === 3) {
      // One index of the object's keys per call, shared by every subject and every condition.
      const holder = readExpr(ctx, base, { text: '', segments: path.segments.slice(0, at), hasWildcard: false }, nameVar);
      const key = JSON.stringify([holder, parts[0], parts[2]]);
      ctx.indexes ??= new Map();
      let index = ctx.indexes.get(key);
      if (!index) {
        index = temp(ctx);
        ctx.indexes.set(key, index);
      }
      // Most objects have no such key: then the subject's name is not even computed.
      const lookup = `((${index} ??= ${ctx.consts.add('E', entriesByName)}(${holder}, ${JSON.stringify(parts[0])}, ${JSON.stringify(parts[2])})) === ${ctx.consts.add('Z', NO_ENTRIES)} ? undefined : ${index}.get(${nameVar}))`;
      const rest = path.segments.slice(at + 1);
      return rest.length ? readExpr(ctx, lookup, { text: '', segments: rest, hasWildcard: false }, nameVar) : lookup;
    }
  }
  let expr = base;
  let start = 0;
  if (ctx.cache) {
    for (let i = path.segments.length; i > 0; i--) {
      const hit = ctx.cache.get(cacheKey(base, path.segments.slice(0, i)));
      if (hit) {
        expr = hit;
        start = i;
        break;
      }
    }
  }
  for (const s of path.segments.slice(start)) {
    // Through readKey: `?.[N]` would read a character of a string.
    if (s.kind === 'index') expr = `${ctx.consts.add('K', readKey)}(${expr}, ${s.index})`;
    // A key made with the subject's name, read inline: this runs for every subject.
    else if (s.kind === 'template') expr = `${ctx.consts.add('O', readOwn)}(${expr}, ${s.parts.map((part, i) => (i % 2 === 0 ? JSON.stringify(part) : nameVar)).join(' + ')})`;
    else {
      const key = (s as { key: string }).key;
      if (!plainKey(key)) {
        const reader = ctx.consts.add('R', keyReader(key), { reader: key });
        expr = `${reader}(${expr})`;
      } else expr = `${expr}?.${key}`;
    }
  }
  return expr;
}

function cacheKey(base: string, segments: Segment[]): string {
  return base + '|' + segments.map((s) => (s.kind === 'key' ? s.key : s.kind === 'index' ? `[${s.index}]` : '*')).join('|');
}

/** The field reads of a condition: fact and path segments. */
export function leafReads(cond: Condition): { fact: string; segments: Segment[] }[] {
  if ('all' in cond) return cond.all.flatMap(leafReads);
  if ('any' in cond) return cond.any.flatMap(leafReads);
  if ('not' in cond) return leafReads(cond.not);
  return [{ fact: cond.fact ?? 'element', segments: parsePath(cond.path ?? '$').segments }];
}

/**
 * Statements that read, once, every path prefix that several reads from `base` share, and
 * register them so that later expressions start from those variables.
 */
export function hoistReads(ctx: CodegenContext, base: string, reads: Segment[][]): string {
  const counts = new Map<string, { segments: Segment[]; n: number }>();
  for (const segs of reads) {
    for (let i = 1; i <= segs.length; i++) {
      const prefix = segs.slice(0, i);
      if (prefix.some((x) => x.kind !== 'key' || !plainKey(x.key))) break;
      const key = cacheKey(base, prefix);
      const entry = counts.get(key) ?? { segments: prefix, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
  }
  ctx.cache ??= new Map();
  let out = '';
  const shared = [...counts.entries()].filter(([, e]) => e.n > 1).sort((a, b) => a[1].segments.length - b[1].segments.length);
  for (const [key, e] of shared) {
    const expr = readExpr(ctx, base, { text: '', segments: e.segments, hasWildcard: false }, '""');
    const t = temp(ctx);
    out += `${t} = ${expr}; `;
    ctx.cache.set(key, t);
  }
  return out;
}

function temp(ctx: CodegenContext): string {
  const name = freshVar(ctx, 't');
  ctx.temps.push(name);
  return name;
}

function plainKey(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) && !PRIMITIVE_PROTOTYPE_KEYS.has(key);
}

function literal(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return JSON.stringify(value);
  return undefined;
}

function resolve(value: unknown, sets: Record<string, unknown[]>): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'set' in value) return sets[(value as { set: string }).set];
  return value;
}

export interface FactVars {
  element: string;
  pod: string;
  key: string;
  value: string;
  name: string;
}

/** A JavaScript boolean expression for a condition. */
export function conditionExpr(ctx: CodegenContext, cond: Condition, vars: FactVars): string {
  if ('all' in cond) return '(' + cond.all.map((c) => conditionExpr(ctx, c, vars)).join(' && ') + ')';
  if ('any' in cond) return '(' + cond.any.map((c) => conditionExpr(ctx, c, vars)).join(' || ') + ')';
  if ('not' in cond) return `!${conditionExpr(ctx, cond.not, vars)}`;
  return leafExpr(ctx, cond, vars);
}

function leafExpr(ctx: CodegenContext, leaf: LeafCondition, vars: FactVars): string {
  const base = vars[leaf.fact ?? 'element'];
  let read = readExpr(ctx, base, parsePath(leaf.path ?? '$'), vars.name, leaf.fact === 'pod');
  const fallback = leaf.default === undefined ? undefined : literal(leaf.default);
  if (fallback !== undefined) read = `(${read} ?? ${fallback})`;
  const value = resolve(leaf.value, ctx.sets);
  const spec = OPERATORS[leaf.operator]!;
  const inline = spec.inline?.(read, value, { temp: () => temp(ctx), constant: (v) => ctx.consts.add('S', v), literal, plainKey });
  if (inline !== undefined) return inline;
  const predicate = ctx.consts.add('P', spec.compile(value), { predicate: leaf.operator, value });
  return `${predicate}(${read})`;
}

/**
 * Code that visits every value a path reaches from `base` (skipping null), running the body
 * with the value in `valueVar` and its key in `keyVar`. The body is generated per loop kind;
 * it receives the JavaScript expressions of the value's path segments (for locations).
 */
export function iterateCode(
  ctx: CodegenContext,
  base: string,
  segments: Segment[],
  valueVar: string,
  keyVar: string,
  body: string | ((path: string[]) => string),
  fallback?: unknown,
  pathSoFar: string[] = [],
): string {
  const render = typeof body === 'string' ? () => body : body;
  const last = segments.at(-1);
  if (fallback !== undefined && last && (last.kind === 'key' || last.kind === 'index') && literal(fallback) !== undefined) {
    // Go reads a list item's absent field as its zero value: visit the fallback for it.
    const parent = freshVar(ctx, 'p');
    ctx.temps.push(parent);
    const field = readExpr(ctx, parent, { text: '', segments: [last], hasWildcard: false }, '""');
    const key = last.kind === 'key' ? JSON.stringify(last.key) : String(last.index);
    const inner = (path: string[]) =>
      `if (typeof ${parent} === 'object' && !Array.isArray(${parent})) { ${valueVar} = ${field} ?? ${literal(fallback)}; ${keyVar} = ${key}; ${render([...path, key])} }`;
    const parentKey = freshVar(ctx, 'pk');
    ctx.temps.push(parentKey);
    return iterateCode(ctx, base, segments.slice(0, -1), parent, parentKey, inner, undefined, pathSoFar);
  }
  const w = segments.findIndex((s) => s.kind === 'wildcard');
  const staticPath = (segs: Segment[]) => segs.map((s) => (s.kind === 'key' ? JSON.stringify(s.key) : s.kind === 'index' ? String(s.index) : '""'));
  if (w < 0) {
    const read = readExpr(ctx, base, { text: '', segments, hasWildcard: false }, '""');
    const key = last && last.kind === 'key' ? JSON.stringify(last.key) : last && last.kind === 'index' ? String(last.index) : 'undefined';
    return `${valueVar} = ${read}; if (${valueVar} != null) { ${keyVar} = ${key}; ${render([...pathSoFar, ...staticPath(segments)])} }`;
  }
  const coll = freshVar(ctx, 'c');
  const idx = freshVar(ctx, 'i');
  const item = freshVar(ctx, 'x');
  const keys = freshVar(ctx, 'ks');
  const rest = segments.slice(w + 1);
  const prefix = readExpr(ctx, base, { text: '', segments: segments.slice(0, w), hasWildcard: false }, '""');
  const before = [...pathSoFar, ...staticPath(segments.slice(0, w))];
  const inner = (keyExpr: string) => {
    const path = [...before, keyExpr];
    return rest.length ? iterateCode(ctx, item, rest, valueVar, keyVar, body, undefined, path) : `${valueVar} = ${item}; ${keyVar} = ${keyExpr}; ${render(path)}`;
  };
  // One loop for a list and a map alike: the body is generated once, which keeps the function
  // small enough for V8 to optimize it early (a body per kind doubled it at every wildcard).
  const len = freshVar(ctx, 'n');
  const key = freshVar(ctx, 'ky');
  return (
    `{ const ${coll} = ${prefix}; let ${keys} = null, ${len} = 0;` +
    ` if (Array.isArray(${coll})) ${len} = ${coll}.length; else if (typeof ${coll} === 'object' && ${coll} !== null) { ${keys} = Object.keys(${coll}); ${len} = ${keys}.length; }` +
    ` for (let ${idx} = 0; ${idx} < ${len}; ${idx}++) { const ${key} = ${keys} === null ? ${idx} : ${keys}[${idx}]; const ${item} = ${coll}[${key}]; if (${item} == null) continue; ${inner(key)} } }`
  );
}

/** Builds a function from generated statements; `pod` is its only parameter. */
export function buildFunction(ctx: CodegenContext, statements: string, locals: string[]): (pod: unknown) => boolean {
  return buildRaw(ctx, `let ${[...locals, ...ctx.temps].join(', ')}; ${statements} return false;`) as (pod: unknown) => boolean;
}

export function buildRaw(ctx: CodegenContext, body: string): (pod: unknown) => unknown {
  return instantiate({ names: ctx.consts.names, body }, ctx.consts.values);
}

/** The code and recipes of what buildRaw would build; undefined when a constant has no recipe. */
export function precompiledRaw(ctx: CodegenContext, body: string): Precompiled | undefined {
  const recipes = ctx.consts.recipes;
  if (recipes.some((r) => r === undefined)) return undefined;
  return { names: [...ctx.consts.names], recipes: recipes as Recipe[], body };
}

/** The source of a function that makes the generated function from its constants, its parameters. */
export function factorySource(code: { names: string[]; body: string }): string {
  return `function (${code.names.join(', ')}) { 'use strict'; return function generated(pod) { ${code.body} }; }`;
}

export type Factory = (...constants: unknown[]) => (pod: unknown) => unknown;

/** A function from a factory a build wrote as code, its constants made from their recipes. */
export function fromFactory(make: Factory, recipes: readonly Recipe[]): (pod: unknown) => unknown {
  return make(...recipes.map(revive));
}

function instantiate(code: { names: string[]; body: string }, values: unknown[]): (pod: unknown) => unknown {
  const factory = new Function(`return (${factorySource(code)});`)() as Factory;
  return factory(...values);
}
