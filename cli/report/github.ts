/**
 * GitHub Actions workflow commands, which GitHub shows as annotations on the pull request's
 * changed lines (no code scanning needed): input errors first, then one `::error` per violation,
 * then, when there are more than GitHub annotates, a `::notice` saying so; the summary line last.
 */
import { resolve } from 'node:path';
import { pathBelow } from '../io.js';
import { modesText, type Location, type Report } from './model.js';
import { printable, summaryText } from './text.js';

/**
 * GitHub turns at most 10 error (and 10 warning, 10 notice) workflow commands of a step into
 * annotations, and at most 50 of a job; the rest stay in the log only.
 */
export const ANNOTATIONS_PER_STEP = 10;

/** Escapes a command's message (GitHub's toolkit escapes %, CR and LF). */
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property, where ':' and ',' separate too. */
function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function workflowCommand(file: string, line: number | undefined, column: number | undefined, title: string, message: string, level: 'error' | 'warning' = 'error'): string {
  // A name with control characters would drive a terminal that shows the commands; escaped, the
  // annotation names no file of the repository, but such a name is hostile, not a manifest's.
  let props = `file=${property(printable(file))}`;
  if (line !== undefined) props += `,line=${line}`;
  if (column !== undefined) props += `,col=${column}`;
  // Names and keys in the message come from the input: their control characters (an escape
  // sequence drives the log viewer or a terminal) and line breaks are shown escaped, as in text.
  return `::${level} ${props},title=${property(printable(title))}::${data(printable(message))}\n`;
}

function fieldsText(locations: Location[]): string {
  return locations.map((l) => `${l.path || '(object)'} (line ${l.line}${l.present ? '' : ', not set'})`).join(', ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * `root`: the repository's root, which annotation paths are relative to (GitHub resolves them
 * there); `cwd`, what the report's paths are relative to. A file outside the root keeps its path.
 */
/** Gives the commands to `emit` one by one: written as they come, however many findings there are. */
export function githubReport(report: Report, options: { root?: string; cwd?: string }, emit: (piece: string) => void): void {
  const paths = new Map<string, string>();
  const inRepository = (file: string): string => {
    if (options.root === undefined) return file;
    let path = paths.get(file);
    if (path === undefined) {
      const abs = resolve(options.cwd ?? '.', file);
      path = pathBelow(options.root, abs) ?? file;
      paths.set(file, path);
    }
    return path;
  };
  const command = (file: string, line: number | undefined, column: number | undefined, title: string, message: string, level: 'error' | 'warning' = 'error'): string =>
    workflowCommand(inRepository(file), line, column, title, message, level);
  let annotations = 0;
  // Input errors first: they make the exit status 2, and GitHub annotates only the first few.
  for (const e of report.errors) {
    // The document too, as the text report gives it: the log shows no file's lines.
    const doc = e.index !== undefined ? `document ${e.index + 1}${e.renderedFrom !== undefined ? ` (rendered from ${e.renderedFrom})` : ''}: ` : '';
    emit(command(e.file, e.line, e.column, e.ruleProblem ? 'podsec: rule file not loaded' : 'podsec: input not evaluated', `${doc}${e.hint ? `${e.message}. Hint: ${e.hint}` : e.message}`));
    annotations++;
  }
  let violations = 0;
  for (const r of report.resources) {
    if (r.allowed) continue;
    const object = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name || '(unnamed)'}`;
    const from = r.source.renderedFrom === undefined ? '' : ` (rendered from ${r.source.renderedFrom})`;
    for (const v of r.violations) {
      // One annotation per violation, at its first field, naming every field: more findings fit under GitHub's limit.
      const title = `podsec ${v.checkId} (${modesText(r, v.modes)})`;
      const fields = v.locations.length > 1 ? `; fields: ${fieldsText(v.locations)}` : '';
      const message = `${object}${from}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}${fields}`;
      const at = v.locations[0] ?? r.source;
      emit(command(r.source.file, at.line, at.column, title, message));
      annotations++;
      violations++;
    }
  }
  // GitHub counts warnings apart from errors.
  for (const w of report.warnings) emit(command(w.file, w.line, w.column, 'podsec: warning', w.hint ? `${w.message}. Hint: ${w.hint}` : w.message, 'warning'));
  if (annotations > ANNOTATIONS_PER_STEP) {
    const what = [report.errors.length ? plural(report.errors.length, 'input error', 'input errors') : '', violations ? plural(violations, 'violation', 'violations') : '']
      .filter(Boolean)
      .join(' and ');
    emit(`::notice title=${property(`podsec: ${annotations} findings, GitHub annotates ${ANNOTATIONS_PER_STEP} per step`)}::${data(
      `podsec found ${what}. GitHub annotates only the first ${ANNOTATIONS_PER_STEP} errors of a step (and 50 annotations of a job): every finding is in this step's log; for a full report use --format sarif (code scanning) or --format json.`,
    )}\n`);
  }
  emit(summaryText(report) + '\n');
}
