/**
 * Tables of what the API server's validation refuses, compiled into functions: the pod spec's
 * (pod-spec-refusals.json), a workload's own spec's and a claim template's. Every object runs all
 * of a table's rules and almost none holds, so the rules become generated code rather than being
 * read per object. A build writes that code beside each table (*.compiled.cjs); a run generates
 * it only where the table or this module changed since.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireGenerated } from '../engine/code-cache.js';
import { sha256Hex, stampsMatch, stampsOf } from '../engine/stamps.js';
import { formatFieldPath } from '../engine/paths.js';
import { GO_SPACE_AT_ENDS, goJson, goNumber, goQuote } from './gostrings.js';
import type { PodOsError } from './pod-os.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a test reads its value. */
interface Read {
  path?: string[];
  /** 'spec': the pod spec; 'outer': the item of the outermost list a nested 'each' walks (the container of a port). */
  from?: 'spec' | 'outer';
  annotation?: string;
  inherit?: string[];
  capture?: string;
  /** The value defaulting gives the field where it is unset (or null). */
  default?: Json;
  /** Read as upstream's getIntOrPercentValue counts an int-or-string (see intOrPercentValue). */
  intOrPercent?: true;
  /** A string of decimal digits (a sign before them) read as the number it writes; anything else as unset. */
  decimal?: true;
}

/**
 * The items of a list as a Go map built from it: only those with one of the 'having' fields set, and
 * with 'keyedBy', only the last item of each value of that field (a later one replaces an earlier).
 */
interface ItemsRead extends Read {
  field: string;
  having?: string[];
  keyedBy?: string;
}

interface Test extends Read {
  is?: Json;
  isNot?: Json;
  set?: boolean;
  empty?: boolean;
  in?: Json[];
  notIn?: Json[];
  includes?: Json;
  padded?: boolean;
  outside?: [number, number];
  matches?: string;
  notMatches?: string;
  longer?: number;
  atMost?: number;
  /** A number below, or above, this one. */
  lessThan?: number;
  greaterThan?: number;
  /** A list of more items than this. */
  itemsMoreThan?: number;
  /** A list of numbers with one smaller than the one before it. */
  unordered?: true;
  /** A number no greater, or greater, than the one another read gives. */
  notAbove?: Read;
  exceeds?: Read;
  differs?: Read;
  duplicate?: boolean;
  namedIn?: string[];
  notNamedIn?: string[];
  /** The value is (or is not) the 'field' of an item of the list another read gives (see ItemsRead). */
  among?: ItemsRead;
  notAmong?: ItemsRead;
  of?: 'pod' | 'template';
  any?: Test[][];
  /** In a rule with 'for': some field before this one in that list is set on the subject. */
  setEarlier?: true;
  /** Some of these fields of the value read is set (present, not null). */
  anySet?: string[];
  /** The field read (the last of 'path') is set, and no field before it in that list of 'lists' is set beside it. */
  firstOf?: string;
  /** The fields of the list 'firstOf' names, filled in when the check is compiled. */
  firstOfFields?: string[];
}

interface Rule {
  /** One rule for each field this list of the table names, written with {item} for it. */
  for?: string;
  when?: Test[];
  containers?: Test[][];
  at: string[];
  shown?: string[];
  /**
   * Where the path upstream prints starts, when not at the item walked: 'list', the list without
   * the item's index (`volumeMounts.subPath`); 'outer', the item of the outer list (`volumes[0].downwardAPI.path`);
   * 'parent', what holds the list walked (`volumes[0].projected.sources[1].downwardAPI.path`).
   */
  shownFrom?: 'list' | 'outer' | 'parent';
  print?: Read;
  /** The value printed where the field is unset: Go's zero value of its type. */
  zero?: Json;
  body: string;
  hint: string;
}

interface Use {
  use: string;
  base: string[];
  annotation?: string;
  /** Tests each inserted rule also needs (read from the subject, not under 'base'). */
  when?: Test[];
  /** Where the paths upstream prints for the inserted rules start, and under which path (as a rule's). */
  shownFrom?: 'list' | 'outer' | 'parent';
  shown?: string[];
}

/** Annotations picked by their key, or by a prefix of it. */
interface Selector {
  key?: string;
  prefix?: string;
}

interface Check {
  each?: (string | string[])[];
  annotations?: Selector & { shown: 'child' | 'key' };
  ifAnnotation?: Selector;
  rules: (Rule | Use)[];
}

export interface SpecRefusal extends PodOsError {
  /** The path upstream prints, from the pod spec, where it differs from `path`. */
  shown?: (string | number)[];
  /** `path` is from the object (the Pod, the template), not from its spec. */
  object?: true;
  /** The path upstream prints from the object, where it is not one formatFieldPath writes. */
  shownText?: string;
}

/** A field of an internal Go struct, as encoding/json writes it: its Go name, the manifest's field, and how an unset one prints. */
interface StructField {
  go: string;
  field: string;
  /** A struct of the table: the field is a pointer to it. */
  struct?: string;
  /** The zero value of a field that is no pointer (unset: null). */
  zero?: Json;
}

/** A table as its JSON file gives it: named field lists, shared rules, internal structs, and its checks by phase. */
export interface TableSource {
  /** Fields a rule with 'for' is written once for: a name, or a name and the word upstream prints for it. */
  lists?: Record<string, (string | { field: string; shown: string })[]>;
  shared?: Record<string, (Rule | Use)[]>;
  structs?: Record<string, StructField[]>;
  [phase: string]: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a path of object keys and list indexes; undefined where there is none. */
export function at(node: unknown, path: readonly (string | number)[]): unknown {
  for (const key of path) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}


/**
 * What a table's generated code reads beside the subject, gathered while it is generated: its
 * regular expressions (as sources: Unicode mode, a character is a rune, as in Go), the field lists
 * some tests take, and the annotation keys and prefixes it looks for (an object's once, as bits).
 */
class CodeParts {
  readonly regexes: string[] = [];
  readonly fieldLists: string[][] = [];
  readonly selectors: Selector[] = [];
  private readonly regexIndex = new Map<string, number>();
  private readonly fieldListIndex = new Map<string, number>();

  re(source: string): string {
    let k = this.regexIndex.get(source);
    if (k === undefined) this.regexIndex.set(source, (k = this.regexes.push(source) - 1));
    return `R[${k}]`;
  }

  fieldList(fields: string[]): string {
    const key = fields.join('\0');
    let k = this.fieldListIndex.get(key);
    if (k === undefined) this.fieldListIndex.set(key, (k = this.fieldLists.push(fields) - 1));
    return `F[${k}]`;
  }

  selectorBit(s: Selector): number {
    let k = this.selectors.findIndex((x) => x.key === s.key && x.prefix === s.prefix);
    if (k < 0) k = this.selectors.push({ ...(s.key !== undefined ? { key: s.key } : {}), ...(s.prefix !== undefined ? { prefix: s.prefix } : {}) }) - 1;
    if (k > 30) throw new Error('a refusal table reads too many annotation keys');
    return 1 << k;
  }
}

/** The first group `re` captures in a string; "" where it does not match. */
function capture(pattern: RegExp, v: unknown): unknown {
  if (typeof v !== 'string') return undefined;
  return pattern.exec(v)?.[1] ?? '';
}

/**
 * An int-or-string as upstream's getIntOrPercentValue counts it: a number as it is, a percent
 * string ("25%") its number, another string the whole number Go's Atoi reads in it, else 0.
 */
export function intOrPercentValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  // Most objects read the same text (the defaults' "25%") again and again.
  if (v === lastIntOrPercent.text) return lastIntOrPercent.value;
  const m = /^(?:([0-9]+)%|([+-]?[0-9]+))$/.exec(v);
  const value = m ? Number(m[1] ?? m[2]) : 0;
  lastIntOrPercent = { text: v, value };
  return value;
}
let lastIntOrPercent = { text: '25%', value: 25 };

/** A list of numbers with one smaller than the one before it. */
function unordered(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 1; i < v.length; i++) if ((v[i - 1] as number) > (v[i] as number)) return true;
  return false;
}

/** Go's len: bytes of UTF-8. */
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Whether an earlier item of the list walked has the same value at `path`. */
function duplicate(list: unknown[] | null, i: number, path: readonly string[], v: unknown): boolean {
  if (list === null) return false;
  for (let j = 0; j < i; j++) if (at(list[j], path) === v) return true;
  return false;
}

/** Whether some of these fields of `v` is set. */
function anySet(v: unknown, fields: readonly string[]): boolean {
  if (!isObject(v)) return false;
  for (const f of fields) if (v[f] != null) return true;
  return false;
}

/** A decimal integer's text as its number (strconv.ParseInt's base 10, which takes a sign); undefined for other values. */
function decimalValue(v: unknown): number | undefined {
  return typeof v === 'string' && /^[+-]?[0-9]+$/.test(v) ? Number(v) : undefined;
}

/** Whether an item of the list (as an ItemsRead picks them) has this value at `field`; unset counts as "", Go's zero string. */
function among(list: unknown, field: string, having: readonly string[] | null, keyedBy: string | null, v: unknown): boolean {
  if (!Array.isArray(list)) return false;
  const value = v ?? '';
  for (let j = 0; j < list.length; j++) {
    const item: unknown = list[j];
    if (!isObject(item) || (item[field] ?? '') !== value) continue;
    if (having !== null && !having.some((h) => item[h] != null)) continue;
    if (keyedBy !== null && list.slice(j + 1).some((later) => isObject(later) && (later[keyedBy] ?? '') === (item[keyedBy] ?? ''))) continue;
    return true;
  }
  return false;
}

/** Whether an item of one of these lists of the spec has this name. */
function named(spec: Record<string, unknown>, lists: readonly string[], name: unknown): boolean {
  for (const list of lists) {
    // A dotted name is a path: "template.spec.containers".
    const items = list.includes('.') ? at(spec, list.split('.')) : spec[list];
    if (Array.isArray(items)) for (const c of items) if (isObject(c) && c.name === name) return true;
  }
  return false;
}

const read = (from: string, path: readonly string[]): string => from + path.map((k) => `?.[${JSON.stringify(k)}]`).join('');
const lit = (v: Json): string => JSON.stringify(v);

/** A read as an expression over `s` (the subject), `spec` and `A` (the object's annotations). */
function readExpr(r: Read, p: CodeParts): string {
  let v: string;
  if (r.annotation !== undefined) {
    const [before, after] = r.annotation.split('{name}') as [string, string | undefined];
    v = after === undefined ? `A?.[${lit(before)}]` : `(typeof s?.name === "string" ? A?.[${lit(before)} + s.name + ${lit(after)}] : undefined)`;
  } else v = read(r.from === 'spec' ? 'spec' : r.from === 'outer' ? 'O?.[o]' : 's', r.path ?? []);
  if (r.inherit) v = `(${v} ?? ${read('spec', r.inherit)})`;
  if (r.capture !== undefined) v = `CAP(${p.re(r.capture)}, ${v})`;
  if (Object.hasOwn(r, 'default')) v = `(${v} ?? ${lit(r.default!)})`;
  if (r.intOrPercent) v = `IOP(${v})`;
  if (r.decimal) v = `DEC(${v})`;
  return v;
}

/** The same read, done once (for the value an error prints). */
function readValue(r: Read, s: unknown, spec: Record<string, unknown>, A: Record<string, unknown> | undefined): unknown {
  let v: unknown;
  if (r.annotation !== undefined) {
    const [before, after] = r.annotation.split('{name}') as [string, string | undefined];
    const name = isObject(s) ? s.name : undefined;
    v = after === undefined ? A?.[before] : typeof name === 'string' ? A?.[before + name + after] : undefined;
  } else {
    v = at(r.from === 'spec' ? spec : s, r.path ?? []);
  }
  if (r.inherit) v ??= at(spec, r.inherit);
  if (r.capture !== undefined) v = capture(new RegExp(r.capture, 'u'), v);
  if (Object.hasOwn(r, 'default')) v ??= r.default;
  if (r.intOrPercent) v = intOrPercentValue(v);
  if (r.decimal) v = decimalValue(v);
  return v;
}

/** A test as an expression over `s`, `spec`, `A`, `pod` (a Pod's spec, not a template's) and `L`, `i` (the list walked, the index). */
function testExpr(t: Test, p: CodeParts): string {
  if (t.any) return `(${t.any.map((g) => `(${g.map((x) => testExpr(x, p)).join(' && ') || 'true'})`).join(' || ') || 'false'})`;
  if (t.of) return `(pod === ${t.of === 'pod'})`;
  const conds: string[] = [];
  if (t.set !== undefined) conds.push(t.set ? `v != null` : `v == null`);
  if (Object.hasOwn(t, 'is')) conds.push(`v === ${lit(t.is!)}`);
  if (Object.hasOwn(t, 'isNot')) conds.push(`v !== ${lit(t.isNot!)}`);
  // Go's len(x) == 0, for a string or a list.
  if (t.empty !== undefined) conds.push(`${t.empty ? '' : '!'}(v == null || v === "" || (Array.isArray(v) && v.length === 0))`);
  if (t.in) conds.push(`(${t.in.map((x) => `v === ${lit(x)}`).join(' || ') || 'false'})`);
  if (t.notIn) conds.push(`!(${t.notIn.map((x) => `(v ?? "") === ${lit(x)}`).join(' || ') || 'false'})`);
  if (Object.hasOwn(t, 'includes')) conds.push(`(Array.isArray(v) && v.includes(${lit(t.includes!)}))`);
  if (t.padded) conds.push(`(typeof v === "string" && PADDED.test(v))`);
  if (t.outside) conds.push(`(typeof v === "number" && (v < ${t.outside[0]} || v > ${t.outside[1]}))`);
  if (t.matches !== undefined) conds.push(`(typeof v === "string" && ${p.re(t.matches)}.test(v))`);
  if (t.notMatches !== undefined) conds.push(`(typeof v === "string" && !${p.re(t.notMatches)}.test(v))`);
  // At most three bytes of UTF-8 a UTF-16 unit: most strings are told short without counting.
  if (t.longer !== undefined) conds.push(`(typeof v === "string" && v.length * 3 > ${t.longer} && BYTES(v) > ${t.longer})`);
  if (t.atMost !== undefined) conds.push(`(typeof v === "string" && (v.length * 3 <= ${t.atMost} || BYTES(v) <= ${t.atMost}))`);
  if (t.itemsMoreThan !== undefined) conds.push(`(Array.isArray(v) && v.length > ${t.itemsMoreThan})`);
  if (t.unordered) conds.push(`UNORDERED(v)`);
  if (t.lessThan !== undefined) conds.push(`(typeof v === "number" && v < ${t.lessThan})`);
  if (t.greaterThan !== undefined) conds.push(`(typeof v === "number" && v > ${t.greaterThan})`);
  if (t.notAbove) conds.push(`(typeof v === "number" && v <= ${readExpr(t.notAbove, p)})`);
  if (t.exceeds) conds.push(`(typeof v === "number" && v > ${readExpr(t.exceeds, p)})`);
  if (t.differs) conds.push(`v !== ${readExpr(t.differs, p)}`);
  if (t.duplicate !== undefined) conds.push(`${t.duplicate ? '' : '!'}DUP(L, i, ${p.fieldList(t.path ?? [])}, v)`);
  if (t.anySet) conds.push(`ANYSET(v, ${p.fieldList(t.anySet)})`);
  if (t.firstOf !== undefined) {
    const path = t.path ?? [];
    const earlier = t.firstOfFields!;
    const k = earlier.indexOf(path[path.length - 1] ?? '');
    conds.push(`v != null`);
    if (k > 0) conds.push(`!ANYSET(${readExpr({ ...t, path: path.slice(0, -1) }, p)}, ${p.fieldList(earlier.slice(0, k))})`);
  }
  for (const [items, not] of [[t.among, ''], [t.notAmong, '!']] as const) {
    if (items) conds.push(`${not}AMONG(${readExpr(items, p)}, ${lit(items.field)}, ${items.having ? p.fieldList(items.having) : 'null'}, ${lit(items.keyedBy ?? null)}, v)`);
  }
  if (t.namedIn) conds.push(`NAMED(spec, ${p.fieldList(t.namedIn)}, v)`);
  if (t.notNamedIn) conds.push(`!NAMED(spec, ${p.fieldList(t.notNamedIn)}, v)`);
  return `(v = ${readExpr(t, p)}, ${conds.join(' && ') || 'true'})`;
}

/** A check's rules in order; those a 'use' inserts are tested only where its base is set. */
type Node = { rule: number } | { guard: string[]; nodes: Node[] };

/** What reporting a rule that holds reads of its check: where the check walks, and its rules' words. */
interface CheckText {
  /** The lists 'each' walks, as paths from the spec. */
  lists: string[][] | null;
  annotations: Check['annotations'] | null;
  rules: Rule[];
}

interface CompiledCheck extends CheckText {
  /** The annotation key or prefix without which the check is skipped. */
  needs: Selector | null;
  nodes: Node[];
}

/**
 * A rule that holds: the check and rule (indexes), its subject, and where that is (the index of
 * the list walked and in it, or the annotation's key).
 */
type Hit = (check: number, rule: number, s: unknown, list: number, i: number, key: string | undefined, outer: number | number[]) => void;
/** A phase of the table (before or after the OS checks) run on a spec: each rule that holds is reported as it is found. */
type Phase = (spec: Record<string, unknown>, A: Record<string, unknown> | undefined, pod: boolean, bits: number, H: Hit) => void;

/** The names a table's generated code knows its helpers by, in the order its factory takes them. */
const HELPERS = ['PADDED', 'R', 'CAP', 'BYTES', 'DUP', 'NAMED', 'ANYSET', 'F', 'hasOwn', 'IOP', 'UNORDERED', 'AMONG', 'DEC'] as const;
function helpers(regexes: readonly string[], fieldLists: readonly string[][]): unknown[] {
  const R = regexes.map((source) => new RegExp(source, 'u'));
  return [GO_SPACE_AT_ENDS, R, capture, bytes, duplicate, named, anySet, fieldLists, Object.hasOwn, intOrPercentValue, unordered, among, decimalValue];
}
/** What a group of rules generated apart reads from the code around it. */
const APART_ARGS = 's, spec, A, pod, L, i, O, o, w, name, H';
const RULES_APART = 2;
const countRules = (node: Node): number => ('guard' in node ? node.nodes.reduce((n, x) => n + countRules(x), 0) : 1);
// V8 does not optimize a function of more than 60 KB of bytecode: one that big ran 15 times slower.
const MAX_GENERATED_SOURCE = 48000;

/**
 * A table's checks as the source of one factory function, which takes the helpers (HELPERS) and
 * returns each phase's function and the annotation scan. Every pod and template runs all the
 * checks and almost no rule holds, so reading the table, or calling a function a check, would
 * cost more than the checks themselves (a table read per rule cost 5 µs a pod). Field types are
 * checked before (an object with a field of the wrong type is refused first). The same source is
 * run when a table is first used, or written at build time (writePrecompiledTables).
 */
function tableSource(phases: readonly CompiledCheck[][], p: CodeParts): string {
  // "Some container passes all of this group's tests", over every container of the spec; the
  // three lists read by name, as a read by a varying key is a slower one, twice a pod.
  const groups: string[] = [];
  // Most objects leave a group's base unset (a probe, a hook), or have no item of a list (volumes,
  // env): its rules go into a function of their own, compiled when first called. What every object
  // runs stays small, which matters in a run's first thousands of objects: V8 optimizes a function
  // after running a share of its code that grows with its size, and compiles a large one slowly.
  const apart: string[] = [];
  const emitRule = (c: number, rule: Rule, r: number, where: string): string => {
    const conds = (rule.when ?? []).map((t) => testExpr(t, p));
    for (const group of rule.containers ?? []) {
      groups.push(`(function () {
  const test = function (s, spec, A, pod, L, i) { let v; return ${group.map((t) => testExpr(t, p)).join(' && ') || 'true'}; };
  const some = function (items, spec, A, pod) { if (Array.isArray(items)) for (let i = 0; i < items.length; i++) if (test(items[i], spec, A, pod, null, -1)) return true; return false; };
  return function (spec, A, pod) { return some(spec.initContainers, spec, A, pod) || some(spec.containers, spec, A, pod) || some(spec.ephemeralContainers, spec, A, pod); };
})()`);
      conds.push(`G[${groups.length - 1}](spec, A, pod)`);
    }
    return `if (${conds.join(' && ') || 'true'}) H(${c}, ${r}, s, ${where});`;
  };
  const callApart = (body: string): string => `U[${apart.push(`function (${APART_ARGS}) { let v; ${body} }`) - 1}](${APART_ARGS});`;
  const emit = (c: number, check: CompiledCheck, node: Node, where: string): string => {
    if (!('guard' in node)) return emitRule(c, check.rules[node.rule]!, node.rule, where);
    const body = node.nodes.map((n) => emit(c, check, n, where)).join(' ');
    const test = `${read('s', node.guard)} != null`;
    return countRules(node) < RULES_APART ? `if (${test}) { ${body} }` : `if (${test}) ${callApart(body)}`;
  };
  const checkSource = (check: CompiledCheck, c: number): string => {
    const rules = (where: string): string => check.nodes.map((n) => emit(c, check, n, where)).join(' ');
    const itemRules = (where: string): string =>
      check.nodes.reduce((n, x) => n + countRules(x), 0) < RULES_APART ? rules(where) : callApart(rules(where));
    let code: string;
    if (check.annotations) {
      const { key, prefix } = check.annotations;
      const picked = key !== undefined ? `name === ${lit(key)}` : `name.startsWith(${lit(prefix!)})`;
      const after = key !== undefined ? '""' : `name.slice(${prefix!.length})`;
      code = `for (const name in A) { if (!(${picked})) continue; s = { name: ${after}, value: A[name] }; L = null; i = -1; ${rules('-1, -1, name, -1')} }`;
    } else if (!check.lists) code = `s = spec; L = null; i = -1; ${rules('-1, -1, undefined, -1')}`;
    else {
      code = check.lists.map((path, l) => {
        const star = path.indexOf('*');
        const walk = (list: string, outer: string): string =>
          `L = ${list}; if (Array.isArray(L)) for (i = 0; i < L.length; i++) { s = L[i]; ${itemRules(`${l}, i, undefined, ${outer}`)} }`;
        if (star < 0) return walk(read('spec', path), '-1');
        // Nesting (each container's ports): `o` is the index in the outermost list; deeper ones
        // (a projected volume's sources' items) go into `w`, all the indexes.
        const stars = path.flatMap((k, n) => (k === '*' ? [n] : []));
        if (stars.length === 1) return `O = ${read('spec', path.slice(0, star))}; if (Array.isArray(O)) for (o = 0; o < O.length; o++) { ${walk(read('O[o]', path.slice(star + 1)), 'o')} }`;
        const inner = (k: number, from: string): string => {
          const list = path.slice(stars[k - 1]! + 1, stars[k]);
          if (k === stars.length) return `w = [o, ${stars.slice(1).map((_, n) => `o${n + 1}`).join(', ')}]; ${walk(read(from, path.slice(stars[k - 1]! + 1)), 'w')}`;
          return `const O${k} = ${read(from, list)}; if (Array.isArray(O${k})) for (let o${k} = 0; o${k} < O${k}.length; o${k}++) { ${inner(k + 1, `O${k}[o${k}]`)} }`;
        };
        return `O = ${read('spec', path.slice(0, star))}; if (Array.isArray(O)) for (o = 0; o < O.length; o++) { ${inner(1, 'O[o]')} }`;
      }).join(' ');
    }
    return check.needs ? `if ((bits & ${p.selectorBit(check.needs)}) !== 0) { ${code} }` : code;
  };
  const phaseSource = (list: readonly CompiledCheck[]): string => {
    // The checks go into functions of a bounded size, which one more calls in turn.
    const chunks: string[] = [];
    let chunk = '';
    for (const body of list.map(checkSource)) {
      if (chunk !== '' && chunk.length + body.length > MAX_GENERATED_SOURCE) {
        chunks.push(chunk);
        chunk = '';
      }
      chunk += `${body}\n`;
    }
    if (chunk !== '') chunks.push(chunk);
    const parts = chunks.map((body) => `function (spec, A, pod, bits, H) { let v, s, L, i, O, o, w, name;\n${body}}`);
    if (parts.length === 1) return parts[0]!;
    return `(function () {\n  const P = [${parts.join(',\n')}];\n  return function (spec, A, pod, bits, H) { ${parts.map((_, k) => `P[${k}](spec, A, pod, bits, H);`).join(' ')} };\n})()`;
  };
  const run = phases.map(phaseSource);
  return `function (${HELPERS.join(', ')}) {
const G = [${groups.join(',\n')}];
const U = [${apart.join(',\n')}];
return { run: [${run.join(',\n')}], scan: ${scanSource(p.selectors)} };
}`;
}

/** Which of the table's annotation keys and prefixes an object has, as bits, in one pass over its keys. */
function scanSource(selectors: readonly Selector[]): string {
  const keys = selectors.flatMap((x, k) => (x.key !== undefined ? [`if (hasOwn(A, ${lit(x.key)})) bits |= ${1 << k};`] : []));
  const prefixes = selectors.flatMap((x, k) => (x.prefix !== undefined ? [{ prefix: x.prefix, bit: 1 << k }] : []));
  let scan = '';
  if (prefixes.length > 0) {
    // What the prefixes share is looked for first: most annotations have none of it.
    let common = prefixes[0]!.prefix;
    for (const { prefix } of prefixes) while (!prefix.startsWith(common)) common = common.slice(0, -1);
    scan = `for (const name in A) { if (!name.startsWith(${lit(common)})) continue; ${prefixes.map(({ prefix, bit }) => `if (name.startsWith(${lit(prefix)})) bits |= ${bit};`).join(' ')} }`;
  }
  return `function (A) { let bits = 0; ${keys.join(' ')} ${scan} return bits; }`;
}

/** A shared rule under its 'use': paths below the base, "{annotation}" read as the use says. */
function under(use: Use, rule: Rule): Rule {
  const readUnder = <T extends Read>(t: T): T => ({
    ...t,
    ...(t.annotation === undefined && t.from === undefined ? { path: [...use.base, ...(t.path ?? [])] } : {}),
    ...(t.annotation === '{annotation}' ? { annotation: use.annotation! } : {}),
  });
  const testUnder = (t: Test): Test => {
    if (t.of) return t;
    if (t.any) return { any: t.any.map((g) => g.map(testUnder)) };
    return { ...readUnder(t), ...(t.differs ? { differs: readUnder(t.differs) } : {}), ...(t.notAbove ? { notAbove: readUnder(t.notAbove) } : {}), ...(t.exceeds ? { exceeds: readUnder(t.exceeds) } : {}),
      ...(t.among ? { among: readUnder(t.among) } : {}), ...(t.notAmong ? { notAmong: readUnder(t.notAmong) } : {}) };
  };
  const shownBase = use.shown ?? use.base;
  return {
    ...rule,
    at: [...use.base, ...rule.at],
    // A value its body prints as JSON is under the base too.
    body: rule.body.replace(/\{(json|length|field|go:\w+):([\w.]*)([=}])/g, (_, what: string, path: string, end: string) =>
      `{${what}:${[...use.base, ...(path ? path.split('.') : [])].join('.')}${end}`),
    ...(use.shownFrom ? { shownFrom: use.shownFrom, shown: [...shownBase, ...(rule.shown ?? rule.at)] } : {}),
    ...(!use.shownFrom && (rule.shown || use.shown) ? { shown: [...shownBase, ...(rule.shown ?? rule.at)] } : {}),
    ...(rule.print ? { print: readUnder(rule.print) } : {}),
    ...(rule.when || use.when ? { when: [...(use.when ?? []), ...(rule.when ?? []).map(testUnder)] } : {}),
  };
}

/** What compiling a table reads from it, and names it by in errors. */
interface Source {
  file: string;
  table: TableSource;
}

/** The fields of a named list of the table. */
function listItems(src: Source, name: string): (string | { field: string; shown: string })[] {
  const items = src.table.lists?.[name];
  if (!items) throw new Error(`${src.file}: no list named ${name}`);
  return items;
}
const listFields = (src: Source, name: string): string[] => listItems(src, name).map((x) => (typeof x === 'string' ? x : x.field));

/** A rule with 'for' as one rule per field of its list (none for the first, where 'setEarlier' cannot hold). */
function expand(src: Source, rule: Rule): Rule[] {
  if (rule.for === undefined) return [rule];
  const items = listItems(src, rule.for);
  const { for: _list, ...template } = rule;
  const fields = listFields(src, rule.for);
  return items.flatMap((x, k) => {
    const item = fields[k]!;
    const shown = typeof x === 'string' ? x : x.shown;
    const earlier = fields.slice(0, k);
    let impossible = false;
    const fill = (v: unknown): unknown => {
      if (typeof v === 'string') return v.replaceAll('{item}', item).replaceAll('{shown}', shown);
      if (Array.isArray(v)) return v.map(fill);
      if (!isObject(v)) return v;
      if (v.setEarlier) {
        if (Object.keys(v).length !== 1) throw new Error(`${src.file}: a test with 'setEarlier' has nothing else: ${JSON.stringify(v)}`);
        if (earlier.length === 0) impossible = true;
        return { path: [], anySet: earlier };
      }
      return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, fill(x)]));
    };
    const filled = fill(template) as Rule;
    return impossible ? [] : [filled];
  });
}

/** A test as the generated code needs it: its named list's fields looked up, its form checked. */
function resolveTest(src: Source, t: Test): Test {
  if ((t.any || t.of) && Object.keys(t).length !== 1) throw new Error(`${src.file}: a test with 'any' or 'of' has nothing else: ${JSON.stringify(t)}`);
  if (t.any) return { any: t.any.map((g) => g.map((x) => resolveTest(src, x))) };
  if (t.firstOf === undefined) return t;
  const path = t.path ?? [];
  const fields = listFields(src, t.firstOf);
  if (!fields.includes(path[path.length - 1] ?? '')) throw new Error(`${src.file}: ${JSON.stringify(path)} ends in no field of the list ${t.firstOf}`);
  return { ...t, firstOfFields: fields };
}

function resolveRule(src: Source, rule: Rule): Rule {
  if (rule.print?.from === 'outer') throw new Error(`${src.file}: a value printed cannot be read with from: 'outer'`);
  return {
    ...rule,
    ...(rule.when ? { when: rule.when.map((t) => resolveTest(src, t)) } : {}),
    ...(rule.containers ? { containers: rule.containers.map((g) => g.map((t) => resolveTest(src, t))) } : {}),
  };
}

function compile(src: Source, c: Check): CompiledCheck {
  const rules: Rule[] = [];
  // `uses`: the uses it is inserted by, innermost first; `base`: where the innermost one is, from the subject.
  const place = (r: Rule | Use, uses: readonly Use[], base: readonly string[]): Node[] => {
    if (!('use' in r)) {
      return expand(src, r).map((x) => ({ rule: rules.push(resolveRule(src, uses.reduce((rule, use) => under(use, rule), x))) - 1 }));
    }
    if (uses.length > 8) throw new Error(`${src.file}: shared rules named ${r.use} use themselves`);
    const shared = src.table.shared?.[r.use];
    if (!shared) throw new Error(`${src.file}: no shared rules named ${r.use}`);
    const guard = [...base, ...r.base];
    return [{ guard, nodes: shared.flatMap((x) => place(x, [r, ...uses], guard)) }];
  };
  const nodes: Node[] = c.rules.flatMap((r) => place(r, [], []));
  return {
    lists: c.each ? c.each.map((l) => (typeof l === 'string' ? [l] : l)) : null,
    annotations: c.annotations ?? null,
    needs: c.annotations ?? c.ifAnnotation ?? null,
    rules,
    nodes,
  };
}

/** A value as field.Error prints it (%v for numbers and bools, %q for strings). */
function goValue(v: unknown): string {
  if (typeof v === 'string') return goQuote(v);
  return typeof v === 'number' ? goNumber(v) : String(v);
}

/** A manifest's object as encoding/json writes the internal Go struct it decodes to (Go's field names, unset pointers null). */
function goStruct(structs: Record<string, StructField[]>, name: string, v: unknown): string {
  if (!isObject(v)) return 'null';
  const fields = structs[name]!.map((f) => {
    const x = v[f.field];
    const text = f.struct !== undefined ? goStruct(structs, f.struct, x) : x == null ? goJson(f.zero ?? null) : goJson(x);
    return `${goJson(f.go)}:${text}`;
  });
  return `{${fields.join(',')}}`;
}

export const isKeyElement = (p: string | number): boolean => typeof p === 'string' && p.startsWith('[') && p.endsWith(']');

/** A path as field.Path prints it, with Key() elements ("[storage]") as they are written. */
export function printedPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (isKeyElement(p) ? p : i === 0 ? formatFieldPath([p]) : formatFieldPath(['x', p]).slice(1))).join('');
}

// What the call under way has found: a table's run ends before another starts.
let tableNow: ReadyTable | null = null;
let phaseNow = 0;
let specNow: Record<string, unknown> = {};
let annotationsNow: Record<string, unknown> | undefined;
let podNow = false;
let found: SpecRefusal[] | null = null;
let seen: Set<string> | null = null;
let running = false;

/** A table's run inside another's: the outer run's state is put back after it. */
function nested(run: () => readonly SpecRefusal[]): readonly SpecRefusal[] {
  const state = { tableNow, phaseNow, specNow, annotationsNow, podNow, found, seen };
  running = false;
  try {
    return run();
  } finally {
    ({ tableNow, phaseNow, specNow, annotationsNow, podNow, found, seen } = state);
    running = true;
  }
}

/** A rule that holds, as an error (the same error twice is given once, as the API server's aggregate does). */
function hit(c: number, r: number, subject: unknown, list: number, i: number, key: string | undefined, outer: number | number[]): void {
  const words = tableNow!.words();
  const check = words.checks[phaseNow]![c]!;
  const rule = check.rules[r]!;
  const indexes = typeof outer === 'number' ? [outer] : outer;
  let star = 0;
  const base = list >= 0 ? [...check.lists![list]!.map((k) => (k === '*' ? indexes[star++]! : k)), i] : [];
  const path = key !== undefined ? ['metadata', 'annotations', key] : [...base, ...rule.at];
  const printed = (rule.print ? readValue(rule.print, subject, specNow, annotationsNow) : at(subject, rule.at)) ?? rule.zero;
  const body = rule.body.replaceAll('{value}', () => goValue(printed)).replaceAll('{text}', () => String(printed ?? ''))
    .replace(/\{field:([\w.]+)\}/g, (_, path: string) => String(at(subject, path.split('.')) ?? ''))
    .replace(/\{json:([\w.]*)=([^}]*)\}/g, (_, path: string, unset: string) => {
      const v = at(subject, path ? path.split('.') : []);
      return v == null ? unset : goJson(v);
    })
    .replace(/\{spec:([\w.]+)=([^}]*)\}/g, (_, path: string, unset: string) => {
      const v = at(specNow, path.split('.'));
      return v == null ? unset : goJson(v);
    })
    .replace(/\{length:([\w.]*)\}/g, (_, path: string) => {
      const v = at(subject, path ? path.split('.') : []);
      return String(Array.isArray(v) ? v.length : 0);
    })
    .replace(/\{go:(\w+):([\w.]*)\}/g, (_, name: string, path: string) => goStruct(words.structs, name, at(subject, path ? path.split('.') : [])));
  const error: SpecRefusal = { path, body, hint: rule.hint.replaceAll('{at}', rule.at.join('.')) };
  if (rule.shown || rule.shownFrom) {
    const from = rule.shownFrom === 'list' ? base.slice(0, -1)
      : rule.shownFrom === 'parent' ? base.slice(0, -2)
      : rule.shownFrom === 'outer' ? base.slice(0, check.lists![list]!.indexOf('*') + 1) : base;
    error.shown = [...from, ...(rule.shown ?? rule.at)];
    // "[storage]": upstream's field.Path Key(), printed as written.
    if (error.shown.some(isKeyElement)) error.shownText = printedPath(['spec', ...error.shown]);
  }
  if (key !== undefined) {
    error.object = true;
    error.shownText = `${podNow ? 'metadata.' : ''}annotations${check.annotations!.shown === 'key' ? `[${key}]` : `.${key}`}`;
  }
  // Two items' errors printed at their list are one line.
  keep(error);
}



export const NO_REFUSALS: readonly SpecRefusal[] = Object.freeze([]);

/** The errors the call under way has found so far (for code beside a table that depends on them). */
export function refusalsSoFar(): readonly SpecRefusal[] {
  return found ?? NO_REFUSALS;
}

/** Adds errors found by code beside a table (between its phases) to the call under way. */
export function addRefusals(errors: readonly SpecRefusal[]): void {
  for (let i = 0; i < errors.length; i++) keep(errors[i]!);
}

/** An error, unless the call under way has it already: upstream's aggregate drops a line printed twice. */
function keep(error: SpecRefusal): void {
  const dedup = JSON.stringify([error.shownText ?? error.shown ?? error.path, error.body]);
  seen ??= new Set();
  if (seen.has(dedup)) return;
  seen.add(dedup);
  (found ??= []).push(error);
}

export interface RefusalTable {
  /**
   * The errors of a subject (a pod spec, a workload's spec) and the object's annotations beside
   * it, phase after phase, in the table's order; `between(k)` runs after phase k, and may add
   * errors with addRefusals. Nothing is allocated for a subject that passes.
   */
  refusals(spec: Record<string, unknown>, annotations: unknown, of: 'pod' | 'template', between?: (phase: number, spec: Record<string, unknown>, of: 'pod' | 'template') => void): readonly SpecRefusal[];
}

/** A table's JSON file, beside this module (in the sources and in dist/). */
export function readTable(file: string): TableSource {
  return JSON.parse(tableText(file)) as TableSource;
}
const tableText = (file: string): string => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');

/** What reporting a rule that holds reads: each phase's checks' words and places, and the table's Go structs. */
interface Words {
  checks: CheckText[][];
  structs: Record<string, StructField[]>;
}

/** A table ready to run: each phase's function, the annotation scan, and (when a rule holds) its words. */
interface ReadyTable {
  run: Phase[];
  scan: (A: Record<string, unknown>) => number;
  words: () => Words;
}

/** A table's phases as generated code, and what that code reads beside it; `words` as JSON text. */
interface GeneratedTable {
  words: string;
  regexes: string[];
  fieldLists: string[][];
  source: string;
}

type Factory = (...helpers: unknown[]) => { run: Phase[]; scan: (A: Record<string, unknown>) => number };

function generate(src: Source, phases: readonly string[]): GeneratedTable {
  const { file } = src;
  const checks = phases.map((name) => {
    const list = src.table[name];
    if (!Array.isArray(list)) throw new Error(`${file}: no list of checks named ${name}`);
    return (list as Check[]).map((c) => compile(src, c));
  });
  const structs = src.table.structs ?? {};
  for (const rule of checks.flat().flatMap((c) => c.rules)) {
    for (const [, name] of rule.body.matchAll(/\{go:(\w+):/g)) if (!structs[name!]) throw new Error(`${file}: no struct named ${name}`);
  }
  for (const fields of Object.values(structs)) {
    for (const f of fields) if (f.struct !== undefined && !structs[f.struct]) throw new Error(`${file}: no struct named ${f.struct}`);
  }
  const parts = new CodeParts();
  const source = tableSource(checks, parts);
  // Reporting reads a rule's words and places, not its tests.
  const text = checks.map((list) => list.map(({ lists, annotations, rules }) => ({ lists, annotations, rules: rules.map(({ when: _w, containers: _c, ...rest }) => rest) })));
  return { words: JSON.stringify({ checks: text, structs } satisfies Words), regexes: parts.regexes, fieldLists: parts.fieldLists, source };
}

/** A table's code made ready; its words are parsed when a rule first holds (most objects pass). */
function ready(t: Omit<GeneratedTable, 'source'>, factory: Factory): ReadyTable {
  const { run, scan } = factory(...helpers(t.regexes, t.fieldLists));
  let words: Words | undefined;
  return { run, scan, words: () => (words ??= JSON.parse(t.words) as Words) };
}

/** The tables a build precompiles: every one made from a file beside this module. */
const madeFromFiles: { file: string; phases: readonly string[] }[] = [];
const precompiledFile = (file: string): string => fileURLToPath(new URL(`./${file.replace(/\.json$/, '')}.compiled.cjs`, import.meta.url));
const phasesKey = (phases: readonly string[]): string => phases.join(',');

/** What the generated code of a table file depends on: the file and the code that generates it. */
function sourceHash(file: string): string {
  return sha256Hex(readFileSync(fileURLToPath(import.meta.url)), '\0', tableText(file));
}
const sourceFiles = (file: string): string[] => [basename(fileURLToPath(import.meta.url)), file];
const here = (): string => dirname(fileURLToPath(import.meta.url));

interface PrecompiledModule {
  hash: string;
  /** The stamps of the files hashed: while they hold, the hash needs no computing. */
  stamps?: unknown;
  tables: Record<string, Omit<GeneratedTable, 'source'> & { make: Factory }>;
}
const precompiled = new Map<string, PrecompiledModule | null>();

/** A table's phases as a build wrote them, unless the file or this module changed since (or there is no build). */
function fromBuild(file: string, phases: readonly string[]): ReadyTable | undefined {
  let mod = precompiled.get(file);
  if (mod === undefined) {
    mod = null;
    try {
      const loaded = requireGenerated(precompiledFile(file)) as PrecompiledModule;
      if (stampsMatch(loaded.stamps, here(), sourceFiles(file)) || loaded.hash === sourceHash(file)) mod = loaded;
    } catch {
      // No build (running from the sources): the table is generated when first used.
    }
    precompiled.set(file, mod);
  }
  const entry = mod?.tables[phasesKey(phases)];
  return entry ? ready(entry, entry.make) : undefined;
}

/** Where the code of each table file used so far came from: a build, or generated at its first use. */
export function tableOrigins(): Record<string, 'build' | 'generated'> {
  return Object.fromEntries([...precompiled].map(([file, mod]) => [file, mod ? 'build' : 'generated']));
}

/** Writes each table file's generated code beside it (run after a build): a run then starts without generating it. */
export function writePrecompiledTables(): string[] {
  const files = [...new Set(madeFromFiles.map((t) => t.file))];
  return files.map((file) => {
    const src: Source = { file, table: readTable(file) };
    const entries = madeFromFiles.filter((t) => t.file === file).map(({ phases }) => {
      const { source, ...data } = generate(src, phases);
      const fields = Object.entries(data).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
      return `${JSON.stringify(phasesKey(phases))}: {\n${fields.join(',\n')},\nmake: ${source}\n}`;
    });
    const target = precompiledFile(file);
    writeFileSync(target, `'use strict';\n// Generated by \`npm run build\` from ${file}; a change to it or to refusal-table.js makes a run ignore this file.\nmodule.exports = {\nhash: ${JSON.stringify(sourceHash(file))},\nstamps: ${JSON.stringify(stampsOf(here(), sourceFiles(file)))},\ntables: {\n${entries.join(',\n')}\n}\n};\n`);
    return target;
  });
}

/**
 * A table of refusals (see pod-spec-refusals.json for its language), from a JSON file beside this
 * module, or `parsed`; `phases` names its lists of checks, run in that order. Made on first use.
 */
export function refusalTable(file: string, phases: readonly string[], parsed?: TableSource): RefusalTable {
  if (!parsed && !madeFromFiles.some((t) => t.file === file && phasesKey(t.phases) === phasesKey(phases))) madeFromFiles.push({ file, phases });
  let compiled: ReadyTable | undefined;
  const table = (): ReadyTable => {
    if (compiled) return compiled;
    const built = parsed ? undefined : fromBuild(file, phases);
    if (built) return (compiled = built);
    const { source, ...data } = generate({ file, table: parsed ?? readTable(file) }, phases);
    return (compiled = ready(data, new Function(`return (${source});`)() as Factory));
  };
  return {
    refusals(spec, annotations, of, between) {
      // Code run between phases may run another table (a claim template's): the call under way
      // resumes after it. Only such a nested call saves the state, the usual one pays nothing.
      if (running) return nested(() => this.refusals(spec, annotations, of, between));
      const t = table();
      tableNow = t;
      const A = isObject(annotations) ? annotations : undefined;
      const bits = A === undefined ? 0 : t.scan(A);
      const pod = of === 'pod';
      specNow = spec;
      annotationsNow = A;
      podNow = pod;
      found = null;
      seen = null;
      running = true;
      try {
        for (let k = 0; k < t.run.length; k++) {
          phaseNow = k;
          t.run[k]!(spec, A, pod, bits, hit);
          between?.(k, spec, of);
        }
        return found ?? NO_REFUSALS;
      } finally {
        running = false;
        found = null;
        seen = null;
        annotationsNow = undefined;
      }
    },
  };
}
