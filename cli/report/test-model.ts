/**
 * The result of `podsec test`, and the single source of schemas/test-report.schema.json
 * (scripts/write-report-schema.mjs): doc comments are its descriptions, tags its constraints.
 */
import type { RuleLevel } from '../../engine/api.js';

/**
 * What a case expects of its check.
 * @definition expected
 */
export interface ExpectedResult {
  /** True for `expect: pass`: the check finds nothing. */
  pass: boolean;
  /** The reason the check must give (absent for a pass). */
  reason?: string;
  /** The detail the check must give; absent when the case takes any. */
  detail?: string;
  /** The offending fields, in order (`spec.containers[0].image`); absent when the case does not name them. */
  fields?: string[];
}

/**
 * What the check found.
 * @definition found
 */
export interface FoundViolation {
  reason: string;
  detail: string;
  /** The offending fields, where reports point (`spec.containers[0].image`). */
  fields: string[];
}

/**
 * One case at one policy version.
 * @definition run
 */
export interface CaseRunResult {
  /** The case's name. */
  name: string;
  /**
   * Where the case starts in its file.
   * @minimum 1
   */
  line: number;
  /** @minimum 1 */
  column: number;
  /** The level judged: the case's `level:`, else the check's own. */
  level: RuleLevel;
  /**
   * As the case lists it: `latest`, `v1.25`.
   * @pattern policyVersion
   */
  version: string;
  /**
   * The minor version whose checks ran: the newest the rules know for `latest` and for a newer `v1.N`.
   * @pattern minorVersion
   */
  evaluatedVersion: string;
  /** Whether the check runs at this level and version (one that does not finds nothing). */
  checkRuns: boolean;
  /** Whether the check did what the case expects. */
  ok: boolean;
  expected: ExpectedResult;
  /** The check's violation; null when it found nothing. */
  actual: FoundViolation | null;
}

/**
 * A case file, run or not.
 * @definition caseFile
 */
export interface CaseFileResult {
  /** As given on the command line, or found under a directory given. */
  file: string;
  /** The check its cases test; null when the file did not run, even if it names one (an invalid case, an unknown check). */
  check: string | null;
  /** False when problems kept the file from running (see problems). */
  ran: boolean;
  /**
   * Cases in the file (0 when it did not run).
   * @minimum 0
   */
  cases: number;
  /** Every case at each of its versions, in file order. */
  runs: CaseRunResult[];
}

/**
 * Something that kept a path, a file or a case from running: a file that cannot be read, an
 * invalid case, an unknown check. Each makes the exit code 2.
 * @definition problem
 */
export interface TestProblem {
  /** The path or file, as given or found; absent for a problem of the whole run. */
  file?: string;
  /** @minimum 1 */
  line?: number;
  /** @minimum 1 */
  column?: number;
  /** Where in the case file, as a JSON Pointer (`/cases/2/expect`); absent for the whole file. */
  pointer?: string;
  message: string;
  /** What to do about it. */
  hint: string;
}

/**
 * A file found under a directory given that is no case file (a rule file, manifests): not run.
 * @definition leftOut
 */
export interface LeftOutFile {
  file: string;
  /** What it is: `a rule file`, `a Kubernetes manifest`, `Kubernetes manifests`. */
  what: string;
}

/** @definition testSummary */
export interface TestSummary {
  /**
   * Case files read (those left out not counted).
   * @minimum 0
   */
  files: number;
  /** @minimum 0 */
  cases: number;
  /**
   * Cases times their versions.
   * @minimum 0
   */
  runs: number;
  /** @minimum 0 */
  held: number;
  /** @minimum 0 */
  failed: number;
  /** @minimum 0 */
  problems: number;
}

/**
 * The report of `podsec test --format json`.
 * @title podsec test --format json
 */
export interface TestReport {
  tool: { name: 'podsec'; version: string };
  /** Rules directories loaded besides the bundled rules (`--rules-dir`), as given. */
  rulesDirs: string[];
  /**
   * The newest policy version the rules know: `latest` and newer versions are evaluated as it.
   * @pattern minorVersion
   */
  newestVersion: string;
  /** Case files, in the order run. */
  files: CaseFileResult[];
  leftOut: LeftOutFile[];
  /** Problems: those of the paths given first, then each file's in line order. */
  problems: TestProblem[];
  summary: TestSummary;
  /** 0 every case holds; 1 a case fails; 2 a problem (usage, broken rules, a case file that could not be read or is invalid). */
  exitCode: 0 | 1 | 2;
}
