/** Human-readable report: grouped by file, then by resource, with `file:line:column` per field. */
import { OLD_COMMAND } from './json.js';
import { modesText, NAMESPACE_REFUSED, type Mode, type Report, type ReportError, type ResourceResult, type NotEvaluated, type Source } from './model.js';

export interface TextOptions {
  color: boolean;
  /** Also list passing, exempt and not-evaluated objects one line each (default true). */
  verbose?: boolean;
}

type Paint = (s: string) => string;

/** Wraps text in an SGR colour code when `on` (31 red, 32 green, 33 yellow, 2 dim, 1 bold). */
export function painter(on: boolean, code: string): Paint {
  return on ? (s) => `\x1b[${code}m${s}\x1b[0m` : (s) => s;
}

// Bidirectional formatting characters too (U+202E and its kin): they reorder what follows on
// the line as a terminal or a log viewer shows it, so that a name can disguise the rest of it.
// And the invisible ones that make two keys differ (a byte order mark inside a file, U+200B, U+2060).
const UNPRINTABLE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;
const UNPRINTABLE_ANY = new RegExp(UNPRINTABLE.source);

/**
 * Text from the input (names, keys, file names) with line breaks and control characters
 * escaped: they could forge report lines, or workflow commands in a CI log, or drive a terminal.
 */
export function printable(s: string): string {
  // Most text is printable ASCII, told by one pass without a regexp: a report prints many strings.
  let hashes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return escapedText(s);
    if (c === 0x23) hashes++;
  }
  return hashes > 1 ? s.replace(OLD_COMMAND, '\\u0023') : s;
}

/**
 * A glob that matches `s`, each character the reports would escape written `?`: printed and
 * pasted back, an escape would name another file.
 */
export function printableGlob(s: string): string {
  return s.replace(UNPRINTABLE, '?');
}

/** `s` with its control, invisible and bidirectional formatting characters written as escapes. */
export function escapeUnprintable(s: string): string {
  return UNPRINTABLE_ANY.test(s)
    ? s.replace(UNPRINTABLE, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    : s;
}

function escapedText(s: string): string {
  const escaped = escapeUnprintable(s);
  return escaped.indexOf('#') !== escaped.lastIndexOf('#') ? escaped.replace(OLD_COMMAND, '\\u0023') : escaped;
}

/**
 * A file name as the text report shows it, which may start a line: one that starts with `::`
 * (after spaces, which GitHub's runner trims, or characters its comparison ignores) would be
 * read there as a workflow command (`::error …::`, `::stop-commands::…`), so it is shown as
 * `./::…`, the same file.
 */
export function printablePath(file: string): string {
  const shown = printable(file);
  return shown.replace(/[\s\p{Default_Ignorable_Code_Point}]/gu, '').startsWith('::') ? `./${shown}` : shown;
}

/** Text of several lines, each made printable: problems listed one a line keep their lines. */
export function printableLines(s: string): string {
  return s.split('\n').map(printable).join('\n');
}

/** An upstream message without its `violates PodSecurity "level:version": ` start. */
function afterLabel(message: string): string {
  const i = message.indexOf('": ');
  return i < 0 ? message : message.slice(i + 3);
}

/** `Kind namespace/name`, printable. */
export function objectName(kind: string, namespace: string, name: string): string {
  return printable(`${kind} ${namespace ? `${namespace}/` : ''}${name || '(unnamed)'}`);
}

/** Where an object starts, and which chart template rendered it when helm said so. */
function at(s: Source): string {
  return s.renderedFrom === undefined ? `line ${s.line}` : `line ${s.line}, from ${printable(s.renderedFrom)}`;
}

function where(s: Source): string {
  return `${printablePath(s.file)}:${s.line}:${s.column}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `5 resources checked, 2 passed, 3 failed (11 violations), 3 not evaluated, 0 errors` */
export function summaryText(report: Report): string {
  const s = report.summary;
  const parts = [
    `${plural(s.checked, 'resource', 'resources')} checked`,
    `${s.allowed} passed`,
    `${s.denied} failed (${plural(s.violations, 'violation', 'violations')})`,
  ];
  if (s.exempt) parts.push(`${s.exempt} exempt`);
  parts.push(`${s.notEvaluated} not evaluated`);
  parts.push(plural(s.errors, 'error', 'errors'));
  if (s.warnings) parts.push(plural(s.warnings, 'warning', 'warnings'));
  return parts.join(', ');
}

/**
 * Gives the report to `emit` in pieces, one per object: a whole report can be longer than the
 * longest string V8 makes. (A callback, not a generator: V8 optimizes a generator's loops only
 * when it is called again, and this one runs once.)
 */
export function textReport(report: Report, options: TextOptions, emit: (piece: string) => void): void {
  const red = painter(options.color, '31');
  const green = painter(options.color, '32');
  const yellow = painter(options.color, '33');
  const dim = painter(options.color, '2');
  const bold = painter(options.color, '1');
  const verbose = options.verbose ?? true;

  type Entry = { index: number; line: number } & (
    | { t: 'resource'; r: ResourceResult }
    | { t: 'skip'; n: NotEvaluated }
    | { t: 'error'; e: ReportError });
  const byFile = new Map<string, Entry[]>();
  const add = (file: string, e: Entry) => {
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(e);
  };
  for (const f of report.files) byFile.set(f, []);
  // Each list comes in file order: a file's entries need sorting only where lists meet.
  const merged = new Set<string>();
  for (const r of report.resources) add(r.source.file, { index: r.source.index, line: r.source.line, t: 'resource', r });
  for (const n of report.notEvaluated) {
    add(n.source.file, { index: n.source.index, line: n.source.line, t: 'skip', n });
    merged.add(n.source.file);
  }
  for (const e of report.errors) {
    add(e.file, { index: e.index ?? -1, line: e.line ?? 0, t: 'error', e });
    merged.add(e.file);
  }
  for (const file of merged) byFile.get(file)!.sort((a, b) => a.index - b.index || a.line - b.line);

  let printed = false;
  const noColor = !options.color;
  // Objects judged alike share their policy and list of evaluations: word the verdict once.
  const passWords = new Map<string, Map<ResourceResult['evaluations'], Map<ResourceResult['policy'], string>>>();
  let lastPass: { subject: string; evaluations: ResourceResult['evaluations']; policy: ResourceResult['policy']; how: string } | undefined;
  for (const [file, entries] of byFile) {
    const shownFile = printablePath(file);
    // Given before the file's first line; a file with nothing to show has none.
    let header = `${bold(shownFile)}\n`;
    for (const entry of entries) {
      let body = '';
      if (entry.t === 'error') {
        const e = entry.e;
        const loc = e.line !== undefined ? `${printablePath(e.file)}:${e.line}:${e.column ?? 1}` : printablePath(e.file);
        const from = e.renderedFrom !== undefined ? `, from ${printablePath(e.renderedFrom)}` : '';
        const doc = e.index !== undefined ? ` (document ${e.index + 1}${from})` : '';
        body += `  ${red('error')} ${loc}${doc}: ${printable(e.message)}\n`;
        if (e.hint) body += `        ${dim('hint: ' + printable(e.hint))}\n`;
      } else if (entry.t === 'skip') {
        if (!verbose) continue;
        const n = entry.n;
        body += `  ${dim('skip ')} ${objectName(n.kind, n.namespace, n.name)} ${dim(`(${at(n.source)})`)}: not evaluated: ${printable(n.reason)}\n`;
      } else {
        const r = entry.r;
        const name = objectName(r.kind, r.namespace, r.name);
        const lv = `${r.policy.level}:${r.policy.version}`;
        if (r.exempt) {
          if (verbose) body += `  ${dim('exempt')} ${name} ${dim(`(${at(r.source)})`)}: exempt by ${r.exempt} (configuration)\n`;
        } else if (r.allowed) {
          if (verbose) {
            // Objects in a row are most often judged alike: the last words are kept at hand.
            let how = lastPass !== undefined && lastPass.subject === r.subject && lastPass.evaluations === r.evaluations && lastPass.policy === r.policy ? lastPass.how : undefined;
            let byPolicy: Map<ResourceResult['policy'], string> | undefined;
            if (how === undefined) {
              let bySubject = passWords.get(r.subject);
              if (!bySubject) passWords.set(r.subject, (bySubject = new Map()));
              byPolicy = bySubject.get(r.evaluations);
              if (!byPolicy) bySubject.set(r.evaluations, (byPolicy = new Map()));
              how = byPolicy.get(r.policy);
            }
            if (how === undefined) {
              // Every mode that passed it, as a failure names every mode that found it.
              const modes = r.evaluations.length > 0 ? r.evaluations.map((e) => e.mode) : r.policy.mode ? [r.policy.mode] : [];
              const groups = modesText(r, modes);
              const tpl = r.subject === 'template' ? 'pod template' : '';
              how = !r.policy.mode
                ? 'privileged: nothing to check'
                : groups.includes(', ')
                  ? `passes ${groups}${tpl ? ` ${dim(`[${tpl}]`)}` : ''}`
                  : `passes ${lv} ${dim(`[${tpl ? `${tpl}, ` : ''}${modes.join('+')}]`)}`;
              byPolicy!.set(r.policy, how);
            }
            lastPass = { subject: r.subject, evaluations: r.evaluations, policy: r.policy, how };
            body += noColor
              ? `  ok    ${name} (${at(r.source)}): ${how}\n`
              : `  ${green('ok   ')} ${name} ${dim(`(${at(r.source)})`)}: ${how}\n`;
          }
        } else {
          const mode = r.policy.mode ?? 'enforce';
          const what = r.subject === 'template' ? 'pod template, ' : '';
          // Every failing mode that found the same is named in the header (`warn+audit
          // restricted:latest`); one that found something else has its message shown.
          let failing = 0;
          const alike: Mode[] = [];
          let others = '';
          const detail = afterLabel(r.message);
          for (const e of r.evaluations) {
            if (e.allowed) continue;
            failing++;
            if (e.mode === mode || afterLabel(e.message) === detail) alike.push(e.mode);
            else others += `        ${e.mode}: ${printable(e.message)}\n`;
          }
          if (!alike.includes(mode)) alike.unshift(mode);
          const policyText = r.subject === 'namespace' ? NAMESPACE_REFUSED : `${what}${modesText(r, alike)}`;
          body += noColor
            ? `  FAIL  ${name} (${at(r.source)}) [${policyText}]\n        ${printable(r.message)}\n`
            : `  ${red('FAIL ')} ${bold(name)} ${dim(`(${at(r.source)})`)} ${dim(`[${policyText}]`)}\n        ${printable(r.message)}\n`;
          body += others;
          for (const v of r.violations) {
            const first = v.locations[0];
            const at = first ? `${shownFile}:${first.line}:${first.column}` : where(r.source);
            const finding = printable(`${v.checkId}: ${v.reason}${v.detail ? ` (${v.detail})` : ''}`);
            // The modes are said only when some failing mode did not find it.
            body += v.modes.length < failing
              ? `        ${yellow(at)}  ${finding} ${dim(`[${modesText(r, v.modes)}]`)}\n`
              : `        ${yellow(at)}  ${finding}\n`;
            for (let i = 1; i < v.locations.length; i++) {
              const l = v.locations[i]!;
              body += `        ${yellow(`${shownFile}:${l.line}:${l.column}`)}  ${dim(printable(`${v.checkId}: ${l.path}`))}\n`;
            }
          }
        }
      }
      if (body) {
        emit(header + body);
        header = '';
        printed = true;
      }
    }
    // Listed all the same, so that a file the run read is never silently absent from it.
    if (entries.length === 0 && verbose) {
      emit(`${header}  ${dim('empty')} no objects: the file is empty, or holds only comments or empty documents\n`);
      printed = true;
    }
  }
  const s = report.summary;
  const line = summaryText(report);
  const colored = s.errors > 0 || s.denied > 0 ? red(line) : green(line);
  let out = printed ? '\n' : '';
  out += colored + '\n';
  if (s.checked === 0 && s.exempt === 0 && s.errors === 0 && s.notEvaluated > 0) {
    out += yellow('note: none of the objects is of a kind PodSecurity admission judges, so nothing was judged') + '\n';
  }
  emit(out);
}
