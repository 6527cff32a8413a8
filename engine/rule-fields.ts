/**
 * Field names in custom rules checked against the Pod's API types: a misspelt field
 * (`$.imagePulPolicy`) is not an error to the engine, it only makes a rule that reads nothing;
 * nor is a comparison the field's type decides (`hostNetwork` equal to "true"). So they are
 * warnings (`evaluator.warnings`), not problems that stop the load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RuleProblem } from './errors.js';
import type { RuleTable } from './load.js';
import { closestKey } from './nearest.js';
import { OPERATORS } from './operators.js';
import { parsePath, type ParsedPath } from './paths.js';
import { schemaText } from './schema-files.js';
import { escapePointer, readYamlSource } from './yaml-source.js';

interface SchemaNode {
  $ref?: string;
  type?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  format?: string;
}
interface DecodeSchema {
  description: string;
  roots: Record<string, string>;
  $defs: Record<string, SchemaNode>;
}

let decodeSchema: DecodeSchema | undefined;
const schema = (): DecodeSchema => (decodeSchema ??= JSON.parse(schemaText('decode')) as DecodeSchema);

type Segment = ParsedPath['segments'][number];

/** The first segment of `segments` that the Pod's types do not have, with the names known there. */
function unknownField(segments: Segment[]): { at: number; known: string[] } | undefined {
  const { $defs, roots } = schema();
  const deref = (n: SchemaNode | undefined): SchemaNode | undefined => (n?.$ref ? deref($defs[n.$ref.slice('#/$defs/'.length)]) : n);
  let node = deref({ $ref: roots.Pod! });
  for (let i = 0; i < segments.length; i++) {
    if (!node) return undefined;
    const seg = segments[i]!;
    const open = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    if (seg.kind === 'key') {
      if (node.properties && !Object.hasOwn(node.properties, seg.key) && !open) return { at: i, known: Object.keys(node.properties) };
      node = deref((node.properties && Object.hasOwn(node.properties, seg.key) ? node.properties[seg.key] : undefined) ?? open);
    } else if (seg.kind === 'template') {
      // A name only known when evaluating: fine wherever the object takes any key.
      if (node.properties && !open) return undefined;
      node = deref(open);
    } else {
      node = deref(node.items ?? open);
    }
  }
  return undefined;
}

/** The JSON types (without null) of the field at `segments`, and of its items for a list; undefined where not known. */
function fieldTypes(segments: Segment[]): { types: string[]; items?: string[]; format?: string } | undefined {
  const { $defs, roots } = schema();
  const deref = (n: SchemaNode | undefined): SchemaNode | undefined => (n?.$ref ? deref($defs[n.$ref.slice('#/$defs/'.length)]) : n);
  let node = deref({ $ref: roots.Pod! });
  for (const seg of segments) {
    if (!node) return undefined;
    const open = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    if (seg.kind === 'key') node = deref((node.properties && Object.hasOwn(node.properties, seg.key) ? node.properties[seg.key] : undefined) ?? open);
    else if (seg.kind === 'template') node = deref(open);
    else node = deref(node.items ?? open);
  }
  if (!node) return undefined;
  const typesOf = (n: SchemaNode): string[] => (n.type ?? (n.properties || n.additionalProperties ? ['object'] : [])).filter((t) => t !== 'null');
  const types = typesOf(node);
  if (types.length === 0) return undefined;
  const items = node.items ? deref(node.items) : undefined;
  return { types, ...(items ? { items: typesOf(items) } : {}), ...(node.format ? { format: node.format } : {}) };
}

/** Whether a literal can be a value of a field of these JSON types. */
function fits(value: unknown, types: readonly string[]): boolean {
  if (typeof value === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  return types.includes(typeof value);
}

const a = (t: string): string => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const literal = (v: unknown): string => `the ${typeof v} ${JSON.stringify(v)}`;

/** Why a comparison can never hold for a field of these types, or undefined when it can. */
function mismatch(operator: string, values: readonly unknown[], field: { types: string[]; items?: string[] }): string | undefined {
  const op = OPERATORS[operator]?.compares;
  if (!op) return undefined;
  const outcome = op.negated ? 'always holds' : 'never holds';
  const kind = field.types.map(a).join(' or ');
  if (op.fact === 'string' && !field.types.includes('string')) return `it is ${kind}, not a string, so "${operator}" ${outcome}`;
  // A string field may hold a number's text (a label's value), so only other types are told.
  if (op.fact === 'number' && !field.types.some((t) => t === 'number' || t === 'integer' || t === 'string')) return `it is ${kind}, not a number or a quantity, so "${operator}" ${outcome}`;
  if (op.fact === 'object' && !field.types.includes('object')) return `it is ${kind}, not an object, so "${operator}" ${outcome}`;
  if (op.fact === 'list') {
    if (!field.types.includes('array')) return `it is ${kind}, not a list, so "${operator}" ${outcome}`;
    const bad = field.items ? values.filter((v) => !fits(v, field.items!)) : [];
    if (bad.length === values.length && bad.length > 0) return `its items are ${field.items!.map((t) => `${t}s`).join(' or ')}, so "${operator}" with ${literal(bad[0])} ${outcome}`;
  }
  if (op.fact === 'scalar') {
    const bad = values.filter((v) => !fits(v, field.types));
    if (bad.length === values.length && bad.length > 0) return `it is ${kind}, so "${operator}" with ${literal(bad[0])} ${outcome}`;
  }
  return undefined;
}

const showPath = (segments: Segment[]): string =>
  segments.map((s) => (s.kind === 'key' ? `.${s.key}` : s.kind === 'index' ? `[${s.index}]` : s.kind === 'wildcard' ? '[*]' : `.${s.parts.map((part, i) => (i % 2 ? `{${part}}` : part)).join('')}`)).join('').replace(/^\./, '');

type Leaf = { fact?: string; path?: string; operator?: string; value?: unknown };

/** The paths a Pod has: what is read under an unknown one is reported there, not again. */
const known = (bases: Segment[][]): Segment[][] => bases.filter((b) => unknownField(b) === undefined);
/** `compare`: the leaf's operator and the values it compares with, to check against the field's type. */
type Report = (pointer: string, text: string, candidates: Segment[][], compare?: { operator: string; values: unknown[] }) => void;

function parse(text: unknown): Segment[] | undefined {
  try {
    return typeof text === 'string' ? parsePath(text).segments : undefined;
  } catch {
    return undefined; // the loader has reported it
  }
}

/** The leaves of a condition, with their pointers. */
function leaves(cond: unknown, pointer: string, acc: { leaf: Leaf; pointer: string }[] = []): { leaf: Leaf; pointer: string }[] {
  if (!cond || typeof cond !== 'object') return acc;
  const c = cond as { all?: unknown[]; any?: unknown[]; not?: unknown } & Leaf;
  if (Array.isArray(c.all)) c.all.forEach((x, i) => leaves(x, `${pointer}/all/${i}`, acc));
  else if (Array.isArray(c.any)) c.any.forEach((x, i) => leaves(x, `${pointer}/any/${i}`, acc));
  else if (c.not !== undefined) leaves(c.not, `${pointer}/not`, acc);
  else acc.push({ leaf: c, pointer });
  return acc;
}

/** Reports each leaf's path: a pod fact from the pod, an element's from each base. "$" adds nothing; a key is no field. */
function reportLeaves(found: { leaf: Leaf; pointer: string }[], bases: Segment[][], report: Report, values: { segs?: Segment[] }[] = [], sets: Record<string, unknown[]> = {}): void {
  for (const { leaf, pointer } of found) {
    const segs = parse(leaf.path ?? '$');
    if (!segs || leaf.fact === 'key') continue;
    // The values compared with: a literal, a list, or a named set of this version.
    // A reference to a set not known here is not compared: it is no literal.
    const reference = leaf.value !== null && typeof leaf.value === 'object' && !Array.isArray(leaf.value);
    const named = reference ? sets[(leaf.value as { set?: string }).set ?? ''] : undefined;
    const compared = reference ? (Array.isArray(named) ? named : undefined) : leaf.value === undefined ? undefined : Array.isArray(leaf.value) ? leaf.value : [leaf.value];
    const compare = typeof leaf.operator === 'string' && compared ? { operator: leaf.operator, values: compared } : undefined;
    const text = leaf.path ?? '$';
    // "$" names no field of its own (the subject, or a value), unless compared.
    if (segs.length === 0 && (!compare || leaf.fact !== 'value')) continue;
    if (leaf.fact === 'pod') report(`${pointer}/path`, text, [segs], compare);
    else if (leaf.fact === 'value') report(`${pointer}/${leaf.path === undefined ? 'operator' : 'path'}`, text, values.flatMap((val) => (val.segs ? bases.map((base) => [...base, ...val.segs!, ...segs]) : [])), compare);
    else report(`${pointer}/path`, text, bases.map((base) => [...base, ...segs]), compare);
  }
}

/** A rule file's paths, resolved through the findings' scopes. */
function lintRule(data: unknown, scopes: RuleTable['scopes'], resolved: readonly { sets: Record<string, unknown[]> }[], report: Report): void {
  const versions = (data as { versions?: unknown[] } | undefined)?.versions ?? [];
  versions.forEach((entry, vi) => {
    const v = entry as { findings?: Record<string, { in?: string | string[]; values?: string[]; when?: unknown; record?: Leaf; at?: unknown }>; exemptWhen?: unknown };
    // The sets as this version has them: inherited, added to, or removed from.
    const sets = resolved[vi]?.sets ?? {};
    reportLeaves(leaves(v.exemptWhen, `/versions/${vi}/exemptWhen`).map((l) => ({ ...l, leaf: { ...l.leaf, fact: 'pod' } })), [], report, [], sets);
    for (const [name, finding] of Object.entries(v.findings ?? {})) {
      const fp = `/versions/${vi}/findings/${escapePointer(name)}`;
      const bases = known((Array.isArray(finding.in) ? finding.in : [finding.in]).flatMap((id) => (typeof id === 'string' ? scopes[id.replace(/^#/, '')]?.paths.map((p) => p.segments) ?? [] : [])));
      const values = (finding.values ?? []).map((text, i) => ({ text, segs: parse(text), pointer: `${fp}/values/${i}` }));
      for (const val of values) if (val.segs) report(val.pointer, val.text, bases.map((base) => [...base, ...val.segs!]));
      const found = leaves(finding.when, `${fp}/when`);
      if (finding.record && typeof finding.record === 'object') found.push({ leaf: { fact: finding.record.fact, path: finding.record.path }, pointer: `${fp}/record` });
      reportLeaves(found, bases, report, values, sets);
      // A misspelt `at` points reports at an ancestor instead of the field.
      const at = parse(finding.at);
      if (at && at.length) report(`${fp}/at`, finding.at as string, bases.map((base) => [...base, ...at]));
    }
  });
}

/** A scopes file's paths (from the pod) and subject names (from each element). */
function lintScopes(data: unknown, report: Report): void {
  for (const [id, scope] of Object.entries((data as { scopes?: Record<string, { paths?: string[]; name?: string }> } | undefined)?.scopes ?? {})) {
    const pointer = `/scopes/${escapePointer(id)}`;
    const bases = (scope.paths ?? []).map((text, i) => ({ text, segs: parse(text), pointer: `${pointer}/paths/${i}` }));
    for (const b of bases) if (b.segs) report(b.pointer, b.text, [b.segs]);
    const name = scope.name === 'key' ? undefined : parse(scope.name);
    if (name && name.length) report(`${pointer}/name`, scope.name!, known(bases.flatMap((b) => (b.segs ? [b.segs] : []))).map((b) => [...b, ...name]));
  }
}

/** A defaulting file's paths: `in` from the pod; name, condition, set and from in each element. */
function lintDefaults(data: unknown, report: Report): void {
  const defaults = (data as { defaults?: { in?: string | string[]; name?: string; when?: unknown; set?: { key?: string; path?: string; from?: string }[] }[] } | undefined)?.defaults ?? [];
  defaults.forEach((d, i) => {
    const pointer = `/defaults/${i}`;
    const ins = Array.isArray(d.in) ? d.in : [d.in];
    const bases = ins.map((text, k) => ({ text, segs: parse(text), pointer: Array.isArray(d.in) ? `${pointer}/in/${k}` : `${pointer}/in` }));
    for (const b of bases) if (b.segs && b.text) report(b.pointer, b.text, [b.segs]);
    const elements = known(bases.flatMap((b) => (b.segs ? [b.segs] : [])));
    const from = (text: string | undefined, at: string): void => {
      const segs = parse(text);
      if (segs && segs.length) report(at, text!, elements.map((b) => [...b, ...segs]));
    };
    from(d.name, `${pointer}/name`);
    reportLeaves(leaves(d.when, `${pointer}/when`), elements, report);
    (d.set ?? []).forEach((set, j) => {
      from(set.path ?? (set.key !== undefined ? `$['${set.key}']` : undefined), `${pointer}/set/${j}/${set.path !== undefined ? 'path' : 'key'}`);
      from(set.from, `${pointer}/set/${j}/from`);
    });
  });
}

/**
 * Warnings for the paths of custom rule files (the rules not read from `bundledDir`, and the
 * scopes.yaml and defaulting.yaml of `rulesDirs`) that name a field a Pod does not have, or
 * compare one with a value of another type. Paths
 * are resolved through their scopes, as the engine reads them.
 */
export function ruleFieldWarnings(table: RuleTable, bundledDir: string, rulesDirs: readonly string[], display: (file: string) => string): RuleProblem[] {
  const release = /Kubernetes (\d+\.\d+)'s API/.exec(schema().description)?.[1] ?? 'the bundled';
  const out: RuleProblem[] = [];
  const lint = (file: string, visit: (data: unknown, report: Report) => void): void => {
    const src = readYamlSource(readFileSync(file, 'utf8'));
    const shown = display(file);
    // A finding's scopes may reach several types (containers and ephemeral containers): a path
    // that one of them has is fine.
    visit(src.data, (pointer, text, candidates, compare) => {
      if (candidates.length === 0) return;
      const misses = candidates.map(unknownField);
      if (misses.some((m) => m === undefined)) {
        // A known field compared with what it can never be: the condition is fixed, whatever the pod.
        if (!compare || misses.some((m) => m !== undefined)) return;
        const why = candidates.map((c) => {
          const field = fieldTypes(c);
          return field ? mismatch(compare.operator, compare.values, field) : undefined;
        });
        if (why.some((w) => w === undefined)) {
          // Equality of a quantity's text is rarely what is meant: 1, "1" and "1000m" are one amount.
          if (OPERATORS[compare.operator]?.compares?.fact !== 'scalar' || !candidates.every((c) => fieldTypes(c)?.format === 'quantity')) return;
          const pos = src.locate(pointer);
          out.push({
            file: shown, line: pos.line, column: pos.column, pointer,
            message: `"${text}" reads ${showPath(candidates[0]!) || 'the value'}, a quantity, which "${compare.operator}" compares as written: 1, "1" and "1000m" are one amount to the API server but differ here (Kubernetes ${release}'s API)`,
            hint: 'to compare amounts, use greaterThanInclusive and lessThanInclusive together (under all:), which read quantities as the API server does',
          });
          return;
        }
        const pos = src.locate(pointer);
        out.push({
          file: shown, line: pos.line, column: pos.column, pointer,
          message: `"${text}" reads ${showPath(candidates[0]!) || 'the value'}: ${why[0]} (Kubernetes ${release}'s API)`,
          hint: 'compare with a value of the field\'s type (true, not "true"; 0, not "0"), or choose another operator',
        });
        return;
      }
      // A value compared as a whole ("$"): its path is reported where it is written.
      if (text === '$') return;
      const absolute = candidates[0]!;
      const miss = misses[0]!;
      const seg = absolute[miss.at] as { key: string };
      const where = miss.at === 0 ? 'a Pod' : showPath(absolute.slice(0, miss.at));
      const suggestion = closestKey(seg.key, miss.known);
      const pos = src.locate(pointer);
      if (out.some((w) => w.file === shown && w.line === pos.line && w.column === pos.column)) return;
      out.push({
        file: shown, line: pos.line, column: pos.column, pointer,
        message: `"${text}" reads ${showPath(absolute)}, but ${where} has no field "${seg.key}" (Kubernetes ${release}'s API), so it reads nothing`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `the fields there are: ${miss.known.join(', ')}`,
      });
    });
  };
  for (const dir of rulesDirs) {
    if (existsSync(join(dir, 'scopes.yaml'))) lint(join(dir, 'scopes.yaml'), lintScopes);
    if (existsSync(join(dir, 'defaulting.yaml'))) lint(join(dir, 'defaulting.yaml'), lintDefaults);
  }
  for (const rule of table.rules) {
    if (relative(bundledDir, rule.file).startsWith('..')) lint(rule.file, (data, report) => lintRule(data, table.scopes, rule.versions, report));
  }
  return out;
}
