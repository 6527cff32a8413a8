import { closestKey } from '../engine/nearest.js';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parseJsonValue, skipJsonSpace } from '../cli/manifest/json.js';
import { LineIndex, locateOffset, type PosRecord } from '../cli/manifest/positions.js';
import { parseManifests } from '../cli/manifest/read.js';
import { DocError } from '../cli/manifest/resolve.js';
import { aggregateErrors, fieldErrorText, type FieldError } from './gostrings.js';
import { dns1123LabelErrors, dns1123SubdomainErrors } from './names.js';
import { DEFAULT_POLICY, POLICY_KEYS, policyFromDefaults, type Policy, type PolicyDefaults } from './policy.js';

export const CONFIG_GROUP = 'pod-security.admission.config.k8s.io';
export const CONFIG_VERSIONS = ['v1', 'v1beta1', 'v1alpha1'] as const;
export const ADMISSION_CONFIG_GROUP = 'apiserver.config.k8s.io';
/** The group versions the API server registers AdmissionConfiguration in (k8s.io/apiserver's apis/apiserver). */
const ADMISSION_CONFIG_VERSIONS = [`${ADMISSION_CONFIG_GROUP}/v1`, 'apiserver.k8s.io/v1alpha1'];

export interface Exemptions {
  usernames: string[];
  runtimeClasses: string[];
  namespaces: string[];
}

export interface PodSecurityConfiguration {
  apiVersion: string;
  defaults: PolicyDefaults;
  exemptions: Exemptions;
}

/** A loaded configuration with lookup-friendly exemption sets. */
export interface AdmissionConfig {
  defaults: Policy;
  exemptions: {
    usernames: ReadonlySet<string>;
    runtimeClasses: ReadonlySet<string>;
    namespaces: ReadonlySet<string>;
  };
  source: PodSecurityConfiguration;
  /** What the API server passes over in silence (unknown fields around the embedded configuration, say). */
  warnings?: ConfigProblem[];
  /** Files read (the one given, and a `path:` entry's), with their text; undefined when unreadable. */
  sources?: Map<string, string | undefined>;
}

/** One thing wrong with a configuration: the field it is at (`defaults.enforce`), where known. */
export interface ConfigProblem {
  message: string;
  field?: string;
  line?: number;
  column?: number;
  /** The file it is in, when not the one given (a file an AdmissionConfiguration names). */
  file?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Each problem found; one for most errors. parseAdmissionConfigFile lists them by line. */
  readonly problems: ConfigProblem[];
  /** As AdmissionConfig.sources: what a reload must watch to notice the error was fixed. */
  sources?: Map<string, string | undefined>;
  constructor(message: string, problems?: ConfigProblem[], field?: string) {
    super(message);
    this.problems = problems ?? [{ message, ...(field !== undefined ? { field } : {}) }];
  }
}

const EXEMPTION_KEYS = ['usernames', 'runtimeClasses', 'namespaces'] as const;


function unknownField(path: string, key: string, allowed: readonly string[]): ConfigProblem {
  const full = path ? `${path}.${key}` : key;
  const best = closestKey(key, allowed);
  const hint = best !== undefined ? `; did you mean "${best}"?` : `; allowed fields here: ${allowed.join(', ')}`;
  return { message: `unknown field "${full}"${hint}`, field: full };
}

/** As strict decoding: every unknown field at once. */
function unknownFieldsError(problems: ConfigProblem[]): ConfigError {
  return new ConfigError(problems.map((p) => p.message).join('; '), problems);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unknown keys go to `unknown` when given (decoding goes on, to find them all), else throw. */
function checkKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[], unknown?: ConfigProblem[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const problem = unknownField(path, key, allowed);
    if (!unknown) throw unknownFieldsError([problem]);
    unknown.push(problem);
  }
}

function expectObject(v: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new ConfigError(`${path} must be a mapping, got ${describe(v)}`, undefined, path);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  // Not "a object".
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** The strings of a list; what is no string goes to `problems`, and decoding goes on. */
function stringList(v: unknown, path: string, problems: ConfigProblem[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push({ message: `${path} must be a list of strings, got ${describe(v)}`, field: path });
    return [];
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    if (typeof item === 'string') out.push(item);
    // Go decodes a null item of a []string as "": validation then names it, in upstream's words.
    else if (item === null) out.push('');
    else problems.push({ message: `${path}[${i}] must be a string, got ${describe(item)}`, field: `${path}[${i}]` });
  });
  return out;
}

/** Whether a Namespace may have this name. */
export function isNamespaceName(name: string): boolean {
  return dns1123LabelErrors(name).length === 0;
}

/** What a namespace name is, in words. */
export const NAMESPACE_NAME_RULE = 'a namespace name is lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

function validateList(
  items: string[],
  path: string,
  check: (s: string) => readonly string[],
  errors: FieldError[],
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const field = `${path}[${i}]`;
    const errs = check(item);
    if (errs.length > 0) {
      errors.push({ type: 'FieldValueInvalid', field, value: item, detail: errs.join(', ') });
      return;
    }
    if (seen.has(item)) {
      errors.push({ type: 'FieldValueDuplicate', field, value: item, detail: '' });
      return;
    }
    seen.add(item);
  });
}

const NO_CONFIGURATION =
  "the file holds no configuration, only comments, white space or null (the API server refuses it: Object 'Kind' is missing); write a PodSecurityConfiguration, or leave the file empty for the defaults (privileged:latest, no exemptions)";

/** Upstream validation.ValidatePodSecurityConfiguration, in its order (defaults: enforce, warn, audit). */
export function validateConfiguration(cfg: PodSecurityConfiguration): FieldError[] {
  const { errors: defaultErrors } = policyFromDefaults(cfg.defaults);
  const order = ['enforce', 'enforce-version', 'warn', 'warn-version', 'audit', 'audit-version'].map((k) => `defaults.${k}`);
  const errors = defaultErrors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  validateList(cfg.exemptions.namespaces, 'exemptions.namespaces', (name) => dns1123LabelErrors(name), errors);
  validateList(cfg.exemptions.runtimeClasses, 'exemptions.runtimeClasses', (name) => dns1123SubdomainErrors(name), errors);
  validateList(cfg.exemptions.usernames, 'exemptions.usernames', (u) => (u === '' ? ['username must not be empty'] : []), errors);
  return errors;
}

/** Strictly decodes one PodSecurityConfiguration object (already parsed from YAML/JSON). */
export function decodePodSecurityConfiguration(doc: unknown, path = '', found: ConfigProblem[] = []): PodSecurityConfiguration {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const obj = expectObject(doc, path || 'the configuration');
  // Unknown fields and wrongly typed values (and those `found` around it): all reported together.
  const unknown: ConfigProblem[] = [...found];
  /** A mapping, or an empty one with the problem noted. */
  const mapping = (v: unknown, field: string): Record<string, unknown> => {
    if (v === undefined || v === null) return {};
    if (isPlainObject(v)) return v;
    unknown.push({ message: `${field} must be a mapping, got ${describe(v)}`, field });
    return {};
  };
  checkKeys(obj, path, ['apiVersion', 'kind', 'defaults', 'exemptions'], unknown);
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  const wanted = `${CONFIG_GROUP}/v1`;
  if (typeof apiVersion !== 'string' || !CONFIG_VERSIONS.some((v) => apiVersion === `${CONFIG_GROUP}/${v}`)) {
    throw new ConfigError(
      `${at('apiVersion')} is ${apiVersion === undefined ? 'missing' : JSON.stringify(apiVersion)}; write "apiVersion: ${wanted}"`, undefined, apiVersion === undefined ? path : at('apiVersion'),
    );
  }
  if (kind !== 'PodSecurityConfiguration') {
    throw new ConfigError(`${at('kind')} is ${kind === undefined ? 'missing' : JSON.stringify(kind)}; write "kind: PodSecurityConfiguration"`, undefined, kind === undefined ? path : at('kind'));
  }
  const defaultsIn = mapping(obj.defaults, at('defaults'));
  checkKeys(defaultsIn, at('defaults'), POLICY_KEYS, unknown);
  const defaults = {} as PodSecurityConfiguration['defaults'];
  for (const key of POLICY_KEYS) {
    const v = defaultsIn[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      unknown.push({ message: `${at(`defaults.${key}`)} must be a string, got ${describe(v)}`, field: at(`defaults.${key}`) });
    }
    // Like SetDefaults_PodSecurityDefaults: empty or absent means privileged / latest.
    defaults[key] = typeof v === 'string' && v !== '' ? v : key.endsWith('-version') ? 'latest' : 'privileged';
  }
  const exIn = mapping(obj.exemptions, at('exemptions'));
  checkKeys(exIn, at('exemptions'), EXEMPTION_KEYS, unknown);
  const exemptions: Exemptions = {
    usernames: stringList(exIn.usernames, at('exemptions.usernames'), unknown),
    runtimeClasses: stringList(exIn.runtimeClasses, at('exemptions.runtimeClasses'), unknown),
    namespaces: stringList(exIn.namespaces, at('exemptions.namespaces'), unknown),
  };
  const cfg = { apiVersion, defaults, exemptions };
  if (unknown.length > 0) {
    // The API server stops at what does not decode; the invalid values found as well save a run.
    const invalid = validateConfiguration(cfg).map((e) => ({ message: fieldErrorText({ ...e, field: at(e.field) }), field: at(e.field) }));
    throw unknownFieldsError([...unknown, ...invalid]);
  }
  return cfg;
}

/** Builds the runtime form; throws with every validation error when the content is invalid. */
export function toAdmissionConfig(cfg: PodSecurityConfiguration, path = ''): AdmissionConfig {
  const errors = validateConfiguration(cfg);
  if (errors.length > 0) {
    const at = (field: string) => (path ? `${path}.${field}` : field);
    throw new ConfigError(errors.length === 1 ? fieldErrorText(errors[0]!) : aggregateErrors(errors), errors.map((e) => ({ message: fieldErrorText(e), field: at(e.field) })));
  }
  return {
    defaults: policyFromDefaults(cfg.defaults).policy,
    exemptions: {
      usernames: new Set(cfg.exemptions.usernames),
      runtimeClasses: new Set(cfg.exemptions.runtimeClasses),
      namespaces: new Set(cfg.exemptions.namespaces),
    },
    source: cfg,
  };
}

export function defaultAdmissionConfig(): AdmissionConfig {
  return {
    defaults: DEFAULT_POLICY,
    exemptions: { usernames: new Set(), runtimeClasses: new Set(), namespaces: new Set() },
    source: {
      apiVersion: `${CONFIG_GROUP}/v1`,
      defaults: {
        enforce: 'privileged',
        'enforce-version': 'latest',
        audit: 'privileged',
        'audit-version': 'latest',
        warn: 'privileged',
        'warn-version': 'latest',
      },
      exemptions: { usernames: [], runtimeClasses: [], namespaces: [] },
    },
  };
}

/** The text as upstream's decoder reads it: its value, where its fields are, the keys given twice. */
interface ConfigText {
  /** null when there is no document (only comments, white space or `---`), or it is null. */
  value: unknown;
  json: boolean;
  /** Line and column of a field, or of its nearest ancestor. */
  locate(path: (string | number)[]): { line: number; column: number } | undefined;
  /** Keys given twice in one mapping (the last value is kept). */
  duplicates: { key: string; line: number; column: number; offset?: number }[];
  /** JSON only: offsets of the keys and items inside a value, to tell where a duplicate is. */
  offsetsIn?(node: unknown): Set<number>;
}

// Go's unicode.IsSpace, which the API machinery's JSON test trims (U+FEFF is no space).
const GO_SPACES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

/**
 * Reads configuration text as apimachinery's universal decoder does: JSON when its first
 * character that is no space is `{` (then one JSON value, nothing after it); otherwise YAML read
 * as go-yaml v2 reads it (YAML 1.1 scalars, merge keys), of which only the first document counts.
 */
function readConfigText(text: string, file: string): ConfigText {
  if (text.charCodeAt(GO_SPACES.exec(text)![0].length) === 123) return readJsonText(text);
  const duplicates: ConfigText['duplicates'] = [];
  const { documents, errors } = parseManifests(text, file, {
    only: new Set([0]),
    duplicateKeys: 'last',
    onDuplicateKey: (d) => duplicates.push({ key: d.key, line: d.line, column: d.column }),
  });
  const e = errors[0];
  if (e) {
    throw new ConfigError(`not valid YAML: ${e.message}`, [{ message: `not valid YAML: ${e.message}`, ...(e.line !== undefined ? { line: e.line, column: e.column! } : {}) }]);
  }
  const doc = documents[0];
  return { value: doc ? doc.value : null, json: false, locate: (path) => (doc ? doc.locate(path) : undefined), duplicates };
}

function readJsonText(text: string): ConfigText {
  const lines = new LineIndex(text);
  const rec: PosRecord = new Map();
  const duplicates: ConfigText['duplicates'] = [];
  const syntax = (message: string, offset: number): ConfigError => {
    const pos = lines.position(Math.min(offset, text.length));
    return new ConfigError(`not valid JSON: ${message}`, [{ message: `not valid JSON: ${message}`, line: pos.line, column: pos.column }]);
  };
  let r: ReturnType<typeof parseJsonValue>;
  try {
    r = parseJsonValue(text, skipJsonSpace(text, 0), rec, (key, offset) => duplicates.push({ key, offset, ...lines.position(offset) }));
  } catch (err) {
    if (err instanceof DocError) throw syntax(err.message, err.offset);
    throw err;
  }
  // Go's JSON decoder takes one value: anything after it but spaces is an error.
  const after = skipJsonSpace(text, r.end);
  if (after < text.length) throw syntax(`invalid character '${String.fromCodePoint(text.codePointAt(after)!)}' after top-level value`, after);
  const offsetsIn = (node: unknown): Set<number> => {
    const out = new Set<number>();
    const walk = (n: unknown): void => {
      if (n === null || typeof n !== 'object') return;
      const offs = rec.get(n);
      if (offs) for (const o of offs.values()) out.add(o);
      for (const child of Object.values(n)) walk(child);
    };
    walk(node);
    return out;
  };
  return { value: r.value, json: true, locate: (path) => lines.position(locateOffset(r.value, rec, r.root, path)), duplicates, offsetsIn };
}

export interface ParseOptions {
  /** Name of the file, for messages. */
  file?: string;
  /** Directory that a relative `path` of an AdmissionConfiguration's plugin entry is resolved in. */
  dir?: string;
  /** Gets each file read besides the one given, with its text (undefined when unreadable). */
  sources?: Map<string, string | undefined>;
}

/**
 * Parses configuration text (YAML or JSON): a PodSecurityConfiguration, or an apiserver
 * AdmissionConfiguration embedding one. Empty text gives the all-privileged defaults.
 */
export function parseAdmissionConfig(text: string, options: ParseOptions = {}): AdmissionConfig {
  // As upstream's loader: only an empty file means the defaults; one of comments decodes as null.
  if (text.length === 0) return emptyFileDefaults();
  const read = readConfigText(text, options.file ?? '');
  const warnings: ConfigProblem[] = [];
  try {
    const config = fromValue(read, options, warnings);
    place(warnings, read);
    // Those of a file its `path:` names come placed already.
    warnings.push(...(config.warnings ?? []));
    if (warnings.length > 0) config.warnings = warnings;
    return config;
  } catch (err) {
    if (err instanceof ConfigError) place(err.problems, read);
    throw err;
  }
}

/** Each problem at its field's line, or the nearest line there is. */
function place(problems: ConfigProblem[], read: ConfigText): void {
  for (const p of problems) {
    if (p.field === undefined || p.line !== undefined || p.file !== undefined) continue;
    const parts = [...p.field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    const pos = read.locate(parts);
    if (!pos) continue;
    p.line = pos.line;
    p.column = pos.column;
  }
}

function duplicateProblem(d: ConfigText['duplicates'][number], json: boolean): ConfigProblem {
  // go-yaml's and Go's JSON decoder's words, under strict decoding.
  const message = json ? `duplicate field "${d.key}"` : `key "${d.key}" already set in map`;
  return { message, line: d.line, column: d.column };
}

function fromValue(read: ConfigText, options: ParseOptions, warnings: ConfigProblem[]): AdmissionConfig {
  const value = read.value;
  if (value === null || value === undefined) throw new ConfigError(NO_CONFIGURATION);
  const obj = expectObject(value, 'the configuration');
  const apiVersion = obj.apiVersion;
  if (obj.kind === 'AdmissionConfiguration' || (typeof apiVersion === 'string' && /^apiserver\.(config\.)?k8s\.io\//.test(apiVersion))) {
    if (!ADMISSION_CONFIG_VERSIONS.includes(apiVersion as string)) {
      // A missing one read "apiVersion undefined", with no position.
      const what = apiVersion === undefined ? 'apiVersion is missing' : `apiVersion ${JSON.stringify(apiVersion)} is not supported`;
      throw new ConfigError(`${what} for AdmissionConfiguration; write "apiVersion: ${ADMISSION_CONFIG_GROUP}/v1"`, undefined, apiVersion === undefined ? undefined : 'apiVersion');
    }
    return fromAdmissionConfiguration(obj, read, options, warnings);
  }
  // Strict decoding: a key given twice is an error, reported with the unknown fields.
  const found = read.duplicates.map((d) => duplicateProblem(d, read.json));
  return toAdmissionConfig(decodePodSecurityConfiguration(obj, '', found));
}

/**
 * The PodSecurity plugin's configuration in an apiserver AdmissionConfiguration, as the API
 * server reads it (ReadAdmissionConfiguration, ConfigFor): the file is decoded leniently (unknown
 * fields ignored, of a key given twice the last value kept; each only warned about here); the
 * first entry named PodSecurity counts; its `configuration`, else the file at its `path` (relative
 * to this file's directory), is decoded strictly; with neither, or no such entry, the plugin gets
 * the defaults.
 */
function fromAdmissionConfiguration(obj: Record<string, unknown>, read: ConfigText, options: ParseOptions, warnings: ConfigProblem[]): AdmissionConfig {
  const typeErrors: ConfigProblem[] = [];
  checkKeys(obj, '', ['apiVersion', 'kind', 'plugins'], warnings);
  const plugins = obj.plugins ?? [];
  if (!Array.isArray(plugins)) throw new ConfigError(`plugins must be a list of {name, configuration} entries, got ${describe(plugins)}`, undefined, 'plugins');
  let index = -1;
  plugins.forEach((p, i) => {
    // A null entry decodes as an empty one.
    if (p === null) return;
    if (!isPlainObject(p)) {
      typeErrors.push({ message: `plugins[${i}] must be a mapping, got ${describe(p)}`, field: `plugins[${i}]` });
      return;
    }
    checkKeys(p, `plugins[${i}]`, ['name', 'path', 'configuration'], warnings);
    for (const key of ['name', 'path'] as const) {
      const v = p[key];
      if (v !== undefined && v !== null && typeof v !== 'string') typeErrors.push({ message: `plugins[${i}].${key} must be a string, got ${describe(v)}`, field: `plugins[${i}].${key}` });
    }
    if (p.name === 'PodSecurity' && index < 0) index = i;
  });
  if (typeErrors.length > 0) throw unknownFieldsError(typeErrors);
  const other = read.duplicates.filter((d) => !read.json || index < 0 || !read.offsetsIn!((plugins[index] as Record<string, unknown>).configuration).has(d.offset!));
  for (const d of other) warnings.push({ message: `key "${d.key}" is given twice; the API server keeps the last value`, line: d.line, column: d.column });
  if (index < 0) {
    warnings.push({ message: 'no plugin entry is named "PodSecurity": the API server gives the PodSecurity plugin the defaults (privileged:latest, no exemptions)', field: 'plugins' });
    return defaultAdmissionConfig();
  }
  const entry = plugins[index] as Record<string, unknown>;
  const at = `plugins[${index}].configuration`;
  if (entry.configuration !== undefined && entry.configuration !== null) {
    if (typeof entry.path === 'string' && entry.path !== '') {
      warnings.push({ message: `path ${JSON.stringify(entry.path)} is not read: the API server takes the configuration given beside it`, field: `plugins[${index}].path` });
    }
    // A JSON file hands the embedded text on as written: a key given twice in it is refused there.
    const inside = read.json ? read.duplicates.filter((d) => !other.includes(d)).map((d) => duplicateProblem(d, true)) : [];
    return toAdmissionConfig(decodePodSecurityConfiguration(entry.configuration, at, inside), at);
  }
  if (typeof entry.path === 'string' && entry.path !== '') return fromPluginPath(entry.path, `plugins[${index}].path`, options);
  return defaultAdmissionConfig();
}

/** The file an AdmissionConfiguration's PodSecurity entry names, read as the plugin reads it. */
function fromPluginPath(path: string, field: string, options: ParseOptions): AdmissionConfig {
  const file = isAbsolute(path) ? path : resolvePath(options.dir ?? '.', path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    options.sources?.set(file, text);
  } catch (err) {
    options.sources?.set(file, undefined);
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${field}: cannot read ${file}: ${code ?? (err as Error).message}`, undefined, field);
  }
  if (text.length === 0) return emptyFileDefaults(file);
  // The plugin decodes it with its own scheme: a PodSecurityConfiguration, nothing else.
  let read: ConfigText | undefined;
  try {
    const parsed = readConfigText(text, file);
    read = parsed;
    if (parsed.value === null || parsed.value === undefined) throw new ConfigError(NO_CONFIGURATION);
    const found = parsed.duplicates.map((d) => duplicateProblem(d, parsed.json));
    return toAdmissionConfig(decodePodSecurityConfiguration(expectObject(parsed.value, 'the configuration'), '', found));
  } catch (err) {
    if (err instanceof ConfigError) {
      if (read !== undefined) place(err.problems, read);
      for (const p of err.problems) p.file ??= file;
    }
    throw err;
  }
}

/** What to do about a problem of a configuration, where its message alone does not say it. */
export function configProblemHint(problem: ConfigProblem | undefined): string | undefined {
  const m = problem?.message ?? '';
  if (/-version must be a string, got a number/.test(m)) return 'quote the version and write its v: "v1.29" (unquoted, 1.29 is a number)';
  if (/must be a list of strings, got a string/.test(m)) return 'write a list, even of one item: [name]';
  if (/must be one of privileged, baseline, restricted/.test(m)) return 'write privileged, baseline or restricted, in lower case';
  if (/must be "latest" or "v1\.x"/.test(m)) return 'write latest, or a version such as "v1.29" (no patch number)';
  return undefined;
}

/** An empty file is the defaults, as upstream's loader reads it: said, as it lets every pod run. */
function emptyFileDefaults(file?: string): AdmissionConfig {
  const warning: ConfigProblem = {
    message: 'the file is empty, so the defaults apply: privileged:latest for enforce, audit and warn, and no exemptions (as the API server reads an empty file)',
    ...(file !== undefined ? { file } : {}),
  };
  return { ...defaultAdmissionConfig(), warnings: [warning] };
}

/** Reads and parses a configuration file; errors name the file. */
export function loadAdmissionConfigFile(file: string): AdmissionConfig {
  // Every file read, with the text read: a reload compares against what was used, read once.
  const sources = new Map<string, string | undefined>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
    sources.set(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const error = new ConfigError(`cannot read configuration file ${file}: ${code ?? (err as Error).message}`);
    error.sources = new Map([[file, undefined]]);
    throw error;
  }
  try {
    const config = parseAdmissionConfigFile(text, file, dirname(file), sources);
    config.sources = sources;
    return config;
  } catch (err) {
    if (err instanceof ConfigError) err.sources = sources;
    throw err;
  }
}

/** A problem as logs and stderr show it: `file:line:column: message`. */
export function configProblemText(p: ConfigProblem, file: string): string {
  const f = p.file ?? file;
  return `${p.line !== undefined ? `${f}:${p.line}:${p.column}` : f}: ${p.message}`;
}

/** parseAdmissionConfig for the text of `file`: its errors start with the file's name, and every warning names its file. */
export function parseAdmissionConfigFile(text: string, file: string, dir = dirname(file), sources?: Map<string, string | undefined>): AdmissionConfig {
  const where = (p: ConfigProblem) => {
    const f = p.file ?? file;
    return p.line !== undefined ? `${f}:${p.line}:${p.column}` : f;
  };
  try {
    const config = parseAdmissionConfig(text, { file, dir, ...(sources ? { sources } : {}) });
    if (config.warnings) config.warnings = config.warnings.map((w) => ({ ...w, file: w.file ?? file }));
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // As a compiler lists them: by file, then line; what has no line first (it is about the whole file).
    const at = (p: ConfigProblem) => (p.line === undefined ? -1 : p.line * 1e6 + (p.column ?? 0));
    err.problems.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || at(a) - at(b));
    const [only, ...more] = err.problems;
    if (only && more.length === 0) throw new ConfigError(`invalid configuration file ${where(only)}: ${only.message}`, err.problems);
    throw new ConfigError(`invalid configuration file ${file}: ${err.problems.length} problems:\n${err.problems.map((p) => `  ${where(p)}: ${p.message}`).join('\n')}`, err.problems);
  }
}
