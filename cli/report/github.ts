/**
 * GitHub Actions workflow commands: one `::error` line per offending field and per input error,
 * which GitHub shows as annotations on the pull request's changed lines (no code scanning
 * needed), then the summary line.
 */
import { modesText, type Report } from './model.js';
import { summaryText } from './text.js';

/** Escapes a command's message (GitHub's toolkit escapes %, CR and LF). */
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a command property, where ':' and ',' separate too. */
function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(file: string, line: number | undefined, column: number | undefined, title: string, message: string): string {
  let props = `file=${property(file)}`;
  if (line !== undefined) props += `,line=${line}`;
  if (column !== undefined) props += `,col=${column}`;
  return `::error ${props},title=${property(title)}::${data(message)}\n`;
}

export function formatGithub(report: Report): string {
  let out = '';
  for (const r of report.resources) {
    if (r.allowed) continue;
    const object = `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name || '(unnamed)'}`;
    const from = r.source.renderedFrom === undefined ? '' : ` (rendered from ${r.source.renderedFrom})`;
    for (const v of r.violations) {
      const title = `podsec ${v.checkId} (${modesText(r, v.modes)})`;
      const message = `${object}${from}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`;
      if (v.locations.length === 0) out += command(r.source.file, r.source.line, r.source.column, title, message);
      for (const at of v.locations) out += command(r.source.file, at.line, at.column, title, message);
    }
  }
  for (const e of report.errors) out += command(e.file, e.line, e.column, 'podsec: input not evaluated', e.hint ? `${e.message}. Hint: ${e.hint}` : e.message);
  return out + summaryText(report) + '\n';
}
