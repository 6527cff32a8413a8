/** `podsec test`: runs rule test case files against the rules, bundled and your own. */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createEvaluator, type Evaluator, type RuleProblem } from '../../engine/index.js';
import { colorFlag, errnoText, isInside, parseCommandArgs, realPath, refuseFormatAsOutput, UsageError, wantsColor, writeAdvice, writeFileWhole, type CliIO } from '../io.js';
import { evaluatedAs, junitReport, problemText, testSummaryText, testTextReport } from '../report/test-results.js';
import { printable, printableLines } from '../report/text.js';
import type { CaseRunResult, TestProblem, TestReport } from '../report/test-model.js';
import { listManifestFiles } from '../list-files.js';
import { evaluatorFor } from '../rules-dir.js';
import { CASE_FILE_NAME, loadCaseFile, runCaseFile } from '../rule-tests.js';
import { toolVersion } from '../version.js';

export const TEST_HELP = `Usage: podsec test [flags] PATH...

Runs test case files (schemas/cases.schema.json) against the rules: each case is a pod that a
check must pass, or fail with an exact reason and detail, at the policy versions it lists.
PATH is a case file, or a directory searched recursively for .yaml and .yml files (rule
files and manifests in it are left out and listed).

A case file names one check and lists its cases:

  check: noLatestTag
  cases:
    - name: a tagged image passes
      versions: [v1.0, latest]
      pod: { spec: { containers: [{ name: a, image: nginx:1.27 }] } }
      expect: pass
    - name: an untagged image fails
      versions: [latest]
      pod: { spec: { containers: [{ name: a, image: nginx }] } }
      expect: { reason: unpinned image, detail: 'container "a" must pin "nginx" to a tag or digest' }

A case may also give level: (default the check's own) and defaulting: (pod, template or
none; default pod); expect: may also give fields:, the offending fields where reports point
(spec.containers[0].image), in order. A check that does not run at a case's level and
version finds nothing there: the pod passes it (so a case can show where a check starts).
A pod the checks would misread (a field misspelt, misplaced, unknown or of the wrong type) or
the API server refuses (no containers, a container without a name) is an error; an image is
not required. A case with an error is left out, and the file's other cases run.

Flags:
      --rules-dir DIR   also load rules from DIR (repeatable; adds checks, or replaces bundled ones by id)
  -f, --format FORMAT   text (default), json (schemas/test-report.schema.json) or junit
                        (JUnit XML: a test suite per file, a test case per case and version)
  -o, --output FILE     write the results to FILE instead of standard output (- for
                        standard output); FILE must not be a case file or in a --rules-dir
  -q, --quiet           text: print only failures, problems and the summary
      --color WHEN      auto (default: on a terminal or with FORCE_COLOR, unless NO_COLOR
                        is set), always, never
  -h, --help            show this help

Problems and notes also go to standard error, whatever the format.

Exit codes: 0 every case holds; 1 a case fails; 2 usage error, broken rules, or a case file
that could not be read or is invalid (the other files are still run; 2 wins over 1).

Examples:
  podsec test --rules-dir my-rules my-rules-tests/
  podsec test --rules-dir my-rules my-rules-tests/noLatestTag.yaml
  podsec test --rules-dir my-rules --format junit -o test-results.xml my-rules-tests/
  podsec test test/cases/          (in a checkout: the bundled rules' own cases)
`;

export const TEST_OPTIONS = {
  'rules-dir': { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;


interface Found {
  /** `listed`: reached through a directory, where other YAML (rules, manifests) is left out, not an error. */
  files: { path: string; display: string; listed: boolean }[];
  /** Paths that could not be read, or hold no YAML file. */
  problems: TestProblem[];
}

function findCaseFiles(paths: string[], cwd: string): Found {
  const found: Found = { files: [], problems: [] };
  const reached = new Set<string>();
  const shown = (abs: string, given: string) => (isAbsolute(given) ? abs : relative(cwd, abs) || '.');
  const add = (path: string, display: string, listed: boolean) => {
    // A file named twice, or also under a directory given, is run once.
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      // Reported when it is read.
    }
    if (reached.has(real)) return;
    reached.add(real);
    found.files.push({ path, display, listed });
  };
  for (const given of paths) {
    const abs = resolve(cwd, given);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (err) {
      found.problems.push({ file: given, message: errnoText(err), hint: 'name a case file, or a directory of them' });
      continue;
    }
    if (!isDir) {
      add(abs, shown(abs, given), false);
      continue;
    }
    const listing = listManifestFiles(abs, undefined, undefined, CASE_FILE_NAME);
    for (const u of listing.unlisted) found.problems.push({ file: shown(u.dir, given), message: `cannot list the directory: ${errnoText(u.err)}`, hint: 'check that it is readable' });
    for (const sp of listing.special) found.problems.push({ file: shown(sp.path, given), message: `not read: it is a ${sp.what}, not a file`, hint: 'name case files, or directories of them' });
    for (const file of listing.files) add(file, shown(file, given), true);
    if (listing.files.length === 0 && listing.unlisted.length === 0) {
      found.problems.push({ file: shown(abs, given), message: 'no YAML files in this directory', hint: 'a case file is a .yaml or .yml file with check: and cases:, as podsec test --help shows' });
    }
  }
  return found;
}

function testProblem(p: RuleProblem): TestProblem {
  return { file: p.file, line: p.line, column: p.column, ...(p.pointer ? { pointer: p.pointer } : {}), message: p.message, hint: p.hint };
}

/** Runs every case file found; the report holds what every format shows. */
function runTests(found: Found, evaluator: Evaluator, rulesDirs: string[]): TestReport {
  const report: TestReport = {
    tool: { name: 'podsec', version: toolVersion() },
    rulesDirs,
    newestVersion: evaluator.newestVersion,
    files: [],
    leftOut: [],
    problems: [...found.problems],
    summary: { files: 0, cases: 0, runs: 0, held: 0, failed: 0, problems: 0 },
    exitCode: 0,
  };
  for (const f of found.files) {
    const loaded = loadCaseFile(f.path, f.display, evaluator);
    // A rules directory's files, or manifests, beside the tests: named, they are an error.
    if (f.listed && loaded.notCases) {
      report.leftOut.push({ file: f.display, what: loaded.notCases });
      continue;
    }
    report.problems.push(...loaded.problems.map(testProblem));
    if (!loaded.caseFile) {
      report.files.push({ file: f.display, check: null, ran: false, cases: 0, runs: [] });
      continue;
    }
    const { caseFile } = loaded;
    const result = runCaseFile(caseFile, evaluator);
    report.problems.push(...result.problems.map(testProblem));
    const runs = result.runs.map((r): CaseRunResult => {
      const e = r.case.expect;
      return {
        name: r.case.name, line: r.case.line, column: r.case.column, level: r.level, version: r.version, evaluatedVersion: r.evaluatedVersion,
        checkRuns: r.checkRuns, ok: r.ok,
        expected: e === 'pass' ? { pass: true } : { pass: false, ...e },
        actual: r.actual,
      };
    });
    report.files.push({ file: f.display, check: caseFile.check, ran: true, cases: caseFile.cases.length, runs });
  }
  if (report.files.length === 0 && found.files.length > 0) {
    report.problems.push({ message: 'no test case files among the files found', hint: 'a case file has check: and cases:, as podsec test --help shows' });
  }
  const s = report.summary;
  s.files = report.files.length;
  for (const f of report.files) {
    s.cases += f.cases;
    s.runs += f.runs.length;
    for (const r of f.runs) r.ok ? s.held++ : s.failed++;
  }
  s.problems = report.problems.length;
  report.exitCode = s.problems ? 2 : s.failed ? 1 : 0;
  return report;
}

/** Problems, and what the results do not say themselves: on stderr, whatever the format. */
function writeNotes(report: TestReport, io: CliIO, told = 0): void {
  for (const p of report.problems.slice(told)) io.stderr.write(`error: ${printableLines(problemText(p))}\n`);
  const newer = new Set<string>();
  for (const f of report.files) for (const r of f.runs) if (evaluatedAs(r)) newer.add(r.version);
  for (const v of [...newer].sort()) {
    io.stderr.write(`note: ${v} is newer than the newest policy version the rules know, ${report.newestVersion}: cases there are evaluated as ${report.newestVersion}, as Kubernetes does\n`);
  }
  if (report.leftOut.length) io.stderr.write(`note: not case files, left out: ${report.leftOut.map((l) => `${printable(l.file)} (${l.what})`).join(', ')}\n`);
}

export const TEST_FORMATS = ['text', 'json', 'junit'] as const;

/** `--output` must not replace what the run reads: a case file, or a rule file. */
function checkOutput(output: string, found: Found, rulesDirs: string[], cwd: string): void {
  if (output.endsWith('/') || output.endsWith(sep)) throw new UsageError(`--output ${output} names a directory, not a file`, `give the results' file, for example --output ${output}test-results.xml`);
  const abs = resolve(cwd, output);
  // A link is written through: to the file it names.
  const real = realPath(abs);
  const target = real !== abs ? real : join(realPath(dirname(abs)), basename(abs));
  const clash = found.files.find((f) => realPath(f.path) === target);
  if (clash) throw new UsageError(`--output ${output} is the case file ${clash.display}: the results would replace it`, 'write the results to another file');
  const dir = rulesDirs.find((d) => isInside(realPath(resolve(cwd, d)), target));
  if (dir !== undefined) throw new UsageError(`--output ${output} is inside the --rules-dir ${dir}: the results would be written among its rules`, 'write the results to another file');
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, TEST_OPTIONS, 'test');
  if (values.help) {
    io.stdout.write(TEST_HELP);
    return 0;
  }
  const format = values.format ?? 'text';
  if (!(TEST_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${TEST_FORMATS.slice(0, -1).join(', ')} or ${TEST_FORMATS.at(-1)}, not ${JSON.stringify(format)}`);
  const output = values.output === undefined || values.output === '-' ? undefined : values.output;
  if (output === '') throw new UsageError('--output (-o) needs a file name', 'give a file, or - for standard output');
  refuseFormatAsOutput(output, TEST_FORMATS);
  if (positionals.length === 0) throw new UsageError('names no case files', 'for example: podsec test --rules-dir my-rules my-rules-tests/ (podsec test --help shows the format)');
  if (positionals.includes('-')) throw new UsageError('reads case files, not standard input', 'name the case files, or a directory of them');
  if (positionals.includes('')) throw new UsageError('a path is empty', 'name the case files, or a directory of them; if a variable gives the path, check that it is set');
  const color = colorFlag(values.color);
  const rulesDirs = values['rules-dir'] ?? [];
  const cwd = io.cwd ?? process.cwd();
  let ruleProblems: readonly RuleProblem[] = [];
  const evaluator = evaluatorFor(rulesDirs, io, 'test', (p) => (ruleProblems = p));
  // Rules that do not load: no case runs, but a results file or a machine-read format still gets
  // results that say why, rather than a stale file or nothing a CI step can parse.
  if (!evaluator && (ruleProblems.length === 0 || (format === 'text' && output === undefined))) return 2;
  const found = findCaseFiles(positionals, cwd);
  if (output !== undefined) checkOutput(output, found, rulesDirs, cwd);
  const report = evaluator ? runTests(found, evaluator, rulesDirs) : runTests({ files: [], problems: ruleProblems.map(testProblem) }, createEvaluator(), rulesDirs);
  // Those problems are on stderr already.
  const told = evaluator ? 0 : ruleProblems.length;
  // Results quote the case files: written as they are (the kubectl plugin renames podsec in stdout).
  const out = io.reportOut ?? io.stdout;
  if (format === 'text' && output === undefined) {
    const { results, summary } = testTextReport(report, { quiet: values.quiet ?? false, color: wantsColor(color, io) });
    out.write(results);
    writeNotes(report, io, told);
    out.write(summary);
    return report.exitCode;
  }
  writeNotes(report, io, told);
  let text: string;
  if (format === 'json') text = JSON.stringify(report, null, 2) + '\n';
  else if (format === 'junit') text = junitReport(report);
  else {
    // A file gets colour only when asked for it.
    const { results, summary } = testTextReport(report, { quiet: values.quiet ?? false, color: color === 'always' });
    text = results + summary;
  }
  if (output === undefined) {
    out.write(text);
    return report.exitCode;
  }
  try {
    writeFileWhole(resolve(cwd, output), (write) => write(text));
  } catch (err) {
    io.stderr.write(`podsec test: cannot write the results to ${printable(output)}: ${errnoText(err)}; ${writeAdvice(err, 'check the path')}, or give --output another file\n`);
    return 2;
  }
  io.stderr.write(`podsec test: ${testSummaryText(report)} (results written to ${printable(output)})\n`);
  return report.exitCode;
}
