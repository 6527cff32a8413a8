/**
 * `podsec check` as a function, published as `podsec/check`: manifest texts in, the JSON
 * report's object out (schemas/report.schema.json), read and judged exactly as the command does.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, isNamespaceName, NAMESPACE_NAME_RULE, parseAdmissionConfigFile, type AdmissionConfig } from '../admission/config.js';
import { createEvaluator, PodsecArgumentError, type Evaluator, type Level } from '../engine/index.js';
import { describeValue } from '../engine/errors.js';
import { parseLevel, parseVersion, versionFlagError } from '../engine/version.js';
import { checkManifests as judgeManifests, configWarning, ruleWarnings } from './check/run.js';
import { REPORT_FORMATS, writeReport, type ReportFormat } from './report/format.js';
import type { Report, ReportError } from './report/model.js';
import { toolVersion } from './version.js';

// The report's types, as a program reading it names them.
export type { LevelVersionText, Location, Mode, ModeEvaluation, NotEvaluated, Report, ReportError } from './report/model.js';
export type { ReportViolation, ResourcePolicy, ResourceResult, Source, Summary } from './report/model.js';
export type { Level } from '../engine/index.js';
export type { ReportFormat } from './report/format.js';

/** One input: what a report calls it, and its bytes or text (YAML or JSON, any number of documents). */
export interface ManifestSource {
  file: string;
  content: string | Uint8Array;
}

export interface CheckManifestsOptions {
  /** An evaluator to reuse (custom rules: `createEvaluator({ rulesDirs })`); a new one with the bundled rules by default. */
  evaluator?: Evaluator;
  /** As `--level`: replaces any namespace label or configured default. */
  level?: Level;
  /** As `--version`: `latest` or `v1.N`. */
  version?: string;
  /** As `--namespace`: the namespace of objects that name none (default `default`). */
  namespace?: string;
  /** As `--user`: the requesting user, matched against the configuration's `exemptions.usernames`. */
  user?: string;
  /** As `--config`: a PodSecurityConfiguration or AdmissionConfiguration file (`v1` or `v1beta1`). */
  configFile?: string;
  /** As `--validate`: `strict` (default) refuses a field the object's type does not have, `warn` reports it, `ignore` says nothing. */
  validate?: 'strict' | 'warn' | 'ignore';
}

const OPTIONS: Record<keyof CheckManifestsOptions, string> = {
  evaluator: 'an evaluator from createEvaluator()',
  level: 'privileged, baseline or restricted',
  version: 'latest or v1.N',
  namespace: 'a namespace name',
  user: 'a user name',
  configFile: 'a file path',
  validate: 'strict, warn or ignore',
};

/** The bundled rules' evaluator, made at the first call that needs it: its rules never change. */
let bundledEvaluator: Evaluator | undefined;

/** What a report of checkManifests was made from, for formatReport: its rules, and the texts its lines are in. */
const madeFrom = new WeakMap<Report, { evaluator: Evaluator; sources: Map<string, string> }>();

/**
 * Reads and judges the manifests as `podsec check` does: kubectl's YAML reading, the API
 * server's decoding and validation, namespace labels, the configuration's defaults and
 * exemptions. A bad input is an error in the report, never a throw; a bad argument throws
 * `PodsecArgumentError`.
 */
export function checkManifests(manifests: readonly ManifestSource[], options: CheckManifestsOptions = {}): Report {
  checkOptions(options);
  if (!Array.isArray(manifests)) throw new PodsecArgumentError(`manifests must be a list of { file, content }, not ${describeValue(manifests)}`);
  manifests.forEach((m: unknown, i) => {
    const item = m as Partial<ManifestSource> | null;
    if (typeof item !== 'object' || item === null || typeof item.file !== 'string' || item.file === '') {
      throw new PodsecArgumentError(`manifests[${i}] must be { file, content } with a file name, not ${describeValue(m)}`);
    }
    if (typeof item.content !== 'string' && !(item.content instanceof Uint8Array)) {
      throw new PodsecArgumentError(`manifests[${i}].content (${item.file}) must be a string or a Uint8Array, not ${describeValue(item.content)}`);
    }
  });
  const setupWarnings: ReportError[] = [];
  const config = options.configFile === undefined ? undefined : readConfig(options.configFile, setupWarnings);
  const evaluator = options.evaluator ?? (bundledEvaluator ??= createEvaluator());
  // What the rules warn of, as the command's report lists it (--rules-dir).
  setupWarnings.push(...ruleWarnings(evaluator));
  const sources = new Map<string, string>();
  const report = judgeManifests(manifests.map((m) => ({ file: m.file, content: m.content })), {
    evaluator,
    ...(options.level !== undefined ? { level: options.level } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(config ? { config, configFile: options.configFile! } : {}),
    namespace: options.namespace ?? 'default',
    namespaceGiven: options.namespace !== undefined,
    ...(options.user !== undefined ? { user: options.user } : {}),
    toolVersion: toolVersion(),
    fieldValidation: options.validate ?? 'strict',
    setupWarnings,
    sources,
  });
  madeFrom.set(report, { evaluator, sources });
  return report;
}

export interface FormatReportOptions {
  /** text: ANSI colours (default false). */
  color?: boolean;
  /** text: only what failed, the errors and the summary, as `--quiet` (default false). */
  quiet?: boolean;
  /** sarif, github: the repository's root, which file names are made relative to (default: GITHUB_WORKSPACE when set, else the current directory). */
  root?: string;
  /** sarif: the evaluator whose rules the report's checks are (default: the one checkManifests used, else the bundled rules). */
  evaluator?: Evaluator;
}

const FORMAT_OPTIONS: Record<keyof FormatReportOptions, string> = {
  color: 'true or false',
  quiet: 'true or false',
  root: 'a directory path',
  evaluator: 'an evaluator from createEvaluator()',
};

/**
 * The report as `podsec check --format FORMAT` writes it: `text`, `json`, `sarif` (SARIF 2.1.0,
 * quoting the offending lines of a report from checkManifests), `github` (workflow commands) or
 * `junit`. Relative file names are taken from the current directory.
 */
export function formatReport(report: Report, format: ReportFormat, options: FormatReportOptions = {}): string {
  if (typeof report !== 'object' || report === null || !Array.isArray(report.resources) || typeof report.summary !== 'object') {
    throw new PodsecArgumentError(`report must be a report of checkManifests (or podsec check --format json), not ${describeValue(report)}`);
  }
  if (typeof format !== 'string' || !Object.hasOwn(REPORT_FORMATS, format)) {
    throw new PodsecArgumentError(`format must be ${Object.keys(REPORT_FORMATS).join(', ')}, not ${describeValue(format)}`);
  }
  checkFormatOptions(options);
  const made = madeFrom.get(report);
  const evaluator = options.evaluator ?? made?.evaluator ?? (bundledEvaluator ??= createEvaluator());
  const cwd = process.cwd();
  let text = '';
  writeReport(report, format, {
    color: options.color ?? false,
    verbose: !(options.quiet ?? false),
    // As the command: a GitHub Actions job's repository, whatever directory the step runs in.
    root: resolve(cwd, options.root ?? process.env.GITHUB_WORKSPACE ?? '.'),
    cwd,
    rules: evaluator.table.rules,
    ...(made ? { sourceText: (file: string) => made.sources.get(file) } : {}),
  }, (piece) => (text += piece));
  return text;
}

function checkFormatOptions(options: unknown): asserts options is FormatReportOptions {
  checkOptionTypes(options, FORMAT_OPTIONS, '{ color: true }', (key, value) =>
    key === 'evaluator' ? isEvaluator(value) : key === 'root' ? typeof value === 'string' && value !== '' : typeof value === 'boolean');
}

/** An options object: only the keys `described` names, each (when set) of the kind it describes. */
function checkOptionTypes(options: unknown, described: Record<string, string>, example: string, fits: (key: string, value: unknown) => boolean): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PodsecArgumentError(`options must be an object such as ${example}, not ${describeValue(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(described, key)) throw new PodsecArgumentError(`unknown option ${JSON.stringify(key)}: the options are ${Object.keys(described).join(', ')}`);
    if (value !== undefined && !fits(key, value)) throw new PodsecArgumentError(`option ${key} must be ${described[key]}, not ${describeValue(value)}`);
  }
}

function isEvaluator(value: unknown): value is Evaluator {
  return typeof value === 'object' && value !== null && typeof (value as Evaluator).evaluate === 'function';
}

function checkOptions(options: unknown): asserts options is CheckManifestsOptions {
  checkOptionTypes(options, OPTIONS, "{ level: 'baseline' }", (key, value) => (key === 'evaluator' ? isEvaluator(value) : typeof value === 'string'));
  const o = options as Record<string, unknown>;
  if (typeof o.level === 'string') {
    const l = parseLevel(o.level);
    if (l.error) throw new PodsecArgumentError(`invalid level ${JSON.stringify(o.level)}: ${l.error}`);
  }
  if (typeof o.version === 'string') {
    const v = parseVersion(o.version);
    if (v.error) throw new PodsecArgumentError(`invalid version ${JSON.stringify(o.version)}: ${versionFlagError(v)}`);
  }
  if (typeof o.namespace === 'string' && !isNamespaceName(o.namespace)) {
    throw new PodsecArgumentError(`invalid namespace ${JSON.stringify(o.namespace)}: ${NAMESPACE_NAME_RULE}`);
  }
  // Admission never sees a request without a user name, and exemptions may not name one.
  if (o.user === '') throw new PodsecArgumentError('user must be a user name, not empty');
  if (typeof o.validate === 'string' && !['strict', 'warn', 'ignore'].includes(o.validate)) {
    throw new PodsecArgumentError(`option validate must be ${OPTIONS.validate}, not ${JSON.stringify(o.validate)}`);
  }
}

/** As `--config` reads it; what it warns of goes to the report's warnings. */
function readConfig(file: string, warnings: ReportError[]): AdmissionConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PodsecArgumentError(`cannot read the configuration file ${file}: ${(err as Error).message}`);
  }
  try {
    // A relative `path` in an AdmissionConfiguration is the file's neighbour, as for the API server.
    const config = parseAdmissionConfigFile(text, file, dirname(resolve(file)));
    for (const w of config.warnings ?? []) warnings.push(configWarning(w, file));
    return config;
  } catch (err) {
    if (err instanceof ConfigError) throw new PodsecArgumentError(err.message);
    throw err;
  }
}
