/** `podsec test`: runs rule test case files against the rules, bundled and your own. */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, type RuleProblem } from '../../engine/index.js';
import { argError, colorFlag, errnoText, UsageError, wantsColor, type CliIO } from '../io.js';
import { painter, printable, printableLines } from '../report/text.js';
import { listManifestFiles } from '../list-files.js';
import { evaluatorFor } from '../rules-dir.js';
import { CASE_FILE_NAME, loadCaseFile, runCaseFile, violationText, type CaseRun } from '../rule-tests.js';

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
not required.

Flags:
      --rules-dir DIR   also load rules from DIR (repeatable; adds checks, or replaces bundled ones by id)
  -q, --quiet           print only failures, problems and the summary
      --color WHEN      auto (default: on a terminal or with FORCE_COLOR, unless NO_COLOR
                        is set), always, never
  -h, --help            show this help

Exit codes: 0 every case holds; 1 a case fails; 2 usage error, broken rules, or a case file
that could not be read or is invalid (the other files are still run; 2 wins over 1).

Examples:
  podsec test --rules-dir my-rules my-rules-tests/
  podsec test --rules-dir my-rules my-rules-tests/noLatestTag.yaml
  podsec test test/cases/          (in a checkout: the bundled rules' own cases)
`;

export const TEST_OPTIONS = {
  'rules-dir': { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;


interface Found {
  /** `listed`: reached through a directory, where other YAML (rules, manifests) is left out, not an error. */
  files: { path: string; display: string; listed: boolean }[];
  /** Paths that could not be read, or hold no YAML file: `path: message (hint)`. */
  problems: string[];
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
      found.problems.push(`${given}: ${errnoText(err)} (name a case file, or a directory of them)`);
      continue;
    }
    if (!isDir) {
      add(abs, shown(abs, given), false);
      continue;
    }
    const listing = listManifestFiles(abs, undefined, undefined, CASE_FILE_NAME);
    for (const u of listing.unlisted) found.problems.push(`${shown(u.dir, given)}: cannot list the directory: ${errnoText(u.err)} (check that it is readable)`);
    for (const sp of listing.special) found.problems.push(`${shown(sp.path, given)}: not read: it is a ${sp.what}, not a file`);
    for (const file of listing.files) add(file, shown(file, given), true);
    if (listing.files.length === 0 && listing.unlisted.length === 0) {
      found.problems.push(`${shown(abs, given)}: no YAML files in this directory (a case file is a .yaml or .yml file with check: and cases:, as podsec test --help shows)`);
    }
  }
  return found;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a failing run expected and got, one line each, and where the fields were when the case names them. */
function failureLines(run: CaseRun): string[] {
  const e = run.case.expect;
  const expected = e === 'pass' ? 'passes' : e.detail === undefined ? `${e.reason} (any detail)` : violationText(e);
  // A check that does not run finds nothing: say so, or the pass reads as the check's verdict.
  const got = run.actual ? violationText(run.actual) : run.checkRuns ? 'passes' : `passes (the check does not run at ${run.level}:${run.version})`;
  const lines = [`        expected: ${printable(expected)}`, `        got:      ${printable(got)}`];
  if (e !== 'pass' && e.fields !== undefined) {
    const fields = (list: string[]) => (list.length ? list.map(printable).join(', ') : '(none)');
    lines.push(`        fields expected: ${fields(e.fields)}`, `        fields got:      ${run.actual ? fields(run.actual.fields) : '(none)'}`);
  }
  return lines;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: TEST_OPTIONS });
  } catch (e) {
    throw argError(e, 'test', argv, Object.keys(TEST_OPTIONS));
  }
  if (parsed.values.help) {
    io.stdout.write(TEST_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('names no case files', 'for example: podsec test --rules-dir my-rules my-rules-tests/ (podsec test --help shows the format)');
  if (parsed.positionals.includes('-')) throw new UsageError('reads case files, not standard input', 'name the case files, or a directory of them');
  const color = wantsColor(colorFlag(parsed.values.color), io);
  const [red, green] = [painter(color, '31'), painter(color, '32')];
  const evaluator = evaluatorFor(parsed.values['rules-dir'] ?? [], io, 'test');
  if (!evaluator) return 2;
  const quiet = parsed.values.quiet ?? false;
  const found = findCaseFiles(parsed.positionals, io.cwd ?? process.cwd());
  const problems: RuleProblem[] = [];
  let cases = 0;
  let runs = 0;
  let failed = 0;
  const out: string[] = [];
  const newer = new Set<string>();
  const leftOut: string[] = [];
  let files = 0;
  for (const f of found.files) {
    const loaded = loadCaseFile(f.path, f.display, evaluator);
    // A rules directory's files, or manifests, beside the tests: named, they are an error.
    if (f.listed && loaded.notCases) {
      leftOut.push(`${printable(f.display)} (${loaded.notCases})`);
      continue;
    }
    files++;
    problems.push(...loaded.problems);
    if (!loaded.caseFile) {
      out.push(`${printable(f.display)}  ${red('not run')}: ${plural(loaded.problems.length, 'problem')} (below)`);
      continue;
    }
    const result = runCaseFile(loaded.caseFile, evaluator);
    problems.push(...result.problems);
    const failures = result.runs.filter((r) => !r.ok);
    cases += loaded.caseFile.cases.length;
    runs += result.runs.length;
    failed += failures.length;
    if (!quiet || failures.length) {
      out.push(`${printable(f.display)}  ${printable(loaded.caseFile.check)}: ${plural(loaded.caseFile.cases.length, 'case')}, ${plural(result.runs.length, 'run')}, ${failures.length ? red(`${failures.length} failed`) : green('all hold')}`);
    }
    for (const r of result.runs) if (r.version !== 'latest' && r.version !== r.evaluatedVersion) newer.add(r.version);
    for (const r of failures) {
      const as = r.version !== 'latest' && r.version !== r.evaluatedVersion ? `, evaluated as ${r.evaluatedVersion}` : '';
      out.push(`  ${red('FAIL')}  ${printable(f.display)}:${r.case.line}:${r.case.column}  ${printable(r.case.name)} [${r.level}:${r.version}${as}]`);
      out.push(...failureLines(r));
    }
  }
  if (files === 0 && found.files.length > 0) found.problems.push('no test case files among the files found (a case file has check: and cases:, as podsec test --help shows)');
  // Results quote the case files: written as they are (the kubectl plugin renames podsec in stdout).
  const results = io.reportOut ?? io.stdout;
  if (out.length) results.write(out.join('\n') + '\n');
  // Before the summary, which ends the output.
  for (const p of [...found.problems, ...problems.map(formatProblem)]) io.stderr.write(`error: ${printableLines(p)}\n`);
  for (const v of [...newer].sort()) {
    io.stderr.write(`note: ${v} is newer than the newest policy version the rules know, ${evaluator.newestVersion}: cases there are evaluated as ${evaluator.newestVersion}, as Kubernetes does\n`);
  }
  if (leftOut.length) io.stderr.write(`note: not case files, left out: ${leftOut.join(', ')}\n`);
  const summary = [`${plural(files, 'file')}, ${plural(cases, 'case')}, ${plural(runs, 'run')}: ${runs - failed} held, ${failed} failed`];
  const problemCount = found.problems.length + problems.length;
  if (problemCount) summary.push(plural(problemCount, 'problem'));
  results.write(`\n${summary.join(', ')}\n`);
  return problemCount ? 2 : failed ? 1 : 0;
}
