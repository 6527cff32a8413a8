/**
 * Test case files for rules (schemas/cases.schema.json): pods a check must pass or fail, with the
 * exact message, at listed policy versions. `podsec test` runs them; so do the bundled rules' tests.
 */
import { closestKey } from '../engine/nearest.js';
import { readValidatedYaml } from '../engine/load.js';
import { casesSchema } from '../engine/schema.js';
import { VERSION_PATTERN } from '../engine/version.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatFieldPath, formatProblem, PodsecArgumentError, type Evaluator, type RuleProblem } from '../engine/index.js';
import type { RuleLevel } from '../engine/api.js';
import { validateObjectFields } from './check/validate.js';
import { fieldHome } from '../admission/field-types.js';
import { CONTAINER_LISTS } from '../admission/extract.js';

export type Expectation = 'pass' | { reason: string; detail?: string; fields?: string[] };

export interface RuleCase {
  name: string;
  level?: RuleLevel;
  versions: string[];
  defaulting?: 'pod' | 'template' | 'none';
  pod: { apiVersion?: string; kind?: string; metadata?: Record<string, unknown>; spec: Record<string, unknown> };
  expect: Expectation;
  /** Where the case starts in its file. */
  line: number;
  column: number;
}

export interface CaseFile {
  file: string;
  check: string;
  cases: RuleCase[];
}

/** One case at one level and version: what the check found, against what was expected. */
export interface CaseRun {
  case: RuleCase;
  level: RuleLevel;
  version: string;
  /** The policy version whose checks ran: `v1.37` for `latest` and for a newer `v1.N`. */
  evaluatedVersion: string;
  /** Whether the check is among those that run at this level and version. */
  checkRuns: boolean;
  ok: boolean;
  /** The check's violation, or null when it found nothing (or does not run at that level and version). */
  actual: { reason: string; detail: string; fields: string[] } | null;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapePointer = (part: string | number) => String(part).replace(/~/g, '~0').replace(/\//g, '~1');
/** Field problems shown per case; more are summed up in one line. */
const FIELD_PROBLEMS_SHOWN = 10;

/**
 * Reads a case file and checks it against the rules: its check must exist, and its cases must be
 * pods the API server would take. Problems carry file, line and column, as rule files' do; those
 * the schema cannot see are looked for in a file it refused too, so that one run shows them all.
 */
export function loadCaseFile(file: string, display: string, evaluator: Evaluator): { caseFile?: CaseFile; problems: RuleProblem[]; notCases?: string } {
  const read = readValidatedYaml(file, display, casesSchema);
  // A stream of manifests (kubectl kustomize output, a Deployment and its Service).
  const first = read.firstOfMany;
  if (isObject(first) && 'apiVersion' in first && 'kind' in first) {
    return { problems: [{ file: display, line: 1, column: 1, pointer: '', message: 'these are Kubernetes manifests (several documents), not test cases', hint: 'podsec check judges manifests; a case file has check: and cases:, with a pod in each case' }], notCases: 'Kubernetes manifests' };
  }
  if (read.data === undefined || !read.locate) return { problems: read.problems };
  const { data, locate } = read;
  const problems: RuleProblem[] = [];
  const at = (pointer: string, message: string, hint: string, atKey = false) => {
    const pos = locate(pointer, atKey);
    problems.push({ file: display, line: pos.line, column: pos.column, pointer, message, hint });
  };
  // A rule file or a manifest given as test cases: one error says what it is, not one per key.
  if (isObject(data) && !('check' in data) && !('cases' in data)) {
    if ('schemaVersion' in data) {
      at('', 'this is a rule file (or scopes.yaml or defaulting.yaml), not test cases', 'load its rules directory with --rules-dir; a case file has check: and cases:');
      return { problems, notCases: 'a rule file' };
    }
    if ('apiVersion' in data && 'kind' in data) {
      at('', `this is a Kubernetes manifest (kind ${JSON.stringify(data.kind)}), not test cases`, 'podsec check judges manifests; a case file has check: and cases:, with a pod in each case');
      return { problems, notCases: 'a Kubernetes manifest' };
    }
  }
  problems.push(...read.problems);
  if (!isObject(data)) return { problems };
  const rule = typeof data.check === 'string' ? evaluator.table.rules.find((r) => r.id === data.check) : undefined;
  if (typeof data.check === 'string' && !rule) {
    const near = closestKey(data.check, evaluator.table.rules.map((r) => r.id));
    at('/check', `no check "${data.check}" in the rules loaded`, near ? `did you mean "${near}"? A check of your own needs --rules-dir` : 'name a check "podsec rules" lists; a check of your own needs --rules-dir');
  }
  const cases = Array.isArray(data.cases) ? data.cases : [];
  // Results name a case by its name: two of one name could not be told apart.
  const named = new Map<string, number>();
  cases.forEach((c, i) => {
    if (!isObject(c)) return;
    caseProblems(c, i, rule?.level, data.check, evaluator, at);
    if (typeof c.name !== 'string') return;
    const first = named.get(c.name);
    if (first === undefined) named.set(c.name, i);
    else at(`/cases/${i}/name`, `cases[${i}] has the name of cases[${first}] (line ${locate(`/cases/${first}`).line}): ${JSON.stringify(c.name)}`, 'give each case a name of its own');
  });
  // In line order (a stable sort: what shares a place keeps its order).
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  // A problem of one case leaves that case out; the file's other cases still run.
  const badCases = new Set<number>();
  for (const p of problems) {
    const i = /^\/cases\/(\d+)(?:\/|$)/.exec(p.pointer)?.[1];
    if (i === undefined) return { problems };
    badCases.add(Number(i));
  }
  if (!rule || !Array.isArray(data.cases) || badCases.size === cases.length) return { problems };
  const good = (data.cases as Omit<RuleCase, 'line' | 'column'>[]).flatMap((c, i) => (badCases.has(i) ? [] : [{ ...c, ...locate(`/cases/${i}`) }]));
  return { caseFile: { file: display, check: rule.id, cases: good }, problems };
}

function caseProblems(c: JsonObject, i: number, ruleLevel: RuleLevel | undefined, check: unknown, evaluator: Evaluator, at: (pointer: string, message: string, hint: string, atKey?: boolean) => void): void {
  if (c.level === 'baseline' && ruleLevel === 'restricted') {
    at(`/cases/${i}/level`, `${String(check)} is a restricted check: at baseline it never runs`, 'remove level:, or write level: restricted');
  }
  // Versions the schema takes but the engine does not (a minor version too large to be one).
  const level = c.level === 'baseline' || c.level === 'restricted' ? c.level : ruleLevel ?? 'restricted';
  if (Array.isArray(c.versions)) {
    const listed = new Set<unknown>();
    c.versions.forEach((v, j) => {
      if (listed.has(v)) at(`/cases/${i}/versions/${j}`, `cases[${i}].versions lists ${JSON.stringify(v)} twice`, 'remove one: each version runs the case once');
      listed.add(v);
      // The schema reports the forms it refuses.
      if (typeof v !== 'string' || (v !== 'latest' && !VERSION_PATTERN.test(v))) return;
      try {
        evaluator.resolvePolicy(level, v);
      } catch (err) {
        if (!(err instanceof PodsecArgumentError)) throw err;
        at(`/cases/${i}/versions/${j}`, `cases[${i}].versions[${j}]: ${err.message}`, 'write latest, or a policy version like v1.25');
      }
    });
  }
  const pod = c.pod;
  if (!isObject(pod)) return;
  const field = (path: readonly (string | number)[]) => `cases[${i}].pod.${formatFieldPath(path)}`;
  const pointer = (path: readonly (string | number)[]) => `/cases/${i}/pod${path.map((p) => `/${escapePointer(p)}`).join('')}`;
  // A misspelt, misplaced or wrongly typed field is read as absent: the case would test another
  // pod. A volume's key like no field may be meant: a volume type newer than the checks.
  let shown = 0;
  let lastShown = '';
  let lastShownAtKey = false;
  const fieldErrors = validateObjectFields('Pod', { apiVersion: 'v1', kind: 'Pod', ...pod }, 100, true);
  for (const e of fieldErrors) {
    const name = String(e.path[e.path.length - 1]);
    const home = e.unknown && !e.suggestion ? fieldHome('Pod', e.path) : undefined;
    const newVolumeType = e.path.length === 4 && e.path[0] === 'spec' && e.path[1] === 'volumes';
    if (e.unknown && !e.suggestion && !home && newVolumeType && name !== '<<') continue;
    if (shown++ === FIELD_PROBLEMS_SHOWN) {
      // Where the last one shown is, so that it stays last when problems are put in line order.
      at(lastShown, `cases[${i}].pod has more fields that are misspelt, misplaced or of the wrong type than those shown`, 'fix those first, and run again', lastShownAtKey);
      break;
    }
    [lastShown, lastShownAtKey] = [pointer(e.path), e.unknown === true];
    if (name === '<<') at(pointer(e.path), `${field(e.path)}: merge keys are not read in case files (YAML 1.2), so no check would see what it merges`, 'write the fields out', true);
    else if (home) at(pointer(e.path), `${field(e.path)} is not a field there, so no check reads it`, `move it to ${home}`, true);
    else if (e.unknown) at(pointer(e.path), `${field(e.path)} is not a field of a Pod, so no check reads it`, e.suggestion ? `did you mean "${e.suggestion}"?` : 'remove it, or write the field meant', true);
    else at(pointer(e.path), `${field(e.path)} ${e.message}`, 'write the type the field takes: the API server would refuse this pod');
  }
  // Said once: a value the field check refused is not also too large, infinite or missing.
  const refused = new Set(fieldErrors.map((e) => pointer(e.path)));
  // What the API server requires of every pod, which the checks would otherwise pass.
  const spec = pod.spec;
  if (!isObject(spec)) return;
  if (spec.containers === undefined || spec.containers === null || (Array.isArray(spec.containers) && spec.containers.length === 0)) {
    at(pointer(Object.hasOwn(spec, 'containers') ? ['spec', 'containers'] : ['spec']), `${field(['spec', 'containers'])}: Required value (the API server refuses a pod without containers)`, 'add one: containers: [{ name: a }]');
  }
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((ctr, j) => {
      // A name of another type is a field error already.
      if (isObject(ctr) && (typeof ctr.name === 'string' ? ctr.name !== '' : ctr.name !== undefined && ctr.name !== null)) return;
      at(pointer(['spec', list, j]), `${field(['spec', list, j, 'name'])}: Required value (the API server refuses a container without a name)`, 'give it a name: messages name containers by it');
    });
  }
  // YAML's .inf and .nan, which no JSON the API server takes can hold, and integers a double
  // holds only rounded (so that a range check would see another number).
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (refused.has(pointer(path))) return;
    if (typeof v === 'number' && !Number.isFinite(v)) at(pointer(path), `${field(path)} is ${String(v)}, which JSON cannot hold`, 'write a finite number');
    else if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) at(pointer(path), `${field(path)} is too large to be read exactly`, `write an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`);
    else if (Array.isArray(v)) v.forEach((x, k) => walk(x, [...path, k]));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(pod, []);
}

/** Case files are YAML, under either extension in any case (kubectl's lists take lower case only). */
export const CASE_FILE_NAME = /\.ya?ml$/i;

/** The case files directly in a directory, in name order; a file with problems throws, naming them (the bundled cases must be valid). */
export function loadBundledCases(dir: string, evaluator: Evaluator): CaseFile[] {
  return readdirSync(dir)
    .filter((f) => CASE_FILE_NAME.test(f))
    .sort()
    .map((f) => {
      const { caseFile, problems } = loadCaseFile(join(dir, f), f, evaluator);
      if (!caseFile) throw new Error(`${join(dir, f)} is invalid:\n${problems.map(formatProblem).join('\n')}`);
      return caseFile;
    });
}

/** Runs every case of a file at each of its versions. A pod the evaluator refuses is a problem, not a run. */
export function runCaseFile(caseFile: CaseFile, evaluator: Evaluator): { runs: CaseRun[]; problems: RuleProblem[] } {
  const rule = evaluator.table.rules.find((r) => r.id === caseFile.check)!;
  const runs: CaseRun[] = [];
  const problems: RuleProblem[] = [];
  for (const c of caseFile.cases) {
    const level = c.level ?? rule.level;
    for (const version of c.versions) {
      let result;
      try {
        result = evaluator.evaluate(c.pod, { level, version, defaulting: c.defaulting ?? 'pod' });
      } catch (err) {
        if (!(err instanceof PodsecArgumentError)) throw err;
        problems.push({ file: caseFile.file, line: c.line, column: c.column, pointer: '', message: `case "${c.name}" at ${level}:${version}: ${err.message}`, hint: 'give a v1 Pod: spec, and metadata where annotations matter' });
        continue;
      }
      const violation = result.violations.find((v) => v.checkId === caseFile.check);
      const actual = violation ? { reason: violation.reason, detail: violation.detail, fields: violation.fields.map(formatFieldPath) } : null;
      const checkRuns = evaluator.resolvePolicy(level, version).checks.some((k) => k.id === caseFile.check);
      runs.push({ case: c, level, version, evaluatedVersion: result.evaluatedVersion, checkRuns, ok: matches(c.expect, actual), actual });
    }
  }
  return { runs, problems };
}

function matches(expect: Expectation, actual: CaseRun['actual']): boolean {
  if (expect === 'pass') return actual === null;
  return (
    actual !== null &&
    actual.reason === expect.reason &&
    (expect.detail === undefined || actual.detail === expect.detail) &&
    (expect.fields === undefined || (expect.fields.length === actual.fields.length && expect.fields.every((f, i) => f === actual.fields[i])))
  );
}

/** A violation as upstream writes it in a message: `reason (detail)`. */
export function violationText(v: { reason: string; detail?: string }): string {
  return v.detail ? `${v.reason} (${v.detail})` : v.reason;
}
