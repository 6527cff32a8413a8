/**
 * `podsec check` as JUnit XML, which CI systems show as test results (GitLab's merge request
 * widget, Jenkins, test report actions): a suite per input file and a test case per object.
 */
import { modesText, type NotEvaluated, type Report, type ReportError, type ResourceResult } from './model.js';
import { objectName, printable, printablePath } from './text.js';
import { distinctNames, XML_DECLARATION, xmlAttributes, xmlContent } from './xml.js';

/** A test case: where it sorts, its attributes but the name's suffix, and what it holds. */
type Entry = { at: number; line: number; classname: string; name: string; file: string; caseLine?: number; inner: string };
type Case = Omit<Entry, 'at' | 'line'>;

function resourceCase(r: ResourceResult): Case {
  const c = { classname: printable(r.kind), name: objectName(r.kind, r.namespace, r.name), file: printable(r.source.file), caseLine: r.source.line };
  if (r.exempt) return { ...c, inner: skipped(`exempt by ${r.exempt} (configuration)`) };
  if (r.allowed) return { ...c, inner: '' };
  // Each finding at its field, as the text report gives it; the modes where not all found it.
  const failing = r.evaluations.filter((e) => !e.allowed).length;
  const lines = r.violations.map((v) => {
    const at = v.locations[0] ?? r.source;
    const modes = v.modes.length < failing ? ` [${modesText(r, v.modes)}]` : '';
    // A file name starts a line: printed so that no CI log reads it as a command (`::warning::`).
    return `${printablePath(r.source.file)}:${at.line}:${at.column}  ${v.checkId}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}${modes}`;
  });
  const type = r.subject === 'namespace' ? 'namespace labels' : r.policy.mode ?? 'enforce';
  // The message leads the text too: GitLab shows only the text, Jenkins the attribute above it.
  // From helm template's output, the lines are those of the output: the template says where to fix it.
  const from = r.source.renderedFrom === undefined ? [] : [`rendered from ${r.source.renderedFrom}`];
  const text = [r.message, ...from, ...lines].map(printable).join('\n');
  return { ...c, inner: `      <failure${xmlAttributes({ type, message: printable(r.message) })}>${xmlContent(text)}</failure>\n` };
}

/** The reason as the attribute (Jenkins, the test report actions) and as the text (GitLab reads only that). */
function skipped(reason: string): string {
  return `      <skipped${xmlAttributes({ message: reason })}>${xmlContent(reason)}</skipped>\n`;
}

function skippedCase(n: NotEvaluated): Case {
  return {
    classname: printable(n.kind), name: objectName(n.kind, n.namespace, n.name), file: printable(n.source.file), caseLine: n.source.line,
    inner: skipped(printable(`not evaluated: ${n.reason}`)),
  };
}

function errorCase(e: ReportError): Case {
  const place = e.line !== undefined ? `${printablePath(e.file)}:${e.line}:${e.column ?? 1}` : printablePath(e.file);
  const doc = e.index !== undefined ? ` (document ${e.index + 1}${e.renderedFrom !== undefined ? `, from ${e.renderedFrom}` : ''})` : '';
  // Named by what it is, not where: a line number would rename the case at every edit above it.
  const name = e.kind !== undefined ? objectName(e.kind, e.namespace ?? '', e.name ?? '') : e.index !== undefined ? `document ${e.index + 1}` : 'input';
  const text = printable(`${place}${doc}: ${e.message}`) + (e.hint ? `\n${printable(`hint: ${e.hint}`)}` : '');
  return {
    classname: printable(e.kind ?? 'input'), name, file: printable(e.file), ...(e.line !== undefined ? { caseLine: e.line } : {}),
    inner: `      <error${xmlAttributes({ type: 'input', message: printable(e.message) })}>${xmlContent(text)}</error>\n`,
  };
}

function testcase(e: Entry, name: string): string {
  const open = `    <testcase${xmlAttributes({ classname: e.classname, name, file: e.file, line: e.caseLine, time: 0 })}`;
  return e.inner ? `${open}>\n${e.inner}    </testcase>\n` : `${open}/>\n`;
}

/**
 * Gives the report to `emit` one suite at a time. A test case per object judged (a failure with
 * the upstream message and each finding's place), per object not evaluated and per exempt one
 * (skipped, with the reason), and per input error (an error, with its hint).
 */
export function junitReport(report: Report, emit: (piece: string) => void): void {
  const byFile = new Map<string, { entries: Entry[]; tests: number; failures: number; errors: number; skipped: number }>();
  for (const f of report.files) byFile.set(f, { entries: [], tests: 0, failures: 0, errors: 0, skipped: 0 });
  const suite = (file: string) => {
    let s = byFile.get(file);
    if (!s) byFile.set(file, (s = { entries: [], tests: 0, failures: 0, errors: 0, skipped: 0 }));
    s.tests++;
    return s;
  };
  for (const r of report.resources) {
    const s = suite(r.source.file);
    if (r.exempt) s.skipped++;
    else if (!r.allowed) s.failures++;
    s.entries.push({ at: r.source.index, line: r.source.line, ...resourceCase(r) });
  }
  for (const n of report.notEvaluated) {
    const s = suite(n.source.file);
    s.skipped++;
    s.entries.push({ at: n.source.index, line: n.source.line, ...skippedCase(n) });
  }
  for (const e of report.errors) {
    const s = suite(e.file);
    s.errors++;
    s.entries.push({ at: e.index ?? -1, line: e.line ?? 0, ...errorCase(e) });
  }
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const s of byFile.values()) for (const k of ['tests', 'failures', 'errors', 'skipped'] as const) total[k] += s[k];
  // A time of 0, as podsec does not time objects: dorny/test-reporter shows NaN for none.
  emit(`${XML_DECLARATION}<testsuites${xmlAttributes({ name: 'podsec check', ...total, time: 0 })}>\n`);
  for (const [file, s] of byFile) {
    // A file of comments only has no test case: an empty suite is one Jenkins and GitLab drop.
    if (s.tests === 0) continue;
    // In the order of the file, as the text report gives it.
    s.entries.sort((a, b) => a.at - b.at || a.line - b.line);
    let xml = `  <testsuite${xmlAttributes({ name: printable(file), tests: s.tests, failures: s.failures, errors: s.errors, skipped: s.skipped, time: 0, file: printable(file) })}>\n`;
    const distinct = distinctNames();
    for (const e of s.entries) xml += testcase(e, distinct(e.classname, e.name));
    emit(xml + '  </testsuite>\n');
  }
  emit('</testsuites>\n');
}
