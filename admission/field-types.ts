/**
 * The JSON types of the objects podsec judges, from schemas/decode.schema.json (generated from
 * Kubernetes' API types): one source for `podsec check`, which reports a wrongly typed field instead
 * of judging the object (the API server would reject it), and for the webhook, whose objects
 * must decode as their resource, as upstream's do.
 */
import { requireGenerated } from '../engine/code-cache.js';
import { closestKey } from '../engine/nearest.js';
import { schemaFile, schemaText } from '../engine/schema-files.js';
import { sha256Hex, stampsMatch, stampsOf } from '../engine/stamps.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { numberAsSent } from '../cli/manifest/resolve.js';
import { timeProblem } from './gotime.js';
import { quantityProblem } from './quantity.js';

export interface FieldTypeProblem {
  /** Path inside the validated object. */
  path: (string | number)[];
  /** The JSON types the field may have, without null (which always fits: it is the zero value). */
  types: string[];
  /** The value found there. */
  value: unknown;
  /** When the type fits but the value does not decode (a quantity's or a time's text, an integer's range): the decoder's error. */
  problem?: string;
  /** The field's format when `problem` is set: quantity, time, int32, int64, int-or-string. */
  format?: string;
  /** A key the type does not have (reported only when decoding strictly), and the likeliest intended one. */
  unknown?: { suggestion?: string; under?: { key: string; items: boolean } };
}

/** A field path as Go's decoder writes it: `spec.containers[0].image` (keys as they are, unquoted). */
export function decoderFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** Go's integer types, by the schema's format. */
export const INTEGER_RANGES: Record<string, { type: string; min: number; max: number; text: string }> = {
  int32: { type: 'int32', min: -2147483648, max: 2147483647, text: '-2147483648 to 2147483647' },
  // As doubles the bounds are plus and minus 2^63, which the manifest readers give only to values in range.
  int64: { type: 'int64', min: -9223372036854775808, max: 9223372036854775807, text: '-9223372036854775808 to 9223372036854775807' },
  'int-or-string': { type: 'int32', min: -2147483648, max: 2147483647, text: '-2147483648 to 2147483647' },
};

function rangeProblem(format: string): (n: number) => string | undefined {
  const { type, min, max } = INTEGER_RANGES[format]!;
  return (n) => (n >= min && n <= max ? undefined : `cannot unmarshal number ${numberAsSent(n)} into Go value of type ${type}`);
}

/** The schema's formats: each says what is wrong with a string or an integer, or undefined. */
const FORMATS: Record<string, { string?: (text: string) => string | undefined; number?: (n: number) => string | undefined }> = {
  quantity: { string: quantityProblem },
  time: { string: timeProblem },
  int32: { number: rangeProblem('int32') },
  int64: { number: rangeProblem('int64') },
  'int-or-string': { number: rangeProblem('int-or-string') },
};

/** The schemas compiled at build time; each exports a validator per entry of its `roots`. */
const SCHEMA_NAMES = ['decode'] as const;
type SchemaName = (typeof SCHEMA_NAMES)[number];

const compiled = new Map<SchemaName, Record<string, ValidateFunction>>();


const here = (): string => dirname(fileURLToPath(import.meta.url));
/** The inputs of a module generated from a schema, relative to this module's folder; with `generator`, this module too. */
const inputsOf = (name: SchemaName, generator: boolean): string[] => [
  ...(generator ? [basename(fileURLToPath(import.meta.url))] : []),
  relative(here(), schemaFile(name)),
];

/** The build writes each schema compiled by ajv as a module next to this file (dist/ only). */
const precompiledFile = (name: SchemaName): string => fileURLToPath(new URL(`./${name}.validate.cjs`, import.meta.url));

/** A validator per entry of the schema's `roots` (kind name -> definition). */
function compileWithAjv(text: string, standalone: boolean): { validators: Record<string, ValidateFunction>; source?: string } {
  const req = createRequire(import.meta.url);
  // Loaded on demand: a built podsec uses the precompiled modules and never loads ajv.
  const { Ajv } = req('ajv') as typeof import('ajv');
  // ajv checks types; formats are podsec's own parsers (FORMATS), run by the fit test and valueProblems.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: standalone } });
  const schema = JSON.parse(text) as { $id: string; roots?: Record<string, string> };
  ajv.addSchema(schema);
  const refs = Object.fromEntries(Object.entries(schema.roots ?? {}).map(([k, r]) => [k, schema.$id + r]));
  const validators = Object.fromEntries(Object.entries(refs).map(([k, r]) => [k, ajv.getSchema(r)!]));
  if (!standalone) return { validators };
  const standaloneCode = (req('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  return { validators, source: standaloneCode(ajv, refs) };
}

/** The compiled validators of a schema under schemas/. */
export function schemaValidators(name: SchemaName): Record<string, ValidateFunction> {
  let v = compiled.get(name);
  if (v) return v;
  const file = precompiledFile(name);
  if (existsSync(file)) {
    const mod = requireGenerated(file) as Record<string, unknown> & { schemaHash?: string; stamps?: unknown };
    // An edited schema makes the module stale: compile the schema as it is now instead.
    if (stampsMatch(mod.stamps, here(), inputsOf(name, false)) || mod.schemaHash === sha256Hex(schemaText(name))) {
      v = Object.fromEntries(Object.entries(mod).filter(([, f]) => typeof f === 'function')) as Record<string, ValidateFunction>;
    }
  }
  v ??= compileWithAjv(schemaText(name), false).validators;
  compiled.set(name, v);
  return v;
}

/** Writes the precompiled validator modules (run after a build). */
export function writePrecompiledValidators(): string[] {
  return SCHEMA_NAMES.map((name) => {
    const text = schemaText(name);
    const { source } = compileWithAjv(text, true);
    const file = precompiledFile(name);
    writeFileSync(file, `${source}\nmodule.exports.schemaHash = ${JSON.stringify(sha256Hex(text))};\nmodule.exports.stamps = ${JSON.stringify(stampsOf(here(), inputsOf(name, false)))};\n`);
    return file;
  });
}

function pointerToPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(key);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(key);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/** The first fields whose JSON type does not fit a validator's schema, one per field, at most `limit`. */
export function typeErrors(validate: ValidateFunction, value: unknown, limit: number): FieldTypeProblem[] {
  if (validate(value)) return [];
  const out: FieldTypeProblem[] = [];
  const seen = new Set<string>();
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    if (out.length >= limit) break;
    if (e.keyword !== 'type' || seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    const path = pointerToPath(e.instancePath, value);
    let found: unknown = value;
    for (const seg of path) found = (found as Record<string | number, unknown>)[seg];
    const types = (Array.isArray(e.params.type) ? e.params.type : String(e.params.type).split(',')) as string[];
    out.push({ path, types: types.filter((t) => t !== 'null'), value: found });
  }
  return out;
}

interface DecodeSchema {
  $defs: Record<string, SchemaNode>;
  roots: Record<string, string>;
}

interface SchemaNode {
  $ref?: string;
  type?: string[];
  format?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode;
}

/**
 * The source of plain functions, one per root kind, that only say whether an object fits: they
 * walk the keys the object has (not every field its type could have) and allocate nothing. Almost
 * every object fits; ajv's validators, which say where and why one does not, run only then. The
 * source is one function expression, `(F, S, strict) => fit by kind`: a build writes it as a
 * module (which runs with a code cache), a run from the sources evaluates it.
 */
function fitsSource(schema: DecodeSchema): string {
  const names = Object.keys(schema.$defs);
  const defIndex = new Map(names.map((name, i) => [name, i]));
  const fnOf = (ref: string): string => `D[${defIndex.get(ref.replace('#/$defs/', ''))!}]`;
  for (const node of formatNodes(schema)) if (!FORMATS[node.format!]) throw new Error(`decode schema: unknown format ${node.format}`);
  // A definition's functions, made at its first call: an object uses few of the schema's types.
  function definitionFactory(index: number): string {
    const functions: string[] = [];
    let inline = 0;
    // The name of a function testing one schema node (a definition or an inline node).
    const fnFor = (node: SchemaNode | undefined): string | undefined => {
      if (!node) return undefined;
      if (node.$ref) return fnOf(node.$ref);
      const id = `n${inline++}`;
      emit(id, node);
      return id;
    };
    // A value of a type without fields or items (most fields, and the items of a list of strings)
    // is tested where it is read, without a call: a pod's spec has dozens of them.
    const scalarTest = (node: SchemaNode | undefined, v: string): string | undefined => {
      if (!node || node.$ref || node.items || node.additionalProperties || node.properties) return undefined;
      if (!node.type) return 'true';
      const types = new Set(node.type);
      const format = node.format ? FORMATS[node.format] : undefined;
      const range = node.format ? INTEGER_RANGES[node.format] : undefined;
      const fits: string[] = [];
      if (types.has('string')) fits.push(format?.string ? `(typeof ${v} === 'string' && F[${JSON.stringify(node.format)}].string(${v}) === undefined)` : `typeof ${v} === 'string'`);
      if (types.has('number')) fits.push(`typeof ${v} === 'number'`);
      else if (types.has('integer')) fits.push(`Number.isInteger(${v})${range ? ` && ${v} >= ${range.min} && ${v} <= ${range.max}` : ''}`);
      if (types.has('boolean')) fits.push(`typeof ${v} === 'boolean'`);
      // A list or a mapping of a type with neither items nor fields fits whatever it holds.
      if (types.has('array')) fits.push(`Array.isArray(${v})`);
      if (types.has('object')) fits.push(`(typeof ${v} === 'object' && !Array.isArray(${v}))`);
      return `(${v} == null ? ${types.has('null')} : ${fits.length ? fits.join(' || ') : 'false'})`;
    };
    function emit(id: string, node: SchemaNode): void {
      const types = new Set(node.type ?? ['null', 'string', 'number', 'boolean', 'array', 'object']);
      if (!node.type) {
        functions.push(`function ${id}(x) { return true; }`);
        return;
      }
      const itemTest = scalarTest(node.items, 'e');
      const extraTest = scalarTest(node.additionalProperties, 'e');
      const item = itemTest ?? (node.items ? `${fnFor(node.items)}(e)` : undefined);
      const extra = extraTest ?? (node.additionalProperties ? `${fnFor(node.additionalProperties)}(e)` : undefined);
      // A field's case is found by the key's length first (a jump table), then among the few
      // keys of that length: a switch of dozens of strings is a chain of comparisons per key,
      // slow before V8 optimizes it (the first few thousand objects of a run).
      const byLength = new Map<number, string[]>();
      for (const [k, sub] of Object.entries(node.properties ?? {})) {
        const test = scalarTest(sub, 'v');
        const read = `x[${JSON.stringify(k)}]`;
        const body = test ? `case ${JSON.stringify(k)}: { const v = ${read}; if (!${test}) return false; break; }` : `case ${JSON.stringify(k)}: if (!${fnFor(sub)}(${read})) return false; break;`;
        const cases = byLength.get(k.length);
        if (cases) cases.push(body);
        else byLength.set(k.length, [body]);
      }
      // What a key of no field of the type meets: the test of additional properties, or refusal when strict.
      const otherKey = extra ? `{ const e = x[k]; if (e === null) S.nulls = true; else if (!${extra}) return false; }` : node.properties ? 'if (strict) return false;' : '';
      const otherDefault = otherKey === '' ? '' : `default: ${otherKey}`;
      const format = node.format ? FORMATS[node.format] : undefined;
      const range = node.format ? INTEGER_RANGES[node.format] : undefined;
      const inRange = range ? ` && x >= ${range.min} && x <= ${range.max}` : '';
      const number = types.has('number') ? 'true' : types.has('integer') ? `Number.isInteger(x)${inRange}` : 'false';
      functions.push(`function ${id}(x) {
  if (x === null || x === undefined) return ${types.has('null')};
  switch (typeof x) {
    case 'string': return ${types.has('string') ? (format?.string ? `F[${JSON.stringify(node.format)}].string(x) === undefined` : 'true') : 'false'};
    case 'number': return ${number};
    case 'boolean': return ${types.has('boolean')};
  }
  if (Array.isArray(x)) {
    ${types.has('array') ? (item ? `for (let i = 0; i < x.length; i++) { const e = x[i]; if (e === null) S.nulls = true; else if (!${item}) return false; }
    return true;` : 'return true;') : 'return false;'}
  }
  if (typeof x !== 'object') return false;
  ${types.has('object') ? `for (const k in x) {
    switch (k.length) {
      ${[...byLength].map(([length, cases]) => `case ${length}: switch (k) {
        ${cases.join('\n        ')}
        ${otherDefault}
      }
      break;`).join('\n      ')}
      ${otherDefault}
    }
  }
  return true;` : 'return false;'}
}`);
    }
    emit('definition', schema.$defs[names[index]!]!);
    return `// ${names[index]}\nfunction () {\n${functions.join('\n')}\nreturn definition;\n}`;
  }
  const roots = Object.entries(schema.roots).map(([kind, ref]) => `${JSON.stringify(kind)}: (x) => ${fnOf(ref)}(x)`);
  return `function makeFits(F, S, strict) {
'use strict';
const factories = [
${names.map((_, i) => definitionFactory(i)).join(',\n')}
];
const D = factories.map((make, i) => (x) => (D[i] = make())(x));
return { ${roots.join(', ')} };
}`;
}

type MakeFits = (formats: typeof FORMATS, state: typeof fitState, strict: boolean) => Record<string, (v: unknown) => boolean>;

/** The build writes the fit functions' source as a module next to this file (dist/ only). */
const fitsFile = (): string => fileURLToPath(new URL('./decode.fits.cjs', import.meta.url));
/** What the fit functions' source depends on: the schema and the code here that generates it. */
const fitsHash = (schemaText: string): string => sha256Hex(readFileSync(fileURLToPath(import.meta.url)), '\0', schemaText);

let makeFits: MakeFits | undefined;
let fitsOrigin: 'build' | 'generated' | undefined;

function fitMaker(): MakeFits {
  if (makeFits) return makeFits;
  const file = fitsFile();
  if (existsSync(file)) {
    const mod = requireGenerated(file) as { hash?: string; stamps?: unknown; make?: MakeFits };
    // An edited schema or generator makes the module stale: generate the code as it is now instead.
    const current = stampsMatch(mod.stamps, here(), inputsOf('decode', true)) || mod.hash === fitsHash(schemaText('decode'));
    if (current && typeof mod.make === 'function') {
      fitsOrigin = 'build';
      return (makeFits = mod.make);
    }
  }
  const text = schemaText('decode');
  fitsOrigin = 'generated';
  return (makeFits = new Function(`return (${fitsSource(JSON.parse(text) as DecodeSchema)});`)() as MakeFits);
}

/** Where this run's fit functions came from: a build's module, or generated at their first use. */
export function fitsOriginNow(): 'build' | 'generated' | undefined {
  return fitsOrigin;
}

/** Writes the fit functions' module (run after a build): a run then loads them with their code cache. */
export function writePrecompiledFits(): string {
  const text = schemaText('decode');
  const file = fitsFile();
  writeFileSync(file, `'use strict';\n// Generated by \`npm run build\` from schemas/decode.schema.json; a change to it or to field-types.js makes a run ignore this file.\nmodule.exports.hash = ${JSON.stringify(fitsHash(text))};\nmodule.exports.stamps = ${JSON.stringify(stampsOf(here(), inputsOf('decode', true)))};\nmodule.exports.make = ${fitsSource(JSON.parse(text) as DecodeSchema)};\n`);
  return file;
}

function formatNodes(schema: DecodeSchema): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (node: SchemaNode | undefined): void => {
    if (!node) return;
    if (node.format) out.push(node);
    visit(node.items);
    visit(node.additionalProperties);
    for (const sub of Object.values(node.properties ?? {})) visit(sub);
  };
  for (const def of Object.values(schema.$defs)) visit(def);
  return out;
}

let parsedSchema: DecodeSchema | undefined;
const decodeSchema = (): DecodeSchema => (parsedSchema ??= JSON.parse(schemaText('decode')) as DecodeSchema);


/**
 * The values in an object that do not decode although their JSON type fits (a quantity's or a
 * time's text, an integer's range) and, when `strict`, the keys its type does not have; at most `limit`,
 * found by walking the object along the schema (independently of the generated fit test).
 */
export function valueProblems(kind: string, obj: unknown, limit = 10, strict = false): FieldTypeProblem[] {
  const { $defs, roots } = decodeSchema();
  const out: FieldTypeProblem[] = [];
  const walk = (node: SchemaNode | undefined, value: unknown, path: (string | number)[]): void => {
    while (node?.$ref) node = $defs[node.$ref.replace('#/$defs/', '')];
    if (!node || value === null || value === undefined || out.length >= limit) return;
    if (typeof value === 'string' || typeof value === 'number') {
      const format = node.format ? FORMATS[node.format] : undefined;
      // A number that is not an integer where one belongs is a type error, reported by ajv.
      const problem = typeof value === 'string' ? format?.string?.(value) : Number.isInteger(value) ? format?.number?.(value) : undefined;
      if (problem) out.push({ path, types: (node.type ?? []).filter((t) => t !== 'null'), value, problem, format: node.format! });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(node.items, item, [...path, i]));
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        // Own keys only: "constructor" or "__proto__" in a manifest is no field of the type.
        const sub = node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : node.additionalProperties;
        if (!sub && strict && node.properties && out.length < limit) {
          const under = siblingHome(node, value as Record<string, unknown>, key);
          const suggestion = under ? undefined : closestKey(key, Object.keys(node.properties));
          out.push({ path: [...path, key], types: [], value: item, unknown: under ? { under } : suggestion ? { suggestion } : {} });
        }
        walk(sub, item, [...path, key]);
      }
    }
  };
  const root = roots[kind];
  if (root) walk({ $ref: root }, obj, []);
  return out;
}

/**
 * The key written before `key` whose value's type has the field `key` (in its items, for a list),
 * where that value lacks it: a line indented one level too little (`hostPath:`, then `path:` in
 * its column) puts the field beside the key it belongs under.
 */
function siblingHome(node: SchemaNode, value: Record<string, unknown>, key: string): { key: string; items: boolean } | undefined {
  const lacks = (x: unknown) => x === null || x === undefined || (typeof x === 'object' && !Array.isArray(x) && !Object.hasOwn(x, key));
  let found: { key: string; items: boolean } | undefined;
  for (const [sibling, v] of Object.entries(value)) {
    if (sibling === key) break;
    const sub = resolveNode(node.properties && Object.hasOwn(node.properties, sibling) ? node.properties[sibling] : undefined);
    if (!sub) continue;
    if (sub.properties && Object.hasOwn(sub.properties, key) && lacks(v)) found = { key: sibling, items: false };
    const items = resolveNode(sub.items);
    if (items?.properties && Object.hasOwn(items.properties, key) && Array.isArray(v) && v.length > 0 && lacks(v[v.length - 1])) found = { key: sibling, items: true };
  }
  return found;
}

/** `*` stands for any list item or map value. */
type HomePath = readonly (string | typeof ANY)[];
const ANY = Symbol('any item');
const homes = new Map<string, Map<string, HomePath[]>>();

/** Every place each field name is a field of a kind's type (a type met again is not walked again). */
function fieldHomes(kind: string): Map<string, HomePath[]> {
  const known = homes.get(kind);
  if (known) return known;
  const { $defs, roots } = decodeSchema();
  const found = new Map<string, HomePath[]>();
  const walk = (node: SchemaNode | undefined, path: HomePath, seen: ReadonlySet<string>): void => {
    if (node?.$ref) {
      if (seen.has(node.$ref)) return;
      seen = new Set([...seen, node.$ref]);
      node = $defs[node.$ref.replace('#/$defs/', '')];
    }
    if (!node) return;
    if (node.items) walk(node.items, [...path, ANY], seen);
    if (node.additionalProperties) walk(node.additionalProperties, [...path, ANY], seen);
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      const at = [...path, key];
      let list = found.get(key);
      if (!list) found.set(key, (list = []));
      list.push(at);
      walk(sub, at, seen);
    }
  };
  if (roots[kind]) walk({ $ref: roots[kind] }, [], new Set());
  homes.set(kind, found);
  return found;
}

/**
 * Where the key at the end of `path`, which is no field there, is a field of the kind's type: of
 * its places, the one that shares most of the path (the same container's securityContext before
 * the pod's), with the path's own indexes. Written as the decoder writes paths.
 */
export function fieldHome(kind: string, path: readonly (string | number)[]): string | undefined {
  const places = fieldHomes(kind).get(String(path[path.length - 1]));
  if (!places) return undefined;
  let best: HomePath | undefined;
  let bestShared = -1;
  for (const place of places) {
    let shared = 0;
    while (shared < place.length && shared < path.length - 1 && (place[shared] === path[shared] || (place[shared] === ANY && typeof path[shared] === 'number'))) shared++;
    // Of places sharing as much of the path, the shallowest: the pod's own field before a container's.
    if (shared > bestShared || (shared === bestShared && place.length < best!.length)) [best, bestShared] = [place, shared];
  }
  const shown = [...path.slice(0, bestShared), ...best!.slice(bestShared).map((p) => (p === ANY ? '*' : p))];
  let out = '';
  for (const seg of shown) out += typeof seg === 'number' || seg === '*' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** Set by the generated fit functions when they pass a null list item or map value. */
const fitState = { nulls: false };
let lastFitted: unknown;
let lastFitHadNulls = false;

const fits: { lenient?: Record<string, (v: unknown) => boolean>; strict?: Record<string, (v: unknown) => boolean> } = {};

/**
 * Whether an object of a kind fits its type (true for other kinds), by the generated functions.
 * `strict`: a key the type does not have is a misfit too, as under kubectl's default strict
 * field validation; otherwise it is ignored, as Go's decoder does.
 */
export function objectFits(kind: string, obj: unknown, strict = false): boolean {
  const table = strict ? (fits.strict ??= fitMaker()(FORMATS, fitState, true)) : (fits.lenient ??= fitMaker()(FORMATS, fitState, false));
  const fit = table[kind];
  fitState.nulls = false;
  const ok = !fit || fit(obj);
  // Only a fit that passed has seen every value: one that stopped early knows nothing of the rest.
  lastFitted = ok ? obj : undefined;
  lastFitHadNulls = fitState.nulls;
  return ok;
}

/**
 * Go's zero value of a node's type: what its decoder stores for a null list item or map value
 * (a label `enforce: ~` is the empty string). Null for types without one in JSON (maps, slices).
 */
function zeroValue(node: SchemaNode | undefined): unknown {
  node = resolveNode(node);
  if (!node?.type) return null;
  if (node.format === 'quantity') return '0';
  // Go writes a zero metav1.Time as null.
  if (node.format === 'time') return null;
  if (node.format === 'int-or-string') return 0;
  const types = node.type.filter((t) => t !== 'null');
  if (types.length !== 1) return null;
  switch (types[0]) {
    case 'string': return '';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'object': return node.properties ? {} : null;
    default: return null;
  }
}

function resolveNode(node: SchemaNode | undefined): SchemaNode | undefined {
  const { $defs } = decodeSchema();
  while (node?.$ref) node = $defs[node.$ref.replace('#/$defs/', '')];
  return node;
}

/** Copy-on-write: the value with null list items and map values replaced by their zero values. */
function fillZeroValues(node: SchemaNode | undefined, value: unknown): unknown {
  node = resolveNode(node);
  if (!node || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const filled = item === null ? zeroValue(node.items) : fillZeroValues(node.items, item);
      if (filled !== item) (out ??= value.slice())[i] = filled;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
    // A null struct field stays null: Go leaves the field unset, as if it were absent.
    const filled = field ? fillZeroValues(field, item) : item === null ? zeroValue(node.additionalProperties) : fillZeroValues(node.additionalProperties, item);
    if (filled !== item) Object.defineProperty((out ??= { ...value }), key, { value: filled, enumerable: true, writable: true, configurable: true });
  }
  return out ?? value;
}

/**
 * The object as Go's decoder fills it: a null list item or map value becomes its type's zero
 * value. Returns the object itself when it has none (known at no cost right after objectFits
 * passed for it; otherwise the object is walked).
 */
export function withZeroValues(kind: string, obj: unknown): unknown {
  if (obj === lastFitted && !lastFitHadNulls) return obj;
  const root = decodeSchema().roots[kind];
  return root ? fillZeroValues({ $ref: root }, obj) : obj;
}

/** The fields of an object of a kind (Pod, Deployment, …) that do not decode; [] for other kinds. */
export function objectFieldTypeErrors(kind: string, obj: unknown, limit = 10, strict = false): FieldTypeProblem[] {
  if (objectFits(kind, obj, strict)) return [];
  const validate = schemaValidators('decode')[kind];
  const problems = validate ? typeErrors(validate, obj, limit) : [];
  return problems.length >= limit ? problems : problems.concat(valueProblems(kind, obj, limit - problems.length, strict));
}
