/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. One rule per check, one
 * result per offending field, located at that field.
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RuleDef } from '../../engine/index.js';
import { pathBelow } from '../io.js';
import { withoutOldCommands } from './json.js';
import { modesText, NAMESPACE_RULE, type Report, type ReportError } from './model.js';
import { escapeUnprintable } from './text.js';
import { sha256Hex } from '../../engine/stamps.js';

/** GitHub code scanning rejects runs with more results than this. */
export const MAX_RESULTS = 25_000;
/** UTF-16 code units of a violation's detail in each result's message. */
export const MAX_DETAIL = 1_000;

// Every field of a violation is a result repeating its detail, which names every subject: a pod
// with thousands of containers would otherwise make a log longer than a string can hold.
function cappedDetail(detail: string): string {
  if (detail.length <= MAX_DETAIL) return detail;
  const end = /[\uD800-\uDBFF]/.test(detail[MAX_DETAIL - 1]!) ? MAX_DETAIL - 1 : MAX_DETAIL;
  return `${detail.slice(0, end)}… (${detail.length - end} more characters; --format json has the whole message)`;
}

export interface SarifOptions {
  rules: readonly RuleDef[];
  /** The directory that %SRCROOT% stands for (the repository root; default: cwd). */
  root: string;
  /** Where relative input names are resolved from (default: cwd). */
  cwd: string;
  /** `--stdin-name`, when given: the name the report gives standard input (a path like any file's). */
  stdinName?: string;
  /** The text a report's lines refer to, to quote the offending line and its neighbours. */
  sourceText?: (file: string) => string | undefined;
  /** Whether a rule is one of the Pod Security Standards podsec ships (others are a team's own). */
  isStandard?: (rule: RuleDef) => boolean;
  /** The command the user runs (`kubectl podsec` as a kubectl plugin); default `podsec`. */
  command?: string;
}

/** Lines quoted around a result's line (SARIF contextRegion). */
const CONTEXT_LINES = 1;

/**
 * Longest quote of a result's line, and of its context (UTF-16 code units). Longer lines
 * (minified JSON holds a whole List on one) are quoted in part: each result quoting the rest
 * of such a line made the log grow with results times line length.
 */
const MAX_SNIPPET = 200;
const MAX_CONTEXT = 2_000;
/** With long lines, the context is the region's line from this far before to this far after it. */
const CONTEXT_AROUND = 100;

const INFORMATION_URI = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Artifact URI for standard input read without --stdin-name. It names no file; a notification says so. */
const STDIN_URI = 'stdin.yaml';


function pascal(id: string): string {
  return id
    .split(/[_\s-]+/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).replace(/^[A-Z]+(?=[A-Z][a-z])/, (caps) => caps.toLowerCase()) : ''))
    .join('');
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : t + '.';
}

/**
 * A message from input text (names, keys, values): its control and bidirectional formatting
 * characters escaped, as the text report does, since code scanning shows them as they are
 * (its lines kept: a list of problems is one a line).
 */
function messageText(s: string): string {
  return sentence(s).split('\n').map(escapeUnprintable).join('\n');
}

/** i, or i - 1 where i would split a surrogate pair. */
function cut(text: string, i: number): number {
  const c = text.charCodeAt(i - 1);
  return c >= 0xd800 && c <= 0xdbff ? i - 1 : i;
}

/**
 * A rule file's `standard` as an RFC 3986 URI, which SARIF's helpUri must be: the rule schema
 * asks only that it start with http(s)://, so a custom rule may write a space, `"` or `|` in it
 * (which would also end a markdown link). Undefined when it is no URL at all.
 */
function helpUri(standard: string): string | undefined {
  let href: string;
  try {
    href = new URL(standard).href;
  } catch {
    return undefined;
  }
  // WHATWG URLs leave a few characters RFC 3986 does not allow (`|`, `^`, `\``…): encoded too.
  return href.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (c) => encodeURIComponent(c));
}

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** The notifications a run may carry, described once; results and notifications refer to them by index. */
const NOTIFICATIONS = [
  {
    id: 'inputError',
    name: 'UnevaluatedInput',
    short: 'An input could not be read or evaluated.',
    full: 'A file could not be read, a document is not valid YAML, or an object is malformed; podsec could not judge it.',
    level: 'error',
    help: 'Fix the input at the location given (the message says what is wrong and how to fix it), then check again. A run with input errors exits with status 2.',
  },
  {
    id: 'resultsTruncated',
    name: 'TooManyResults',
    short: 'Some results were left out.',
    full: 'The run had more results than GitHub code scanning accepts; the rest are in the JSON report.',
    level: 'warning',
    help: `GitHub code scanning accepts at most ${MAX_RESULTS} results per run. Run {command} check with --format json for every finding, or check fewer files per run.`,
    markdown: `GitHub code scanning accepts at most ${MAX_RESULTS} results per run. Run \`{command} check --format json\` for every finding, or check fewer files per run.`,
  },
  {
    id: 'stdinNotAFile',
    name: 'StandardInputIsNotAFile',
    short: 'Results point at standard input, not at a file.',
    full: `Manifests read from standard input without --stdin-name are reported under ${STDIN_URI}, which names no file in the repository; lines are those of the stream.`,
    level: 'warning',
    help: 'For code scanning, write the manifests (e.g. the output of kubectl kustomize or helm template) to a file in the repository and check that file, or pass --stdin-name with the path results should point at. Line numbers are always those of the stream read.',
    markdown: 'For code scanning, write the manifests (e.g. the output of `kubectl kustomize` or `helm template`) to a file in the repository and check that file, or pass `--stdin-name` with the path results should point at. Line numbers are always those of the stream read.',
  },
  {
    id: 'inputWarning',
    name: 'InputJudgedWithWarning',
    short: 'An input was judged, but something in it is worth fixing.',
    full: 'A key given twice in one mapping (the last value counts, as kubectl sends only that one), a field the object type does not have under --validate warn (the API server drops it), or a pod-security.kubernetes.io label that PodSecurity admission does not read.',
    level: 'warning',
    help: 'Fix the input at the location given (the message says what is wrong and how to fix it). Warnings do not change the exit status.',
  },
] as const;
type NotificationId = (typeof NOTIFICATIONS)[number]['id'];

const descriptorRef = (id: NotificationId) => ({ id, index: NOTIFICATIONS.findIndex((n) => n.id === id) });

function notificationDescriptor(n: (typeof NOTIFICATIONS)[number], command: string) {
  const named = (text: string) => text.replaceAll('{command}', command);
  return {
    id: n.id,
    name: n.name,
    shortDescription: { text: n.short },
    fullDescription: { text: n.full },
    defaultConfiguration: { level: n.level },
    help: { text: named(n.help), markdown: named('markdown' in n ? n.markdown : n.help) },
    helpUri: INFORMATION_URI,
  };
}

export function formatSarif(report: Report, options: SarifOptions): string {
  const root = resolve(options.root);
  type Artifact = { uri: string; uriBaseId?: string; description?: { text: string } };
  const artifacts = new Map<string, Artifact>();
  let unnamedStdin = false;
  const artifactFor = (file: string): Artifact => {
    let a = artifacts.get(file);
    if (a) return a;
    if (file === '<stdin>' && options.stdinName === undefined) {
      // GitHub requires a URI for every result; this one names the stream, not a file.
      a = { uri: STDIN_URI, uriBaseId: 'SRCROOT', description: { text: 'Standard input: not a file; lines are those of the stream read.' } };
      unnamedStdin = true;
    } else {
      const abs = isAbsolute(file) ? file : resolve(options.cwd, file);
      const rel = pathBelow(root, abs);
      if (rel !== undefined) a = { uri: encodePath(rel), uriBaseId: 'SRCROOT' };
      else a = { uri: pathToFileURL(abs).href };
      if (file === options.stdinName) a.description = { text: `Standard input, named ${file} by --stdin-name; lines are those of the stream read.` };
    }
    artifacts.set(file, a);
    return a;
  };

  const linesByFile = new Map<string, string[] | null>();
  const linesOf = (file: string): string[] | null => {
    let lines = linesByFile.get(file);
    if (lines === undefined) {
      const text = options.sourceText?.(file);
      lines = text === undefined ? null : text.split('\n');
      linesByFile.set(file, lines);
    }
    return lines;
  };
  const regionAt = (file: string, line: number, column: number): { region: Record<string, unknown>; contextRegion?: unknown } => {
    const lines = linesOf(file);
    const text = lines?.[line - 1];
    if (lines == null || text === undefined) return { region: { startLine: line, startColumn: column } };
    // Without an end column the region runs from its start column to the end of the line.
    const end = text.length + 1 - column > MAX_SNIPPET ? cut(text, column - 1 + MAX_SNIPPET) + 1 : text.length + 1;
    const region = (explicitEnd: boolean): Record<string, unknown> => ({
      startLine: line, startColumn: column, ...(explicitEnd ? { endColumn: end } : {}), snippet: { text: text.slice(column - 1, end - 1) },
    });
    const start = Math.max(1, line - CONTEXT_LINES);
    // split() leaves an empty last element after the final line break.
    const last = Math.min(lines[lines.length - 1] === '' ? lines.length - 1 : lines.length, line + CONTEXT_LINES);
    if (last < start) return { region: region(end <= text.length) };
    const quoted = lines.slice(start - 1, last);
    if (quoted.reduce((n, l) => n + l.length + 1, 0) <= MAX_CONTEXT) {
      return { region: region(end <= text.length), contextRegion: { startLine: start, endLine: last, snippet: { text: quoted.join('\n') + '\n' } } };
    }
    // SARIF wants the context to be larger than the region: only a part of its line can be.
    const from = cut(text, Math.max(0, column - 1 - CONTEXT_AROUND)) + 1;
    const to = cut(text, Math.min(text.length, end - 1 + CONTEXT_AROUND)) + 1;
    if (from === column && to === end) return { region: region(end <= text.length) };
    // Both ends explicit: the validator reads a missing end column as unbounded.
    return { region: region(true), contextRegion: { startLine: line, startColumn: from, endColumn: to, snippet: { text: text.slice(from - 1, to - 1) } } };
  };

  const ruleDefs: { id: string; name: string; title: string; summary: string; standard: string; level: string; fix?: string; own?: boolean }[] = options.rules.map((r) => ({
    id: r.id,
    // A friendly name distinct from the id (SARIF1001), e.g. BaselinePrivilegedContainers.
    name: pascal(r.level) + pascal(r.title.replace(/[^A-Za-z0-9]+/g, ' ')),
    title: r.title,
    summary: r.summary,
    standard: r.standard,
    level: r.level,
    ...(r.fix !== undefined ? { fix: r.fix } : {}),
    ...(options.isStandard && !options.isStandard(r) ? { own: true } : {}),
  }));
  if (report.resources.some((r) => r.violations.some((v) => v.checkId === NAMESPACE_RULE.id))) ruleDefs.push(NAMESPACE_RULE);
  const ruleIndex = new Map(ruleDefs.map((r, i) => [r.id, i]));
  const rules = ruleDefs.map((r) => {
    const uri = helpUri(r.standard);
    return {
      id: r.id,
      name: r.name,
      shortDescription: { text: sentence(r.title) },
      fullDescription: { text: sentence(r.summary) },
      // Code scanning shows this with each alert: what the check wants, then how to comply.
      help: {
        // A team's own rule names its own standard, not the Pod Security Standards.
        text: `${sentence(r.summary)}${r.fix ? ` To fix: ${sentence(r.fix.replace(/`/g, ''))}` : ''} ${r.own ? `Standard (${r.level} level)` : `Pod Security Standards, ${r.level} level`}: ${uri ?? r.standard}`,
        markdown: `**${r.title}** (${r.level}). ${sentence(r.summary)}\n\n${r.fix ? `**To fix:** ${sentence(r.fix)}\n\n` : ''}${uri ? `See [${r.own ? 'its standard' : 'the Pod Security Standards'}](${uri}).` : `${r.own ? 'Standard' : 'Pod Security Standards'}: ${r.standard}`}`,
      },
      ...(uri !== undefined ? { helpUri: uri } : {}),
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'kubernetes', 'pod-security', r.level],
        precision: 'very-high',
        'problem.severity': 'error',
        // GitHub's scale: baseline controls block known privilege escalations, restricted ones harden further.
        'security-severity': r.level === 'baseline' ? '8.0' : r.level === 'restricted' ? '5.5' : '4.0',
      },
    };
  });

  const results: unknown[] = [];
  const occurrences = new Map<string, number>();
  let total = 0;
  for (const r of report.resources) {
    if (r.allowed) continue;
    // Every result repeats the object's name, which nothing bounds before the API server does
    // (253 characters): cut as details are, or a long name times many fields outgrew a string.
    const name = cappedDetail(r.name);
    const namespace = cappedDetail(r.namespace);
    const object = `${r.kind}/${namespace ? namespace + '/' : ''}${name || '(unnamed)'}`;
    const seenChecks = new Set<string>();
    for (const v of r.violations) {
      const mode = v.modes[0]!;
      const lv = `${r.policy[mode].level}:${r.policy[mode].version}`;
      const under = modesText(r, v.modes);
      // A check failing in two modes with different details (versions) is two violations at one field.
      const again = seenChecks.has(v.checkId);
      seenChecks.add(v.checkId);
      const locs = v.locations.length ? v.locations : [{ path: '', line: r.source.line, column: r.source.column, present: true }];
      // Enforce never refuses a workload: for a template it is the pods its controller creates.
      const verdict = v.modes.includes('enforce') ? (r.subject === 'template' ? 'its pods denied' : 'denied') : 'a finding';
      const text = messageText(`${object}: ${v.reason}${v.detail ? ` (${cappedDetail(v.detail)})` : ''}, ${r.subject === 'namespace' ? under : `${verdict} under ${under}`}`);
      for (const l of locs) {
        total++;
        if (results.length >= MAX_RESULTS) continue;
        // The URI as emitted, not the path as typed: the same across checkouts and invocations.
        const identity = [artifactFor(r.source.file).uri, r.kind, r.namespace, r.name, v.checkId, l.path, ...(again ? v.modes : [])].join('\0');
        let fingerprint = sha256Hex(identity).slice(0, 32);
        // The same object given twice in a file: its second finding is another alert, not the first one again.
        const occurrence = occurrences.get(fingerprint) ?? 0;
        occurrences.set(fingerprint, occurrence + 1);
        if (occurrence) fingerprint = sha256Hex(`${identity}\0${occurrence}`).slice(0, 32);
        results.push({
          ruleId: v.checkId,
          ruleIndex: ruleIndex.get(v.checkId) ?? 0,
          level: 'error',
          message: { text },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactFor(r.source.file),
                ...regionAt(r.source.file, l.line, l.column),
              },
              logicalLocations: [{ name: name || '(unnamed)', fullyQualifiedName: object, kind: 'resource' }],
            },
          ],
          partialFingerprints: { 'podsecFinding/v1': fingerprint },
          properties: {
            mode,
            modes: v.modes,
            policy: lv,
            evaluatedVersion: r.evaluations.find((e) => e.mode === mode)?.evaluatedVersion ?? r.policy.evaluatedVersion,
            field: l.path,
            fieldPresent: l.present,
            kind: r.kind,
            namespace,
            name,
            ...(r.source.renderedFrom !== undefined ? { renderedFrom: r.source.renderedFrom } : {}),
          },
        });
      }
    }
  }

  const inputNotification = (e: ReportError, level: 'error' | 'warning', id: NotificationId) => ({
    level,
    // The document too, as the text report gives it: a line alone is hard to place in a long stream.
    message: { text: messageText(`${level === 'error' && e.index !== undefined ? `Document ${e.index + 1}: ` : ''}${e.message}${e.hint ? `. Hint: ${e.hint}` : ''}`) },
    ...(e.index !== undefined ? { properties: { documentIndex: e.index, ...(e.renderedFrom !== undefined ? { renderedFrom: e.renderedFrom } : {}) } } : {}),
    descriptor: descriptorRef(id),
    locations: [{ physicalLocation: { artifactLocation: artifactFor(e.file), ...(e.line !== undefined ? { region: { startLine: e.line, startColumn: e.column ?? 1 } } : {}) } }],
  });
  const notifications: unknown[] = [
    ...report.errors.map((e) => inputNotification(e, 'error', 'inputError')),
    ...report.warnings.map((w) => inputNotification(w, 'warning', 'inputWarning')),
  ];
  if (total > results.length) {
    notifications.push({
      level: 'warning',
      message: { text: `Only the first ${MAX_RESULTS} of ${total} results are included (GitHub code scanning accepts at most ${MAX_RESULTS} per run).` },
      descriptor: descriptorRef('resultsTruncated'),
    });
  }
  if (unnamedStdin) {
    notifications.push({
      level: 'warning',
      message: {
        text: `Results from standard input point at ${STDIN_URI}, which is not a file: their lines are those of the stream read. For code scanning, write the manifests to a file in the repository and check that file, or name the stream with --stdin-name.`,
      },
      descriptor: descriptorRef('stdinNotAFile'),
      locations: [{ physicalLocation: { artifactLocation: artifactFor('<stdin>') } }],
    });
  }

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'podsec',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
            notifications: NOTIFICATIONS.map((n) => notificationDescriptor(n, options.command ?? 'podsec')),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(root + sep).href } },
        invocations: [{ executionSuccessful: report.errors.length === 0, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          policy: report.policy,
          summary: report.summary,
          truncated: total > results.length,
        },
      },
    ],
  };
  return withoutOldCommands(JSON.stringify(log, null, 2)) + '\n';
}
