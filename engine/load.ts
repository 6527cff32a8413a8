/**
 * Loads rule tables: reads the YAML files, validates each against its JSON Schema (ajv),
 * resolves version inheritance, compiles every version, and checks the invariants that span
 * files. Every problem is collected and reported at once; nothing half-loads.
 */
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { compileCheckVersion, compileScope, lazyCheckVersion, CompileProblem, CompileProblems, deepFreeze, type CompiledCheck, type CompiledScope } from './compile.js';
import { defaultProblems } from './defaulting.js';
import { describeValue, errnoText, PodsecArgumentError, RuleLoadError, type RuleProblem } from './errors.js';
import type { Condition, DefaultingDef, FindingDef, MessageDef, ResolvedVersion, RuleDef, ScopeDef } from './model.js';
import { casesSchema, defaultingSchema, isIdentifier, MAX_RULE_MINOR, PATTERN_HINTS, PLACE_HINTS, ruleSchema, scopesSchema } from './schema.js';
import { VERSION_PATTERN } from './version.js';
import { escapePointer, readYamlSource, unescapePointer, type YamlSource } from './yaml-source.js';
import { closestKey, editDistance } from './nearest.js';
import { ruleFieldWarnings } from './rule-fields.js';
import { RULE_LEVELS } from './api.js';
import { sha256Hex, stampsMatch, stampsOf } from './stamps.js';

/** The rules loaded. */
export interface RuleTable {
  /** The parsed rules, bundled and the user's (frozen). */
  readonly rules: readonly RuleDef[];
  /** @internal */
  scopes: Record<string, CompiledScope>;
  /** @internal */
  defaulting: DefaultingDef[];
  /** @internal Every version of every check, compiled, keyed by check id, oldest first. */
  compiled: Map<string, CompiledCheck[]>;
  /** @internal The newest policy minor version any rule names (what `latest` means). */
  newestMinor: number;
  /** @internal */
  files: string[];
  /**
   * @internal
   * What is wrong in the user's rules but does not stop them loading: a path naming a field a
   * Pod does not have (`$.imagePulPolicy`), which reads nothing. Empty for the bundled rules alone.
   */
  warnings: RuleProblem[];
  /**
   * @internal
   * For the bundled rules alone, read from the build's cache: the hash of their texts, which
   * names the generated code a build wrote for them.
   */
  bundledHash?: string;
}

export interface LoadOptions {
  /** Directories of the user's own rules (`baseline/*.yaml`, `restricted/*.yaml`, optional `scopes.yaml`); one that does not exist throws PodsecArgumentError. */
  rulesDirs?: readonly string[];
  /** The bundled rules directory (scopes.yaml, defaulting.yaml, baseline/, restricted/); found next to the package by default. One that does not exist throws PodsecArgumentError, one that lacks a part a RuleLoadError. */
  bundledDir?: string;
  /** Use the build-time cache of the bundled rules when it matches them (default true). */
  useCache?: boolean;
}

/** The package's own `rules/` directory (works from the sources and from `dist/`). */
export function bundledRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'rules');
    if (existsSync(join(candidate, 'scopes.yaml'))) return candidate;
    dir = dirname(dir);
  }
  const file = join(dirname(dirname(fileURLToPath(import.meta.url))), 'rules', 'scopes.yaml');
  throw new RuleLoadError([{ file, line: 1, column: 1, pointer: '', message: 'cannot find the bundled rules/ directory next to the package', hint: 'reinstall podsec, or pass bundledDir: the directory that holds scopes.yaml, defaulting.yaml, baseline/ and restricted/' }]);
}

let ajvInstance: Ajv | undefined;
const validators = new Map<object, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    // Loaded on first use: with a valid build cache, start-up needs no schema validation at all.
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    ajvInstance ??= new AjvClass({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
    v = ajvInstance.compile(schema);
    validators.set(schema, v);
  }
  return v;
}

/** `/versions/0/since` → `versions[0].since`, the way people read a YAML file. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = unescapePointer(raw);
    out += /^[0-9]+$/.test(part) ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? (out ? `.${part}` : part) : `[${JSON.stringify(part)}]`;
  }
  return out;
}

const VERSION_HINT = 'write a policy version like v1.25 (no leading zeros, no patch number)';

function describeSchemaError(e: ErrorObject, data: unknown): { message: string; hint: string; atKey: boolean; pointer: string } {
  const where = pointerToPath(e.instancePath) || 'the file';
  const isVersion = /\/since$/.test(e.instancePath);
  const placeHint = PLACE_HINTS.find((h) => h.keywords.includes(e.keyword) && h.at.test(e.instancePath))?.hint;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      type Node = { properties?: Record<string, Node>; items?: Node };
      const parentSchema = e.parentSchema as Node | undefined;
      const allowed = Object.keys(parentSchema?.properties ?? {});
      const key = String(p.additionalProperty);
      // A key written one level too high (a case's `level` beside `cases:`): name where it goes.
      const home = Object.entries(parentSchema?.properties ?? {}).find(([, child]) => child.items?.properties && Object.hasOwn(child.items.properties, key))?.[0];
      // A misspelling of a key the place has (and does not have yet) is meant as that key.
      const here = valueAt(data, e.instancePath);
      const meant = closestKey(key, allowed.filter((k) => !(here !== null && typeof here === 'object' && Object.hasOwn(here, k))));
      return {
        message: `unknown key "${key}" in ${where}`,
        hint: home ? `"${key}" is a key of each item of "${home}": move it into the items that need it, or remove it`
          : meant ? `did you mean "${meant}"?` : allowed.length ? `remove it, or use one of: ${allowed.join(', ')}` : 'remove it',
        atKey: true,
        pointer: `${e.instancePath}/${escapePointer(String(p.additionalProperty))}`,
      };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const here = valueAt(data, e.instancePath);
      const misspelt = here !== null && typeof here === 'object' ? Object.keys(here).find((k) => closestKey(k, [missing]) === missing) : undefined;
      return { message: `${where} is missing "${missing}"`, hint: misspelt ? `is "${misspelt}" meant to be "${missing}"? Write ${missing}: …` : `add ${missing}: …`, atKey: false, pointer: e.instancePath };
    }
    case 'enum':
      return {
        message: `${where} must be one of the allowed values, not ${JSON.stringify(valueAt(data, e.instancePath))}`,
        hint: `write one of: ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`,
        atKey: false,
        pointer: e.instancePath,
      };
    case 'const':
      return { message: `${where} must be ${JSON.stringify(p.allowedValue)}`, hint: placeHint ?? `write ${JSON.stringify(p.allowedValue)}`, atKey: false, pointer: e.instancePath };
    case 'type': {
      // YAML's .inf and .nan are numbers to the reader, but no JSON number: "must be of type number" would puzzle.
      const value = valueAt(data, e.instancePath);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        return { message: `${where} is ${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'}, which is not a number a rule can hold`, hint: 'write a finite number', atKey: false, pointer: e.instancePath };
      }
      return {
        message: `${where} must be of type ${String(p.type).replace(/,/g, ' or ')}`,
        hint: placeHint ?? (isVersion ? VERSION_HINT : `write a value of type ${String(p.type).replace(/,/g, ' or ')}`),
        atKey: false,
        pointer: e.instancePath,
      };
    }
    case 'pattern': {
      const value = valueAt(data, e.instancePath);
      if (isVersion && typeof value === 'string' && VERSION_PATTERN.test(value)) {
        return {
          message: `since ${value} is beyond v1.${MAX_RULE_MINOR}, the newest policy version a rule may name`,
          hint: `write the Kubernetes minor version the change comes with (about three a year; v1.${MAX_RULE_MINOR} at most)`,
          atKey: false,
          pointer: e.instancePath,
        };
      }
      return {
        message: `${where} is ${JSON.stringify(value)}, which has the wrong form`,
        hint: placeHint ?? (isVersion ? VERSION_HINT : PATTERN_HINTS[String(p.pattern)] ?? `write a value matching ${String(p.pattern)}`),
        atKey: false,
        pointer: e.instancePath,
      };
    }
    case 'minItems':
      return { message: `${where} must list at least ${String(p.limit)} item(s)`, hint: 'add an item', atKey: false, pointer: e.instancePath };
    case 'minProperties':
      return { message: `${where} must not be empty`, hint: 'add an entry, or remove it', atKey: false, pointer: e.instancePath };
    case 'minLength':
      return { message: `${where} must not be empty`, hint: 'write some text', atKey: false, pointer: e.instancePath };
    case 'oneOf': {
      // Alternatives that each require one key: name the keys, not the schema branches.
      const keys = (e.schema as { required?: string[] }[]).map((branch) => (branch.required?.length === 1 && Object.keys(branch).length === 1 ? branch.required[0] : undefined));
      if (keys.every((k) => k !== undefined)) {
        const list = keys.map((k) => `"${k}"`).join(' or ');
        const present = keys.filter((k) => Object.prototype.hasOwnProperty.call(valueAt(data, e.instancePath) ?? {}, k!));
        return present.length
          ? { message: `${where} gives ${present.map((k) => `"${k}"`).join(' and ')}: only one of ${list} may be given`, hint: `keep one of ${present.join(', ')}`, atKey: false, pointer: e.instancePath }
          : { message: `${where} needs ${list}`, hint: `add ${keys.join(': … or ')}: …`, atKey: false, pointer: e.instancePath };
      }
      return { message: `${where} ${e.message ?? 'is invalid'}`, hint: 'see schemas/ for the expected form', atKey: false, pointer: e.instancePath };
    }
    case 'propertyNames': {
      const name = String(p.propertyName);
      return {
        message: `${JSON.stringify(name)} in ${where} is not a valid name`,
        hint: 'use a name of letters, digits and underscores, starting with a letter',
        atKey: true,
        pointer: `${e.instancePath}/${escapePointer(name)}`,
      };
    }
    default:
      return { message: `${where} ${e.message ?? 'is invalid'}`, hint: 'see schemas/ for the expected form', atKey: false, pointer: e.instancePath };
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[unescapePointer(part)];
  }
  return v;
}

class ProblemList {
  readonly items: RuleProblem[] = [];
  add(file: string, src: YamlSource | undefined, pointer: string, message: string, hint: string, atKey = false): void {
    const pos = src ? src.locate(pointer, atKey) : { line: 1, column: 1 };
    this.items.push({ file, line: pos.line, column: pos.column, pointer, message, hint });
  }
}

interface ReadFile {
  file: string;
  display: string;
  src: YamlSource;
  validated?: boolean;
}

/**
 * Parsed and validated bundled rule files, keyed by the hash of their text. Written at build
 * time (`npm run build`), so a start-up skips YAML parsing and schema validation of unchanged
 * bundled files; any edit changes the hash and the files are read as usual.
 */
interface RulesCache {
  hash: string;
  /** The stamps of the files hashed: while they hold, the hash needs no computing. */
  stamps?: unknown;
  data: Record<string, unknown>;
}

function cachePath(bundledDir: string): string {
  return join(dirname(bundledDir), 'dist', 'rules-cache.json');
}

function hashTexts(texts: [string, string][]): string {
  return sha256Hex(...texts.flatMap(([name, text]) => [name, '\0', text, '\0']));
}

function bundledNames(dir: string): string[] {
  const names = ['scopes.yaml', 'defaulting.yaml', ...RULE_LEVELS.flatMap((l) => listYaml(join(dir, l)).map((f) => relative(dir, f)))];
  return names.filter((n) => existsSync(join(dir, n)));
}

function bundledTexts(dir: string, names = bundledNames(dir)): [string, string][] {
  return names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]);
}

function readCache(dir: string): { hash: string; files: Map<string, unknown> } | undefined {
  try {
    const cache = JSON.parse(readFileSync(cachePath(dir), 'utf8')) as RulesCache;
    const names = bundledNames(dir);
    if (!stampsMatch(cache.stamps, dir, names) && cache.hash !== hashTexts(bundledTexts(dir, names))) return undefined;
    return { hash: cache.hash, files: new Map(Object.entries(cache.data).map(([name, data]) => [join(dir, name), data])) };
  } catch {
    return undefined;
  }
}

/** Writes the cache of the bundled rules (run after a build); throws if they do not load. */
export function writeBundledCache(dir = bundledRulesDir()): string {
  loadRuleTable({ bundledDir: dir, useCache: false });
  const texts = bundledTexts(dir);
  const data = Object.fromEntries(texts.map(([name, text]) => [name, readYamlSource(text).data]));
  const target = cachePath(dir);
  writeFileSync(target, JSON.stringify({ hash: hashTexts(texts), stamps: stampsOf(dir, texts.map(([name]) => name)), data } satisfies RulesCache));
  return target;
}

/** `seen.firstOfMany`: for a file of several documents, what the first holds (it tells what the file is). */
function readSource(file: string, display: string, problems: ProblemList, cached?: Map<string, unknown>, seen: { firstOfMany?: unknown } = {}): ReadFile | undefined {
  if (cached?.has(file)) {
    // Already validated when the cache was written; parse the YAML only to locate a problem.
    let parsed: YamlSource | undefined;
    const src: YamlSource = { data: cached.get(file), syntaxErrors: [], locate: (pointer, atKey) => (parsed ??= readYamlSource(readFileSync(file, 'utf8'))).locate(pointer, atKey) };
    return { file, display, src, validated: true };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    problems.add(display, undefined, '', `cannot read the file: ${errnoText(e)}`, 'check that it exists and is readable');
    return undefined;
  }
  const text = bytes.toString('utf8');
  const bad = firstBadUtf8(bytes, text);
  if (bad) {
    problems.items.push({ file: display, ...bad, pointer: '', message: 'the file is not UTF-8: a byte sequence here is no UTF-8 character', hint: 'save the file as UTF-8' });
    return undefined;
  }
  const control = CONTROL_CHARACTER.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split('\n').length;
    const column = control.index - before.lastIndexOf('\n');
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    problems.items.push({
      file: display, line, column, pointer: '',
      message: control[0] === '\0' ? 'the file holds binary data (a NUL byte here), not YAML text' : `a control character (${code}) here, which YAML text may not hold`,
      hint: control[0] === '\0' ? 'name a YAML file' : 'remove it, or write it as an escape in a double-quoted string ("\\x01")',
    });
    return undefined;
  }
  const src = readYamlSource(text);
  if (src.syntaxErrors.length) {
    readSourceErrors(display, src, problems);
    seen.firstOfMany = src.firstOfMany;
    return undefined;
  }
  return { file, display, src };
}

/** YAML's character set leaves out C0 controls but tab and line breaks, and DEL. */
const CONTROL_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

function readSourceErrors(display: string, src: YamlSource, problems: ProblemList): void {
  for (const err of src.syntaxErrors) {
    problems.items.push({
      file: display, line: err.position.line, column: err.position.column, pointer: '',
      message: err.notSyntax ? err.message : `YAML syntax error: ${err.message}`, hint: err.hint ?? 'fix the YAML syntax',
    });
  }
}

/** What each kind of file holds, for the hint on an empty one. */
const FILE_CONTENTS = new Map<object, string>([
  [ruleSchema, 'a rule'],
  [scopesSchema, 'the scopes'],
  [defaultingSchema, 'the defaults'],
  [casesSchema, 'test cases'],
]);

/** `value: { fact, path }`: json-rules-engine's comparison with another fact. */
function isFactReference(data: unknown, pointer: string): boolean {
  if (!pointer.endsWith('/value')) return false;
  const v = valueAt(data, pointer);
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'fact' in v && !('set' in v);
}

function validate(read: ReadFile, schema: object & { required: string[] }, problems: ProblemList): boolean {
  if (read.validated) return true;
  const data = read.src.data;
  if (data === null || data === undefined) {
    problems.add(read.display, read.src, '', 'the file is empty', `write ${FILE_CONTENTS.get(schema)} (${schema.required.join(', ')})`);
    return false;
  }
  const validator = validatorFor(schema);
  if (validator(data)) return true;
  // Test cases among the rules: one problem that says so, not one per key.
  if (schema === ruleSchema && isCaseData(data)) {
    problems.add(read.display, read.src, '', 'this is a test case file, not a rule', 'keep test cases outside the rules directory, and run them with podsec test --rules-dir DIR CASES');
    return false;
  }
  if (schema === ruleSchema && isManifestData(data)) {
    const { kind } = data as { kind: unknown };
    problems.add(read.display, read.src, '', `this is a Kubernetes manifest${typeof kind === 'string' && kind ? ` (${kind})` : ''}, not a rule`, 'keep manifests outside the rules directory, and check them with podsec check --rules-dir DIR FILE');
    return false;
  }
  const seen = new Set<string>();
  const factReferences = new Set<string>();
  for (const e of validator.errors ?? []) {
    if (e.keyword === 'if') continue;
    // One problem for a fact reference, not one per key that a set reference lacks or forbids.
    const factAt = [e.instancePath, e.instancePath.replace(/\/[^/]*$/, '')].find((p) => isFactReference(data, p));
    if (factAt !== undefined) {
      if (!factReferences.has(factAt)) problems.add(read.display, read.src, factAt, 'comparing to another fact is not supported (value: { fact: … })', 'compare with a constant, a list or { set: NAME }');
      factReferences.add(factAt);
      continue;
    }
    // A branch of a oneOf that failed: the oneOf's own error says what is wanted.
    if (e.keyword === 'required' && /\/oneOf\/\d+\/required$/.test(e.schemaPath)) continue;
    // A key's own failure under propertyNames: the propertyNames error names the key.
    if (e.propertyName !== undefined && e.keyword !== 'propertyNames') continue;
    const d = describeSchemaError(e, data);
    const key = `${d.pointer}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.add(read.display, read.src, d.pointer, d.message, d.hint, d.atKey);
  }
  return false;
}

/** A copy of `data` without the keys its schema does not know, if that makes it fit; otherwise undefined. */
function withoutUnknownKeys(data: unknown, schema: object): unknown {
  if (typeof data !== 'object' || data === null) return undefined;
  const validator = validatorFor(schema);
  if (validator(data)) return data;
  const errors = (validator.errors ?? []).filter((e) => e.keyword !== 'if');
  if (errors.length === 0 || !errors.every((e) => e.keyword === 'additionalProperties')) return undefined;
  const copy = structuredClone(data);
  for (const e of errors) {
    const parent = valueAt(copy, e.instancePath);
    if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[String((e.params as { additionalProperty: unknown }).additionalProperty)];
  }
  return validator(copy) ? copy : undefined;
}

/** Where a text read as UTF-8 first had bytes that are not UTF-8 (a U+FFFD the file did not hold). */
function firstBadUtf8(bytes: Buffer, text: string): { line: number; column: number } | undefined {
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    const offset = Buffer.byteLength(text.slice(0, i));
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    const lineStart = text.lastIndexOf('\n', i - 1) + 1;
    return { line: text.slice(0, i).split('\n').length, column: i - lineStart + 1 };
  }
  return undefined;
}

/**
 * Reads one YAML file and validates it against one of the schemas, as rule files are read: every
 * problem with its line, column and what to write. `data` is what the file holds when it parses,
 * `valid` whether it also fits the schema. A file that is not UTF-8 is a problem.
 */
export function readValidatedYaml(file: string, display: string, schema: object & { required: string[] }): { data?: unknown; valid: boolean; locate?: YamlSource['locate']; firstOfMany?: unknown; problems: RuleProblem[] } {
  const problems = new ProblemList();
  const seen: { firstOfMany?: unknown } = {};
  const read = readSource(file, display, problems, undefined, seen);
  if (!read) return { valid: false, problems: problems.items, ...(seen.firstOfMany !== undefined ? { firstOfMany: seen.firstOfMany } : {}) };
  const valid = validate(read, schema, problems);
  return { data: read.src.data, valid, locate: read.src.locate, problems: problems.items };
}

interface RawVersion {
  since: string;
  note?: string;
  overrides?: string[];
  exemptWhen?: Condition | null;
  sets?: Record<string, unknown[] | { add?: unknown[]; remove?: unknown[] }>;
  findings?: Record<string, FindingDef>;
  message?: MessageDef;
}
/** A rule file as written: its versions not yet resolved against each other. */
interface RawRule extends Omit<RuleDef, 'file' | 'versions'> {
  versions: RawVersion[];
}

function minorOf(since: string): number {
  return Number(since.slice(3));
}

/** Applies each version entry on top of the one before it. */
function resolveVersions(raw: RawRule, read: ReadFile, problems: ProblemList): ResolvedVersion[] | undefined {
  const out: ResolvedVersion[] = [];
  let ok = true;
  let prev: ResolvedVersion | undefined;
  raw.versions.forEach((v, i) => {
    const pointer = `/versions/${i}`;
    // The schema holds it to MAX_RULE_MINOR.
    const since = minorOf(v.since);
    if (prev && since <= prev.since) {
      problems.add(read.display, read.src, `${pointer}/since`, since === prev.since
        ? `versions must be strictly increasing: since ${v.since} is given twice (versions[${i - 1}] and versions[${i}])`
        : `versions must be strictly increasing: ${v.since} comes after v1.${prev.since}`, since === prev.since ? 'merge the two entries into one, or give this one the version it is meant for' : 'order the entries by "since", oldest first, each version once');
      ok = false;
    }
    const sets: Record<string, unknown[]> = Object.assign(Object.create(null), prev?.sets);
    for (const [name, def] of Object.entries(v.sets ?? {})) {
      if (Array.isArray(def)) sets[name] = [...def];
      else {
        const base = sets[name];
        if (!base) {
          problems.add(read.display, read.src, `${pointer}/sets/${name}`, `set "${name}" is changed with add/remove but was never declared`, 'declare it as a list in an earlier version, or write the whole list here');
          ok = false;
          continue;
        }
        const removed = new Set(def.remove ?? []);
        // A value the set lacks (a typo, or one already removed) would change nothing, silently.
        (def.remove ?? []).forEach((x, j) => {
          if (base.includes(x)) return;
          problems.add(read.display, read.src, `${pointer}/sets/${name}/remove/${j}`, `set "${name}" does not hold ${JSON.stringify(x)}, so removing it changes nothing`, `remove only values the set holds here: ${base.map((y) => JSON.stringify(y)).join(', ') || 'it is empty'}`);
          ok = false;
        });
        sets[name] = [...base.filter((x) => !removed.has(x)), ...(def.add ?? []).filter((x) => !base.includes(x))];
      }
    }
    if (!prev) {
      for (const key of ['findings', 'message'] as const) {
        if (v[key]) continue;
        problems.add(read.display, read.src, pointer, `the first version entry must define "${key}"`, 'later entries inherit them; the first one has nothing to inherit from');
        ok = false;
      }
    }
    // A first entry that lacks findings or message still carries its sets and the rest forward,
    // so that later entries are not blamed for what it failed to define.
    const resolved: ResolvedVersion = {
      since,
      note: v.note,
      overrides: v.overrides ?? prev?.overrides ?? [],
      exemptWhen: v.exemptWhen !== undefined ? v.exemptWhen : (prev?.exemptWhen ?? null),
      sets,
      findings: v.findings ?? prev?.findings ?? {},
      message: v.message ?? prev?.message ?? { reason: '' },
    } as ResolvedVersion;
    // Where each part was written, for error positions: kept out of JSON and Object.keys, as
    // the published types do not declare them.
    defineHidden(resolved, {
      pointer,
      findingsPointer: v.findings || !prev ? pointer : prev.findingsPointer,
      messagePointer: v.message || !prev ? pointer : prev.messagePointer,
      exemptPointer: v.exemptWhen !== undefined ? pointer : (prev?.exemptPointer ?? pointer),
    });
    // Said where it is written, not again at each entry that inherits it.
    if (raw.level !== 'restricted' && v.overrides?.length) {
      problems.add(read.display, read.src, `${pointer}/overrides`, 'only restricted checks may override other checks', 'remove "overrides", or move the rule to restricted/');
    }
    if (raw.level !== 'restricted' && resolved.overrides.length) ok = false;
    out.push(resolved);
    prev = resolved;
  });
  return ok ? out : undefined;
}

function defineHidden(target: object, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) Object.defineProperty(target, key, { value, enumerable: false });
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A folder's entries; one that cannot be listed (permissions) is a problem, reported once, not a crash. */
function entriesOf(dir: string, problems?: ProblemList, display?: (f: string) => string): import('node:fs').Dirent[] {
  try {
    // Sorted: the listing's order depends on the file system, and problems are reported in it.
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    const file = display ? display(dir) : dir;
    const message = `cannot list the folder: ${errnoText(e)}`;
    if (problems && !problems.items.some((p) => p.file === file && p.message === message)) {
      problems.items.push({ file, line: 1, column: 1, pointer: '', message, hint: 'check that it is readable' });
    }
    return [];
  }
}

function listYaml(dir: string, problems?: ProblemList, display?: (f: string) => string): string[] {
  // A level "folder" that is a file is reported by checkLayout; here it holds nothing.
  if (!isDirectory(dir)) return [];
  return entriesOf(dir, problems, display)
    .map((e) => e.name)
    // Hidden files are an editor's (Emacs's `.#x.yaml` lock, a link to nothing) or kept out on purpose.
    .filter((f) => !f.startsWith('.') && (f.endsWith('.yaml') || f.endsWith('.yml')))
    .sort()
    .map((f) => join(dir, f));
}

/** Ids the reports give findings that are not checks; a rule with one would be hidden behind it. */
export const RESERVED_CHECK_IDS: ReadonlySet<string> = new Set(['namespaceLabels']);

const LEVEL_FOLDERS: readonly string[] = RULE_LEVELS;
const LEVEL_HINT = 'move it into baseline/ or restricted/ (the folder names the level)';

/** A `podsec test` case file (check: and cases:, no schemaVersion), told apart from a misplaced rule by its keys. */
/** What a YAML file beside the level folders holds: test cases, manifests, or else. */
function strayFileKind(path: string): 'cases' | 'manifest' | undefined {
  let src: YamlSource;
  try {
    src = readYamlSource(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (isCaseData(src.data)) return 'cases';
  return isManifestData(src.data) || isManifestData(src.firstOfMany) ? 'manifest' : undefined;
}

function isManifestData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'apiVersion' in data && 'kind' in data && !('schemaVersion' in data);
}

function isCaseData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'check' in data && 'cases' in data && !('schemaVersion' in data);
}

/**
 * Files a custom rules directory holds that would not be read: rule files beside the level
 * folders, misnamed level folders (`Restricted/`, `restriced/`), or nothing at all.
 */
function checkLayout(dir: string, display: (f: string) => string, problems: ProblemList, warnings: RuleProblem[]): void {
  const at = (file: string, message: string, hint: string) => problems.items.push({ file: display(file), line: 1, column: 1, pointer: '', message, hint });
  const warn = (file: string, message: string, hint: string) => warnings.push({ file: display(file), line: 1, column: 1, pointer: '', message, hint });
  const before = problems.items.length;
  let known = 0;
  const entries = entriesOf(dir, problems, display);
  if (LEVEL_FOLDERS.includes(basename(dir)) && !entries.some((e) => LEVEL_FOLDERS.includes(e.name)) && listYaml(dir).length) {
    const parent = display(dirname(dir)) || '.';
    at(dir, `"${display(dir)}" is a level folder itself: a rules directory holds baseline/ and restricted/`, `give the directory that holds it (${parent}) as the rules directory`);
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (/^(scopes|defaulting)\.yaml$/.test(entry.name)) known++;
    else if (/^(scopes|defaulting)\.yml$/.test(entry.name)) at(path, `"${entry.name}" is not read`, `rename it to ${entry.name.replace(/\.yml$/, '.yaml')}`);
    else if (/\.ya?ml$/.test(entry.name)) {
      const stray = strayFileKind(path);
      if (stray === 'cases') at(path, 'test case file in the rules directory', 'keep test cases outside the rules directory, and run them with podsec test --rules-dir DIR CASES');
      else if (stray === 'manifest') at(path, 'Kubernetes manifest in the rules directory', 'a rules directory holds baseline/ and restricted/ with rule files; manifests are checked with podsec check --rules-dir DIR PATH (are the two swapped?)');
      else at(path, 'rule file outside a level folder', LEVEL_HINT);
    }
    else if (LEVEL_FOLDERS.includes(entry.name) && !isDirectory(path)) {
      const broken = !existsSync(path);
      at(path, broken ? `"${entry.name}" is a link to nothing, so no rules are read from it` : `"${entry.name}" is a file, not a folder, so no rules are read from it`, broken ? `point the link at a folder, or make ${entry.name}/ a folder that holds the rule files` : `make ${entry.name}/ a folder that holds the rule files (${entry.name}/<id>.yaml)`);
    }
    else if (isDirectory(path) && LEVEL_FOLDERS.includes(entry.name)) {
      if (listYaml(path, problems, display).length) known++;
      checkLevelFolder(path, at, warn);
    } else if (isDirectory(path) && listYaml(path).length) {
      const near = LEVEL_FOLDERS.find((l) => editDistance(entry.name.toLowerCase(), l) <= 2);
      at(path, `folder "${entry.name}/" is not a level folder, so its rule files are not read`, near ? `did you mean ${near}/? Rename the folder (the folder names the level)` : 'move its rule files into baseline/ or restricted/ (the folder names the level), and keep other YAML (examples, tests) outside the rules directory');
    }
  }
  if (known === 0 && problems.items.length === before) {
    at(dir, 'rules directory holds no rules: no baseline/ or restricted/ rule files, scopes.yaml or defaulting.yaml', 'add rule files as baseline/<id>.yaml or restricted/<id>.yaml, or pass the directory that holds them');
  }
}

/**
 * A bundled rules directory given by the caller (a vendored copy): every part present, since a
 * missing level or defaulting file would pass pods in silence. Without scopes.yaml it is likely
 * a rules directory given by mistake, which the missing file alone says.
 */
function checkBundledLayout(dir: string, display: (f: string) => string, problems: ProblemList, warnings: RuleProblem[]): void {
  if (!existsSync(join(dir, 'scopes.yaml'))) return;
  checkLayout(dir, display, problems, warnings);
  const at = (file: string, message: string, hint: string) => problems.items.push({ file: display(file), line: 1, column: 1, pointer: '', message, hint });
  if (!existsSync(join(dir, 'defaulting.yaml'))) at(join(dir, 'defaulting.yaml'), 'missing defaulting file', 'the bundled rules directory must contain defaulting.yaml: the checks rely on the API server\'s defaults it describes');
  for (const level of RULE_LEVELS) {
    const folder = join(dir, level);
    if (isDirectory(folder) && listYaml(folder).length === 0) at(folder, `no ${level} rules`, `the bundled rules directory must hold its ${level} checks as ${level}/<id>.yaml`);
    else if (!existsSync(folder)) at(folder, `missing ${level}/ folder`, `the bundled rules directory must hold its ${level} checks as ${level}/<id>.yaml`);
  }
}

/** Inside a level folder, rule files that would not be read: `.YAML` in other case, `.json`, or in a subfolder. */
function checkLevelFolder(folder: string, at: (file: string, message: string, hint: string) => void, warn: (file: string, message: string, hint: string) => void): void {
  for (const entry of entriesOf(folder)) {
    const path = join(folder, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (/\.ya?ml$/i.test(entry.name) && !/\.ya?ml$/.test(entry.name)) {
      at(path, 'rule file whose extension is not lowercase, so it is not read', `rename it to ${entry.name.replace(/\.ya?ml$/i, (e) => e.toLowerCase())}`);
    } else if (/\.json$/i.test(entry.name) && !isDirectory(path)) {
      // JSON is YAML, but only .yaml and .yml files are read: it would be left out without a word.
      at(path, 'rule file in JSON is not read: rule files end in .yaml', `rename it to ${entry.name.replace(/\.json$/i, '.yaml')} (JSON is valid YAML, so its content can stay as it is)`);
    } else if (isDirectory(path)) {
      if (listYaml(path).length) at(path, `folder "${basename(folder)}/${entry.name}/" is inside a level folder, so its rule files are not read`, `move its rule files up into ${basename(folder)}/, and keep other YAML (examples, tests) outside the rules directory`);
    } else if (!/\.ya?ml$/.test(entry.name)) {
      // A check turned off as x.yaml.disabled, a backup, notes: not read, and said so once a run.
      warn(path, `"${entry.name}" in ${basename(folder)}/ is not read: rule files end in .yaml`, `move it out of the rules directory (or start its name with a dot) if it is no rule; rename it to end in .yaml if it is one`);
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const OPTION_TYPES: Record<keyof LoadOptions, string> = { rulesDirs: 'a list of directory paths', bundledDir: 'a directory path', useCache: 'true or false' };

/** Options come from user code: say what is wrong with them rather than fail somewhere inside. */
function checkLoadOptions(options: unknown): asserts options is LoadOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PodsecArgumentError(`options must be an object such as { rulesDirs: ['my-rules'] }, not ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!(key in OPTION_TYPES)) throw new PodsecArgumentError(`unknown option ${JSON.stringify(key)}: the options are ${Object.keys(OPTION_TYPES).join(', ')}`);
    if (value === undefined) continue;
    const ok = key === 'rulesDirs' ? Array.isArray(value) && value.every((d) => typeof d === 'string') : key === 'useCache' ? typeof value === 'boolean' : typeof value === 'string';
    if (!ok) throw new PodsecArgumentError(`option ${key} must be ${OPTION_TYPES[key as keyof LoadOptions]}, not ${describeValue(value)}`);
  }
}

/**
 * A directory named in the options, resolved: a path to nothing is a bad argument, not a broken
 * rule file (there is no file to point into). `what` names it in messages.
 */
function givenDirectory(given: string, what: string, holds: string): string {
  // resolve('') is the working directory: an unset variable, not a rules directory.
  if (given.trim() === '') throw new PodsecArgumentError(`a ${what} path is empty (${JSON.stringify(given)}): name the directory that holds ${holds} (use "." for the current directory)`);
  const dir = resolve(given);
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new PodsecArgumentError(isAbsolute(given)
      ? `${what} ${dir} does not exist`
      : `${what} "${given}" does not exist (looked for ${dir}: a relative path is resolved against the current working directory)`);
  }
  if (!st.isDirectory()) throw new PodsecArgumentError(`${what} ${isAbsolute(given) ? dir : `"${given}"`} is not a directory${isAbsolute(given) ? '' : `: ${dir}`}`);
  return dir;
}

export function loadRuleTable(options: LoadOptions = {}): RuleTable {
  checkLoadOptions(options);
  const problems = new ProblemList();
  const bundled = options.bundledDir === undefined ? bundledRulesDir() : givenDirectory(options.bundledDir, 'bundled rules directory', 'scopes.yaml, baseline/ and restricted/');
  const dirs = [bundled];
  // The same directory named twice (`my-rules`, `./my-rules/`, a symlink) is read once.
  const realDirs = new Set([realPathOf(bundled)]);
  for (const given of options.rulesDirs ?? []) {
    const dir = givenDirectory(given, 'rules directory', 'baseline/ and/or restricted/');
    const real = realPathOf(dir);
    if (realDirs.has(real)) continue;
    realDirs.add(real);
    dirs.push(dir);
  }
  const display = (f: string) => {
    const rel = relative(process.cwd(), f);
    return rel.startsWith('..') ? f : rel;
  };

  // Maps by user-chosen names (a set or scope may be called toString): no inherited entries.
  const scopeDefs: Record<string, { def: ScopeDef; read: ReadFile; pointer: string; dirIndex: number }> = Object.create(null);
  let defaulting: DefaultingDef[] = [];
  const defaultOrigin = new Map<string, { dirIndex: number; display: string }>();
  const ruleFiles: { read: ReadFile; raw: RawRule; folder: string; dirIndex: number }[] = [];
  const files: string[] = [];
  const layoutWarnings: RuleProblem[] = [];
  /** Scopes defined in a scopes file that failed to load, or that did not compile. */
  const brokenScopes = new Set<string>();
  // A scopes file unread (its YAML broken, or named scopes.yml) may define any scope: its own error says why.
  let scopesUnread = false;
  let bundledHash: string | undefined;

  for (const [index, dir] of dirs.entries()) {
    const isCustom = index > 0;
    const cache = isCustom || options.useCache === false ? undefined : readCache(dir);
    if (cache) bundledHash = cache.hash;
    const cached = cache?.files;
    if (isCustom) checkLayout(dir, display, problems, layoutWarnings);
    // A bundled directory the build cached is the one the package ships; another must be whole.
    else if (!cache) checkBundledLayout(dir, display, problems, layoutWarnings);
    const scopesFile = join(dir, 'scopes.yaml');
    if (existsSync(scopesFile)) {
      files.push(scopesFile);
      const read = readSource(scopesFile, display(scopesFile), problems, cached);
      const valid = read !== undefined && validate(read, scopesSchema, problems);
      // The scopes of a file that failed are still named, so that their users get no second error.
      const named = read?.src.data as { scopes?: unknown } | undefined;
      if (!valid && named && typeof named.scopes === 'object' && named.scopes !== null) for (const id of Object.keys(named.scopes)) brokenScopes.add(id);
      else if (!valid) scopesUnread = true;
      if (read && valid) {
        const data = read.src.data as { scopes: Record<string, Omit<ScopeDef, 'id'>> };
        for (const [id, def] of Object.entries(data.scopes)) {
          // Replacing a scope would change every check that walks it, bundled ones too.
          const earlier = scopeDefs[id];
          if (earlier) {
            // A copy of the whole rules/ folder brings the bundled scopes along, unchanged.
            const copy = isDeepStrictEqual({ id, ...def }, earlier.def);
            problems.add(read.display, read.src, `/scopes/${id}`, `scope "${id}" already exists (${earlier.dirIndex === 0 ? 'bundled, in' : 'defined in'} ${earlier.read.display})${copy ? ', and this is a copy of it' : ''}`, copy ? 'delete it here: a rules directory\'s scopes.yaml holds only the scopes it adds (none: delete the file)' : 'choose another name: a rules directory may add scopes, not replace them', true);
            continue;
          }
          scopeDefs[id] = { def: { id, ...def }, read, pointer: `/scopes/${id}`, dirIndex: index };
        }
      }
    } else if (!isCustom) {
      problems.items.push({ file: display(scopesFile), line: 1, column: 1, pointer: '', message: 'missing scopes file', hint: 'the bundled rules directory must contain scopes.yaml' });
      // Every scope a rule names would be "unknown": the missing file is the one problem.
      scopesUnread = true;
    } else if (existsSync(join(dir, 'scopes.yml'))) {
      scopesUnread = true;
    }
    const defaultingFile = join(dir, 'defaulting.yaml');
    if (existsSync(defaultingFile)) {
      files.push(defaultingFile);
      const read = readSource(defaultingFile, display(defaultingFile), problems, cached);
      if (read && validate(read, defaultingSchema, problems)) {
        const defs = (read.src.data as { defaults: DefaultingDef[] }).defaults;
        // A cached bundled file was compiled without problems when the cache was written.
        const found = read.validated ? [] : defaultProblems(defs);
        for (const e of found) problems.add(read.display, read.src, e.pointer, e.message, e.hint);
        defs.forEach((d, i) => {
          // As for checks: a bundled default may be replaced by id, one of another rules directory not.
          const earlier = defaultOrigin.get(d.id);
          if (earlier && earlier.dirIndex === index) {
            problems.add(read.display, read.src, `/defaults/${i}/id`, `default "${d.id}" is defined twice in this file`, 'keep one default per id');
          } else if (earlier && earlier.dirIndex > 0) {
            problems.add(read.display, read.src, `/defaults/${i}/id`, `default "${d.id}" is also defined in ${earlier.display}, in an earlier rules directory`, 'keep one of the two, or choose another id: only a bundled default may be replaced by id');
          }
          defaultOrigin.set(d.id, { dirIndex: index, display: read.display });
        });
        if (found.length === 0) {
          const replaced = new Set(defs.map((d) => d.id));
          defaulting = [...defaulting.filter((d) => !replaced.has(d.id)), ...defs];
        }
      }
    }
    for (const folder of RULE_LEVELS) {
      for (const file of listYaml(join(dir, folder), problems, display)) {
        files.push(file);
        const read = readSource(file, display(file), problems, cached);
        if (!read) continue;
        // Unknown keys alone (reported) do not keep the rest of the file from being checked in
        // the same run: its other problems are found without them.
        const raw = validate(read, ruleSchema, problems) ? read.src.data : withoutUnknownKeys(read.src.data, ruleSchema);
        if (raw !== undefined) ruleFiles.push({ read, raw: raw as RawRule, folder, dirIndex: index });
      }
    }
  }

  const scopes: Record<string, CompiledScope> = Object.create(null);
  for (const [id, { def, read, pointer }] of Object.entries(scopeDefs)) {
    try {
      scopes[id] = compileScope(def, pointer);
    } catch (e) {
      if (!(e instanceof CompileProblem)) throw e;
      problems.add(read.display, read.src, e.pointer, e.message, e.hint);
      brokenScopes.add(id);
    }
  }

  // A rules directory may replace a bundled check of the same level by id; any other clash of
  // ids is an error, so that no check disappears without a word.
  const byId = new Map<string, { rule: RuleDef; read: ReadFile }>();
  const definedIn = new Map<string, { read: ReadFile; level: string; dirIndex: number }>();
  const compiled = new Map<string, CompiledCheck[]>();
  const resolved: { rule: RuleDef; read: ReadFile }[] = [];
  for (const { read, raw, folder, dirIndex } of ruleFiles) {
    // Every problem of a file is reported at once: a file with one is read to its end, and
    // only then left out.
    const before = problems.items.length;
    const fileId = basename(read.file).replace(/\.ya?ml$/, '');
    if (raw.id !== fileId) {
      // The file's name is offered as the id only when it has an id's form.
      problems.add(read.display, read.src, '/id', `id "${raw.id}" does not match the file name "${basename(read.file)}"`,
        isIdentifier(fileId) ? `rename the file to ${raw.id}.yaml, or set id: ${fileId}` : `rename the file to ${raw.id}.yaml`);
    }
    if (raw.level !== folder) {
      problems.add(read.display, read.src, '/level', `level "${raw.level}" does not match the folder "${folder}/"`, `move the file to ${raw.level}/, or set level: ${folder}`);
    }
    if (RESERVED_CHECK_IDS.has(raw.id)) {
      problems.add(read.display, read.src, '/id', `check id "${raw.id}" is reserved: reports use it for invalid Namespace labels`, 'choose another id, and rename the file to match');
    }
    const earlier = definedIn.get(raw.id);
    if (earlier && earlier.dirIndex === dirIndex) {
      problems.add(read.display, read.src, '/id', `check "${raw.id}" is defined twice (also in ${earlier.read.display})`, 'keep one file per check id');
    } else if (earlier && earlier.dirIndex > 0) {
      problems.add(read.display, read.src, '/id', `check "${raw.id}" is also defined in ${earlier.read.display}, in an earlier rules directory`, 'keep one of the two files, or choose another id: only a bundled check may be replaced by id');
    } else if (earlier && earlier.level !== raw.level) {
      problems.add(read.display, read.src, '/id', `"${raw.id}" is a bundled ${earlier.level} check: this ${raw.level} file would remove it from ${earlier.level}`, `to replace it, put the file in ${earlier.level}/ with level: ${earlier.level}; to add a ${raw.level} check, choose another id`);
    }
    // Reports and `explain` take ids in any case: two that differ only in it could not be told apart.
    const sameButCase = [...definedIn].find(([id]) => id !== raw.id && id.toLowerCase() === raw.id.toLowerCase());
    if (sameButCase) {
      const [id, other] = sameButCase;
      problems.add(read.display, read.src, '/id', `check id "${raw.id}" differs from "${id}" (${other.dirIndex === 0 ? 'bundled, in' : 'defined in'} ${other.read.display}) only in letter case`,
        other.dirIndex === 0 ? `to replace the bundled check, name the file ${id}.yaml with id: ${id}; to add a check, choose an id that differs in more than case` : 'choose an id that differs in more than case, and rename the file to match');
    }
    // A later file of the same id is told of this one even when this one has problems.
    if (problems.items.length === before) definedIn.set(raw.id, { read, level: raw.level, dirIndex });
    const versions = resolveVersions(raw, read, problems);
    if (!versions) continue;
    const rule: RuleDef = { id: raw.id, level: raw.level, title: raw.title, summary: raw.summary, standard: raw.standard, ...(raw.fix !== undefined ? { fix: raw.fix } : {}), file: read.file, versions };
    resolved.push({ rule, read });
    const checks: CompiledCheck[] = [];
    for (const version of versions) {
      try {
        // A cached bundled rule compiled when the build cached it: its versions compile on first use.
        checks.push(read.validated ? lazyCheckVersion(rule.id, rule.level, version, scopes) : compileCheckVersion(rule.id, rule.level, version, scopes));
      } catch (e) {
        if (!(e instanceof CompileProblems)) throw e;
        // A problem a version inherits is reported once, where it is written.
        for (const p of e.problems) {
          // A scope whose own file has problems is not unknown: those problems say why.
          if (p.unknownScope !== undefined && (scopesUnread || brokenScopes.has(p.unknownScope))) continue;
          const key = `${p.pointer}|${p.message}`;
          if (!problems.items.some((x) => x.file === read.display && `${x.pointer}|${x.message}` === key)) problems.add(read.display, read.src, p.pointer, p.message, p.hint);
        }
      }
    }
    if (problems.items.length > before) continue;
    byId.delete(raw.id);
    byId.set(raw.id, { rule, read });
    compiled.set(rule.id, checks);
  }

  // Of every rule whose versions could be read, compiled or not; a target is looked for among
  // every check defined, so that a broken one is not reported as unknown too.
  for (const { rule, read } of resolved) {
    rule.versions.forEach((v, i) => {
      v.overrides.forEach((target, j) => {
        const other = definedIn.get(target);
        if (!other) {
          problems.add(read.display, read.src, `/versions/${i}/overrides/${j}`, `overrides unknown check "${target}"`, 'name a baseline check id');
        } else if (other.level !== 'baseline') {
          problems.add(read.display, read.src, `/versions/${i}/overrides/${j}`, `"${target}" is not a baseline check`, 'a restricted check may override only baseline checks');
        }
      });
    });
  }

  if (problems.items.length) {
    // Each file's problems together, in line order; the files in the order they were read.
    const rank = new Map<string, number>();
    for (const p of problems.items) if (!rank.has(p.file)) rank.set(p.file, rank.size);
    throw new RuleLoadError([...problems.items].sort((a, b) => rank.get(a.file)! - rank.get(b.file)! || a.line - b.line || a.column - b.column));
  }

  // Frozen: checks compile their versions on first use, so an edit would change later verdicts.
  const rules = deepFreeze([...byId.values()].map((r) => r.rule));
  const newestMinor = Math.max(...rules.map((r) => r.versions.at(-1)!.since));
  const table: RuleTable = { rules, scopes, defaulting, compiled, newestMinor, files, warnings: [] };
  if (bundledHash !== undefined && dirs.length === 1) table.bundledHash = bundledHash;
  // The bundled rules are held to the Pod's fields by the tests; the user's are checked here.
  table.warnings = [...layoutWarnings, ...(dirs.length > 1 ? ruleFieldWarnings(table, bundled, dirs.slice(1), display) : [])];
  return table;
}
