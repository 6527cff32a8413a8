/**
 * Test case files for rules (schemas/cases.schema.json): pods a check must pass or fail, with the
 * exact message, at listed policy versions. `podsec test` runs them; so do the bundled rules' tests.
 */
import { closestKey } from '../engine/nearest.js';
import { readValidatedYaml } from '../engine/load.js';
import { casesSchema } from '../engine/schema.js';
import { formatFieldPath, PodsecArgumentError, type Evaluator, type RuleProblem } from '../engine/index.js';
import type { RuleLevel } from '../engine/api.js';
import { validateObjectFields } from './check/validate.js';

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
  ok: boolean;
  /** The check's violation, or null when it found nothing (or does not run at that level and version). */
  actual: { reason: string; detail: string; fields: string[] } | null;
}

/**
 * Reads a case file and checks it against the rules: its check must exist, and its cases must be
 * pods the evaluator takes. Problems carry file, line and column, as rule files' do.
 */
export function loadCaseFile(file: string, display: string, evaluator: Evaluator): { caseFile?: CaseFile; problems: RuleProblem[] } {
  const read = readValidatedYaml(file, display, casesSchema);
  if (read.data === undefined) return { problems: read.problems };
  const data = read.data as { check: string; cases: Omit<RuleCase, 'line'>[] };
  const problems: RuleProblem[] = [];
  const at = (pointer: string, message: string, hint: string, atKey = false) => {
    const pos = read.locate!(pointer, atKey);
    problems.push({ file: display, line: pos.line, column: pos.column, pointer, message, hint });
  };
  const rule = evaluator.table.rules.find((r) => r.id === data.check);
  if (!rule) {
    const near = closestKey(data.check, evaluator.table.rules.map((r) => r.id));
    at('/check', `no check "${data.check}" in the rules loaded`, near ? `did you mean "${near}"? A check of your own needs --rules-dir` : 'name a check "podsec rules" lists; a check of your own needs --rules-dir');
    return { problems };
  }
  const cases = data.cases.map((c, i) => {
    if (c.level === 'baseline' && rule.level === 'restricted') {
      at(`/cases/${i}/level`, `${data.check} is a restricted check: at baseline it never runs`, 'remove level:, or write level: restricted');
    }
    // A misspelt or wrongly typed field is read as absent: the case would test another pod. A key
    // close to none the Pod type has may be deliberate (a volume source newer than the checks).
    for (const e of validateObjectFields('Pod', { apiVersion: 'v1', kind: 'Pod', ...c.pod }, 10, true)) {
      if (e.unknown && !e.suggestion) continue;
      const pointer = `/cases/${i}/pod/${e.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
      const field = `cases[${i}].pod.${formatFieldPath(e.path)}`;
      if (e.unknown) at(pointer, `${field} is not a field of a Pod, so no check reads it`, `did you mean "${e.suggestion}"?`, true);
      else at(pointer, `${field} ${e.message}`, 'write the type the field takes: the API server would refuse this pod');
    }
    return { ...c, line: read.locate!(`/cases/${i}`).line };
  });
  return problems.length ? { problems } : { caseFile: { file: display, check: data.check, cases }, problems };
}

/** Runs every case of a file at each of its versions. A pod the evaluator refuses is a problem, not a run. */
export function runCaseFile(caseFile: CaseFile, evaluator: Evaluator): { runs: CaseRun[]; problems: RuleProblem[] } {
  const rule = evaluator.table.rules.find((r) => r.id === caseFile.check)!;
  const runs: CaseRun[] = [];
  const problems: RuleProblem[] = [];
  for (const c of caseFile.cases) {
    const level = c.level ?? rule.level;
    for (const version of c.versions) {
      let violation;
      try {
        violation = evaluator.evaluate(c.pod, { level, version, defaulting: c.defaulting ?? 'pod' }).violations.find((v) => v.checkId === caseFile.check);
      } catch (err) {
        if (!(err instanceof PodsecArgumentError)) throw err;
        problems.push({ file: caseFile.file, line: c.line, column: 1, pointer: '', message: `case "${c.name}" at ${level}:${version}: ${err.message}`, hint: 'give a v1 Pod: spec, and metadata where annotations matter' });
        continue;
      }
      const actual = violation ? { reason: violation.reason, detail: violation.detail, fields: violation.fields.map(formatFieldPath) } : null;
      runs.push({ case: c, level, version, ok: matches(c.expect, actual), actual });
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
