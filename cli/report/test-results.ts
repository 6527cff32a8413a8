/** `podsec test`'s results as text and as JUnit XML; JSON is the report itself (test-model.ts). */
import { violationText } from '../rule-tests.js';
import { painter, printable } from './text.js';
import { distinctNames, XML_DECLARATION, xmlAttributes, xmlContent } from './xml.js';
import type { CaseFileResult, CaseRunResult, TestProblem, TestReport } from './test-model.js';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `file:line:column: message (hint)`, with as much of the place as the problem has. */
export function problemText(p: TestProblem): string {
  const where = p.file === undefined ? '' : p.line === undefined ? `${p.file}: ` : `${p.file}:${p.line}:${p.column}: `;
  return `${where}${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

/** `, evaluated as v1.37` where a run listed a version newer than the rules know. */
export function evaluatedAs(run: CaseRunResult): string {
  return run.version !== 'latest' && run.version !== run.evaluatedVersion ? `, evaluated as ${run.evaluatedVersion}` : '';
}

/** What a failing run expected and got, one line each, and the fields where the case names them. */
function outcomeLines(run: CaseRunResult): string[] {
  const e = run.expected;
  const expected = e.pass ? 'passes' : e.detail === undefined ? `${e.reason} (any detail)` : violationText({ reason: e.reason!, detail: e.detail });
  // A check that does not run finds nothing: say so, or the pass reads as the check's verdict.
  const got = run.actual ? violationText(run.actual) : run.checkRuns ? 'passes' : `passes (the check does not run at ${run.level}:${run.version})`;
  const lines = [`expected: ${printable(expected)}`, `got:      ${printable(got)}`];
  if (e.fields !== undefined) {
    const fields = (list: string[]) => (list.length ? list.map(printable).join(', ') : '(none)');
    lines.push(`fields expected: ${fields(e.fields)}`, `fields got:      ${run.actual ? fields(run.actual.fields) : '(none)'}`);
  }
  return lines;
}


/** The results, one line a file and the failing runs, and the summary line that ends them (problems go between, on stderr). */
export function testTextReport(report: TestReport, options: { quiet: boolean; color: boolean }): { results: string; summary: string } {
  const [red, green] = [painter(options.color, '31'), painter(options.color, '32')];
  const out: string[] = [];
  for (const f of report.files) {
    if (!f.ran) {
      const count = report.problems.filter((p) => p.file === f.file).length;
      out.push(`${printable(f.file)}  ${red('not run')}: ${plural(count, 'problem')} (below)`);
      continue;
    }
    const failures = f.runs.filter((r) => !r.ok);
    if (!options.quiet || failures.length) {
      out.push(`${printable(f.file)}  ${printable(f.check!)}: ${plural(f.cases, 'case')}, ${plural(f.runs.length, 'run')}, ${failures.length ? red(`${failures.length} failed`) : green('all hold')}`);
    }
    for (const r of failures) {
      out.push(`  ${red('FAIL')}  ${printable(f.file)}:${r.line}:${r.column}  ${printable(r.name)} [${r.level}:${r.version}${evaluatedAs(r)}]`);
      out.push(...outcomeLines(r).map((l) => `        ${l}`));
    }
  }
  const s = report.summary;
  // A blank line sets the summary apart from results above it, not from nothing (-q, all holding).
  return { results: out.length ? out.join('\n') + '\n' : '', summary: `${out.length ? '\n' : ''}${plural(s.files, 'file')}, ${plural(s.cases, 'case')}, ${testSummaryText(report)}\n` };
}

/** `160 runs: 158 held, 2 failed`, and the problems if any. */
export function testSummaryText(report: TestReport): string {
  const s = report.summary;
  return `${plural(s.runs, 'run')}: ${s.held} held, ${s.failed} failed${s.problems ? `, ${plural(s.problems, 'problem')}` : ''}`;
}

type Distinct = ReturnType<typeof distinctNames>;

interface Suite {
  name: string;
  file?: string;
  check?: string;
  runs: CaseRunResult[];
  problems: TestProblem[];
}

/** A problem as a test case in error, so that a CI's test view shows why a file did not run. */
function problemCase(p: TestProblem, suite: Suite, distinct: Distinct): string {
  const classname = suite.check ?? 'podsec';
  // Named by the node, not the line: a line number would rename the case at every edit above it.
  const name = p.pointer === undefined ? 'problem' : `problem at ${printable(p.pointer)}`;
  return `    <testcase${xmlAttributes({ classname, name: distinct(classname, name), file: p.file && printable(p.file), line: p.line, time: 0 })}>\n` +
    `      <error${xmlAttributes({ type: 'problem', message: printable(p.message) })}>${xmlContent(printable(problemText(p)))}</error>\n` +
    '    </testcase>\n';
}

function runCase(run: CaseRunResult, suite: Suite, distinct: Distinct): string {
  // The version as listed, not as evaluated: CI systems track a case by its name, and the newest
  // version the rules know changes with them.
  const open = `    <testcase${xmlAttributes({ classname: suite.check, name: distinct(suite.check!, `${printable(run.name)} [${run.level}:${run.version}]`), file: printable(suite.file!), line: run.line, time: 0 })}`;
  if (run.ok) return `${open}/>\n`;
  const lines = outcomeLines(run);
  const text = evaluatedAs(run) ? [...lines, `evaluated as ${run.evaluatedVersion}, the newest version the rules know`] : lines;
  return `${open}>\n      <failure${xmlAttributes({ type: 'mismatch', message: `${lines[0]}; ${lines[1]!.replace(/ +/, ' ')}` })}>${xmlContent(text.join('\n'))}</failure>\n    </testcase>\n`;
}

/**
 * JUnit XML, as CI systems read it: a test suite per case file, a test case per case and
 * version (named `case [level:version]`, with the check as its class), a failure per run that
 * does not hold; problems are test cases in error, in their file's suite.
 */
export function junitReport(report: TestReport): string {
  const suites: Suite[] = report.files.map((f: CaseFileResult) => ({ name: f.file, file: f.file, ...(f.check !== null ? { check: f.check } : {}), runs: f.runs, problems: [] }));
  const byFile = new Map<string | undefined, Suite>(suites.map((s) => [s.file, s]));
  for (const p of report.problems) {
    let suite = byFile.get(p.file);
    if (!suite) {
      suite = { name: p.file ?? 'podsec test', ...(p.file !== undefined ? { file: p.file } : {}), runs: [], problems: [] };
      byFile.set(p.file, suite);
      suites.push(suite);
    }
    suite.problems.push(p);
  }
  const s = report.summary;
  let xml = XML_DECLARATION;
  // Runs are not timed: 0, as some readers show NaN for no time at all.
  xml += `<testsuites${xmlAttributes({ name: 'podsec test', tests: s.runs + s.problems, failures: s.failed, errors: s.problems, skipped: 0, time: 0 })}>\n`;
  for (const suite of suites) {
    const failures = suite.runs.filter((r) => !r.ok).length;
    xml += `  <testsuite${xmlAttributes({ name: printable(suite.name), tests: suite.runs.length + suite.problems.length, failures, errors: suite.problems.length, skipped: 0, time: 0, file: suite.file && printable(suite.file) })}>\n`;
    const distinct = distinctNames();
    for (const run of suite.runs) xml += runCase(run, suite, distinct);
    for (const p of suite.problems) xml += problemCase(p, suite, distinct);
    xml += '  </testsuite>\n';
  }
  return xml + '</testsuites>\n';
}
