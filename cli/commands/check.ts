/** `podsec check`: judge manifests against the Pod Security Standards. */
import { createReadStream, lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, configProblemHint, configProblemText, isNamespaceName, NAMESPACE_NAME_RULE, parseAdmissionConfigFile, type AdmissionConfig } from '../../admission/config.js';
import { createEvaluator, LEVELS, type Evaluator, type Level, type RuleProblem } from '../../engine/index.js';
import { parseLevel, parseVersion, versionFlagError } from '../../engine/version.js';
import { closestKey } from '../../engine/nearest.js';
import { anchoredPattern, checkManifests, configWarning, excludePatternFor, ruleWarnings, shellQuoted, type CheckInput, type ExcludeSuggestion } from '../check/run.js';
import { argError, colorFlag, errnoText, shortWithEquals, isInside, levelHint, pathBelow, realPath, refuseFormatAsOutput, UsageError, wantsColor, writeAdvice, writeFileWhole, type CliIO } from '../io.js';
import { compileExclude, ExcludeSyntaxError, type ExcludeEntry, type ExcludePattern } from '../exclude.js';
import { evaluatorFor } from '../rules-dir.js';
import { createProgress } from '../progress.js';
import { REPORT_FORMATS, writeReport as writeReportAs, type ReportFormat } from '../report/format.js';
import { printable, printableLines, summaryText } from '../report/text.js';
import type { Report, ReportError } from '../report/model.js';
import { toolVersion } from '../version.js';
import { listManifestFiles, readDirEntries, type ReadDir } from '../list-files.js';
import { parseManifests } from '../manifest/read.js';
import { nowMs } from '../clock.js';

/** V8's longest string, in UTF-16 code units; a UTF-8 input of n bytes decodes to at most n. */
const MAX_STRING_LENGTH = 0x1fffffe8;
export const MAX_INPUT_MB = 512;
export const DEFAULT_MAX_INPUT_MB = 64;

export const CHECK_HELP = `Usage: podsec check [flags] PATH...

Checks Kubernetes manifests against the Pod Security Standards, as the API server's
PodSecurity admission would judge them once applied.

PATH is a file, a directory (searched recursively for .yaml, .yml and .json files) or - for
standard input. Files hold YAML streams (documents separated by ---) or JSON; Lists
(kind: List, PodList, ...) are unpacked. Manifests are read as kubectl reads them (YAML 1.1
values such as yes/no/on/off are booleans; of a key given twice the last value counts,
with a warning unless --validate ignore).

Judged: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
ReplicationController and PodTemplate. Every other object is listed as not evaluated.
Pods are judged as admission judges them; workloads' pod templates as warn and audit do,
and as enforce will judge the pods they make (a PodTemplate makes none).
A finding fails the run whatever its mode.

Policy:
  -l, --level LEVEL        privileged, baseline or restricted (default restricted)
      --version VERSION    policy version: latest or v1.N (default latest)
                           --level sets the policy of every object, overriding namespace
                           labels and --config defaults; --version alone sets only the
                           version of every mode, keeping the levels they give
      --config FILE        PodSecurityConfiguration (v1, v1beta1, v1alpha1; or an
                           AdmissionConfiguration embedding one or naming its file with
                           path:): its defaults apply to namespaces without labels, its
                           exemptions (namespaces, runtimeClasses, usernames) are honoured
  -n, --namespace NS       namespace of objects that name none (default "default")
      --validate MODE      as kubectl's: strict (default; also true) reports a field the
                           object's type does not have as an error, and does not judge the
                           object; warn prints a warning on stderr and judges it without the
                           field (as the API server does for helm); ignore (also false) says
                           nothing
      --user NAME          the user applying the manifests, for username exemptions
      --rules-dir DIR      also load rules from DIR (repeatable; adds checks, or replaces
                           bundled ones by id; see docs/cli.md)
Without --level, a Namespace in the input with PodSecurity labels (pod-security.kubernetes.io/
enforce, audit, warn and their -version) sets enforce, audit and warn for its objects exactly
as admission would (invalid values, warn defaulting), on top of the --config defaults if
given. Objects in namespaces without labels get the --config defaults, or restricted:latest.
Every failing mode is reported, each violation with the modes that found it.

Output:
  -f, --format FORMAT      text (default), json, sarif, github (annotations for GitHub
                           Actions) or junit (JUnit XML test results: GitLab, Jenkins)
  -o, --output FILE        write the report to FILE instead of standard output (- for
                           standard output); FILE must not be one of the inputs, the
                           configuration, a rule file or any manifest, and is skipped
                           when a directory being checked holds it
  -q, --quiet              text: list only failures and errors
      --color WHEN         auto (default: on a terminal or with FORCE_COLOR, unless NO_COLOR
                           is set), always, never
      --stdin-name NAME    name for standard input in reports (default <stdin>)
      --sarif-root DIR     the repository's root, which SARIF and github paths are relative to
                           (default: GITHUB_WORKSPACE when set, else the current directory)
      --max-file-size MB   refuse larger inputs (default ${DEFAULT_MAX_INPUT_MB}, at most ${MAX_INPUT_MB})
      --exclude PATTERN    leave out what directories given hold that matches (repeatable;
                           .gitignore globs: charts, "values*.yaml", "deploy/legacy/**")
  -h, --help               show this help

Exit codes:
  0  nothing denied
  1  something denied: a pod in enforce, or a pod template or warn/audit finding
  2  usage error, a report that could not be written, or an input that could not be
     evaluated (unreadable file, invalid YAML, malformed object, field of the wrong type
     or unknown, no containers, a container without a name or image, ephemeral
     containers, anything else the API server's validation refuses, such as a volume
     with two sources or a request above its limit, no object at all); this wins over 1

Examples:
  podsec check deploy/
  podsec check --level baseline --version v1.29 app.yaml
  helm template my-chart | podsec check -
  kubectl kustomize overlays/prod | podsec check -
  podsec check --format sarif -o podsec.sarif manifests/
  podsec check --format github deploy/        (a GitHub Actions step: annotations on the PR)
  podsec check --format junit -o podsec.xml deploy/   (test results for GitLab or Jenkins)
  podsec check --config pod-security.yaml --format json manifests/ > report.json
`;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${Math.floor(bytes)} bytes`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${Number((bytes / 1048576).toFixed(1))} MB`;
}

/** A path as reports show it: with `/` between directories (on Windows too; elsewhere `\` is part of a name). */
function display(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

async function readStdin(io: CliIO, limit: number): Promise<{ content?: Uint8Array; error?: string }> {
  const r = await readLimited(io.stdin, limit);
  return r.content ? { content: r.content } : { error: `standard input is larger than the limit of ${sizeText(limit)}` };
}

/** A stream read to its end, or only past `limit` bytes (no content then: it may never end). */
async function readLimited(stream: AsyncIterable<Uint8Array | string>, limit: number): Promise<{ content?: Uint8Array; size: number }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) {
      (stream as { destroy?: () => void }).destroy?.();
      return { size };
    }
    chunks.push(b);
  }
  return { content: Buffer.concat(chunks), size };
}

/**
 * Reads every input, turning each failure into a reported input error. A file reached twice
 * (named twice, or also under a directory given) is read once, where it is first reached;
 * `skip` (the report's own file) is left out of directory listings; the same file listed under
 * another name (a link to it) is a manifest the report would replace: a usage error.
 */
export async function collectInputs(
  paths: string[],
  io: CliIO,
  opts: { stdinName: string; maxBytes: number; skip?: { file: FileIdentity; entry: string; name: string }; onSkip?: (file: string) => void; exclude?: ExcludePattern[]; readdir?: ReadDir; readFile?: (path: string) => Buffer; stdin?: { dev: number; ino: number }; onWarning?: (w: ReportError) => void },
): Promise<CheckInput[]> {
  const cwd = io.cwd ?? process.cwd();
  const inputs: CheckInput[] = [];
  const taken = new Set<string>();
  const firstTime = (key: string): boolean => !taken.has(key) && Boolean(taken.add(key));
  const raise = opts.maxBytes < MAX_STRING_LENGTH ? ', or raise the limit with --max-file-size' : ' (no larger input can be read)';
  const tooBig = (file: string, size: number, stream = false): CheckInput => ({
    file,
    error: {
      // Rounded alike, the two sizes are given in bytes.
      message: stream
        ? `it holds more than the limit of ${sizeText(opts.maxBytes)}`
        : sizeText(size) === sizeText(opts.maxBytes)
          ? `file is ${size} bytes, larger than the limit of ${opts.maxBytes} bytes`
          : `file is ${sizeText(size)}, larger than the limit of ${sizeText(opts.maxBytes)}`,
      hint: `split it${raise}`,
    },
  });
  const unlisted: CheckInput[] = [];
  for (const arg of paths) {
    if (arg === '-') {
      // Most often - given by mistake, with nothing piped in: without a word, the run seems to hang.
      if (io.stdinIsTTY) io.stderr.write('podsec check: reading manifests from the terminal (standard input): end them with Ctrl-D, or pipe them in (helm template chart | podsec check -)\n');
      const r = await readStdin(io, opts.maxBytes);
      inputs.push(r.error ? { file: opts.stdinName, stdin: true, error: { message: r.error, hint: `split the input${raise}` } } : { file: opts.stdinName, stdin: true, content: r.content! });
      continue;
    }
    const abs = resolve(cwd, arg);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      if (firstTime(abs)) inputs.push({ file: display(arg), error: readError(display(arg), abs, err, 'check the path') });
      continue;
    }
    let files: string[];
    let searched: string | undefined;
    if (st.isDirectory()) {
      // Keep the names as the user wrote the directory, so reports point where they expect.
      // The path below the directory (which ends with a separator only when it is the root).
      const below = (p: string): string => p.slice(abs.endsWith(sep) ? abs.length : abs.length + 1);
      const shown = (p: string): string => (p === abs ? display(arg) : display(join(arg, below(p))));
      const patterns = opts.exclude ?? [];
      const listing = listManifestFiles(abs, opts.readdir ?? readDirEntries, patterns.length === 0 ? undefined : {
        matches: (p, name, isDir, real) => {
          const entry = { shown: shown(p), relative: display(below(p)), absolute: p, real, name, isDir };
          // Every pattern is tried, so that each one that matches counts as used.
          let hit = false;
          for (const x of patterns) if (x.matches(entry)) hit = true;
          return hit;
        },
        pending: () => patterns.some((x) => !x.used),
      });
      for (const { path, what } of listing.special) {
        const w = { file: shown(path), message: `not reading ${shown(path)}: it is a ${what}, not a file, and reading it might never end`, hint: 'name it as an input to read it' };
        io.stderr.write(`warning: ${printable(w.message)} (${w.hint})\n`);
        opts.onWarning?.(w);
      }
      for (const { dir, err } of listing.unlisted) {
        if (firstTime(realPath(dir))) unlisted.push({ file: shown(dir), error: { message: `cannot list ${shown(dir)}: ${errnoText(err)}`, hint: 'check the permissions' } });
      }
      const found = listing.files.filter((p) => {
        if (opts.skip === undefined || !isSameFile(p, opts.skip.file)) return true;
        if (entryOf(p) !== opts.skip.entry) {
          throw new UsageError(`--output ${opts.skip.name} is ${shown(p)}, which ${display(arg)} holds: the report would replace it`, 'write the report to another file');
        }
        opts.onSkip?.(shown(p));
        return false;
      });
      if (found.length === 0) {
        if (listing.unlisted.length > 0) {
          inputs.push(...unlisted.splice(0));
          continue;
        }
        inputs.push({
          file: display(arg),
          error: listing.excluded > 0
            ? { message: `nothing in ${display(arg)} is left to check once --exclude leaves out what it matches`, hint: 'narrow the --exclude patterns, or leave out the directory' }
            : { message: `no .yaml, .yml or .json files in ${display(arg)}`, hint: 'pass the directory that holds the manifests, or the files themselves' },
        });
        continue;
      }
      files = found.map(shown);
      searched = display(arg);
    } else {
      files = [display(arg)];
      searched = undefined;
    }
    for (const file of files) {
      // A directory that could not be listed is reported where the search met it.
      while (unlisted.length > 0 && comparePaths(unlisted[0]!.file, file) < 0) inputs.push(unlisted.shift()!);
      const full = resolve(cwd, file);
      if (!firstTime(realPath(full))) continue;
      try {
        const st = statSync(full);
        if (searched !== undefined && opts.stdin !== undefined && opts.stdin.ino !== 0 && st.dev === opts.stdin.dev && st.ino === opts.stdin.ino) {
          throw new UsageError(`${printable(file)}, which ${printable(searched)} holds, is standard input, which - reads already`, 'give standard input once: either - or the directory');
        }
        // One pipe by two names (/dev/stdin and /dev/fd/0) is read once: the second would find it drained.
        if (!st.isFile() && st.ino !== 0 && !firstTime(`${st.dev}:${st.ino}`)) continue;
        if (!st.isFile()) {
          // A pipe or device (`<(helm template …)`, /dev/stdin, a FIFO) has no size to check
          // beforehand and may never end: read it up to the limit.
          const r = await readLimited(createReadStream(full), opts.maxBytes);
          inputs.push(r.content ? { file, content: r.content, ...(searched !== undefined ? { searched } : {}) } : tooBig(file, r.size, true));
          continue;
        }
        if (st.size > opts.maxBytes) {
          inputs.push(tooBig(file, st.size));
          continue;
        }
        inputs.push({ file, content: (opts.readFile ?? readFileSync)(full), ...(searched !== undefined ? { searched } : {}) });
      } catch (err) {
        if (err instanceof UsageError) throw err;
        inputs.push({ file, error: readError(file, full, err, 'check the path and its permissions') });
      }
    }
    inputs.push(...unlisted.splice(0));
  }
  return inputs;
}

/** Why a path could not be read; a symbolic link whose target is missing says so, with the target. */
function readError(shown: string, full: string, err: unknown, hint: string): { message: string; hint: string } {
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    try {
      if (lstatSync(full).isSymbolicLink()) {
        return {
          message: `cannot read ${shown}: it is a symbolic link to ${printable(readlinkSync(full))}, which does not exist`,
          hint: 'fix the link or remove it',
        };
      }
    } catch {
      // Not there at all: the plain error says it.
    }
  }
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ELOOP') {
    return { message: `cannot read ${shown}: it is a symbolic link that leads back to itself (${errnoText(err)})`, hint: 'fix the link or remove it' };
  }
  return { message: `cannot read ${shown}: ${errnoText(err)}`, hint };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Findings in files outside the repository's root cannot be placed by code scanning or annotations: said once per file. */
function warnOutsideRoot(report: Report, root: string, cwd: string, io: CliIO, format: string, rootGiven: boolean): void {
  const files = new Set<string>();
  for (const r of report.resources) if (!r.allowed) files.add(r.source.file);
  for (const e of report.errors) files.add(e.file);
  for (const w of report.warnings) files.add(w.file);
  const outside = [...files].filter((f) => !f.startsWith('<') && !isInside(root, resolve(cwd, f)));
  if (outside.length === 0) return;
  const what = format === 'sarif' ? 'code scanning cannot place their SARIF results' : 'GitHub cannot place their annotations';
  const from = rootGiven ? '--sarif-root' : io.env.GITHUB_WORKSPACE !== undefined ? 'GITHUB_WORKSPACE' : 'the current directory';
  // Names from the directories searched: shown escaped, as in the report.
  const shown = printable(outside.length > 3 ? `${outside.slice(0, 3).join(', ')} and ${outside.length - 3} more` : outside.join(', '));
  io.stderr.write(`warning: ${shown} ${outside.length === 1 ? 'is' : 'are'} outside ${root} (${from}), so ${what.replace('their', outside.length === 1 ? 'its' : 'their')} (give --sarif-root the repository's root)\n`);
}

/** Name order as a directory search goes: directory by directory, each in name order. */
function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

const EXCLUDE_HINT = 'a pattern without / matches a file or directory name at any depth, one with / the path below the directory searched or as reports show it; files named on the command line are always checked';

export const CHECK_OPTIONS = {
  level: { type: 'string', short: 'l' },
  version: { type: 'string' },
  config: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  user: { type: 'string' },
  'rules-dir': { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  color: { type: 'string' },
  'stdin-name': { type: 'string' },
  'sarif-root': { type: 'string' },
  'max-file-size': { type: 'string' },
  exclude: { type: 'string', multiple: true },
  validate: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `--max-file-size -1` as `--max-file-size=-1`: no flag looks like a negative number, so it is
 * the flag's value, and gets that flag's own error rather than parseArgs' "ambiguous".
 */
function negativeValues(argv: string[]): string[] {
  const takesValue = (arg: string): string | undefined => {
    for (const [name, o] of Object.entries(CHECK_OPTIONS)) {
      if (o.type === 'string' && (arg === `--${name}` || ('short' in o && arg === `-${o.short}`))) return name;
    }
    return undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const long = shortWithEquals(arg, CHECK_OPTIONS);
    if (long !== undefined) {
      out.push(long);
      continue;
    }
    const name = takesValue(arg);
    const next = argv[i + 1];
    if (name !== undefined && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export interface CheckTimings {
  read: number;
  evaluate: number;
  report: number;
  total: number;
}

/**
 * The fewest of the suggested `--exclude` options that leave out every file suggested and no file
 * that holds objects: a chart's folder also leaves out its values files. A file that another
 * directory given also holds (nested or overlapping directories, one typed twice) is found again
 * by that search once the first one leaves it out: it must be left out of each. Greedy: the option
 * that leaves out most of the files still in, until none is.
 */
function fewestExcludes(suggestions: readonly ExcludeSuggestion[], searchedDirs: readonly string[], report: Report, cwd: string): string[] {
  const suggested = new Set(suggestions.map((s) => s.file));
  // Many files, few directories: each directory's real path is looked up once.
  const realPaths = new Map<string, string>();
  const real = (abs: string): string => {
    let r = realPaths.get(abs);
    if (r === undefined) realPaths.set(abs, (r = realPath(abs)));
    return r;
  };
  const below = (dir: string, file: string) => pathBelow(resolve(cwd, dir), resolve(cwd, file), real);
  // Each file as each search that holds it shows it.
  const asSearched = (s: { file: string; searched?: string }): { file: string; searched: string }[] => {
    const out = s.searched === undefined ? [] : [{ file: s.file, searched: s.searched }];
    for (const dir of searchedDirs) {
      if (dir === s.searched) continue;
      const path = below(dir, s.file);
      if (path !== undefined) out.push({ file: display(join(dir, path)), searched: dir });
    }
    return out;
  };
  // What the directory walk tests a pattern against on the way to a file: each directory above it, and the file.
  const walkEntries = (at: { file: string; searched: string }): ExcludeEntry[] => {
    const base = resolve(cwd, at.searched);
    const parts = relative(base, resolve(cwd, at.file)).split(sep);
    return parts.map((name, i) => {
      const below = parts.slice(0, i + 1).join('/');
      return { shown: display(join(at.searched, below)), relative: below, absolute: join(base, below), name, isDir: i < parts.length - 1 };
    });
  };
  // A pattern whose last segment has no glob matches only entries of that name: tested against those alone.
  const compile = (pattern: string) => {
    const last = pattern.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop()!;
    // A glob character stands for itself in [ ] (as the hints write it); anywhere else it is a glob.
    const escaped = /\[([*?[\]])\]/g;
    const name = /[*?[\]]/.test(last.replace(escaped, '')) ? undefined : last.replace(escaped, '$1');
    return { matcher: compileExclude(pattern), name };
  };
  const leavesOut = (p: ReturnType<typeof compile>, entries: readonly ExcludeEntry[]): boolean =>
    entries.some((e) => (p.name === undefined || e.name === p.name) && p.matcher.matches(e));
  // What must stay in: the files that hold objects, wherever a search finds them, by name.
  const objectFiles = new Set([...report.resources, ...report.notEvaluated].map((r) => r.source.file).filter((f) => !suggested.has(f)));
  const keepByName = new Map<string, ExcludeEntry[]>();
  const keepAll: ExcludeEntry[] = [];
  for (const file of objectFiles) {
    const searched = searchedDirs.find((d) => below(d, file) !== undefined);
    for (const at of asSearched({ file, searched })) {
      for (const e of walkEntries(at)) {
        keepAll.push(e);
        const list = keepByName.get(e.name);
        if (list) list.push(e);
        else keepByName.set(e.name, [e]);
      }
    }
  }
  const harmless = (pattern: string): boolean => {
    const p = compile(pattern);
    return !leavesOut(p, p.name === undefined ? keepAll : keepByName.get(p.name) ?? []);
  };
  // What must be left out, each with an option that leaves out no file of objects: the hint's, or
  // else the file's own path.
  const targets: { option: string; entries: ExcludeEntry[] }[] = [];
  const patternOf = new Map<string, string>();
  for (const s of suggestions) {
    for (const at of asSearched(s)) {
      let pattern = at.searched === s.searched ? s.pattern : excludePatternFor(at.file, at.searched);
      // The Chart.yaml of the folder searched: its hint says to check the chart's output instead.
      if (pattern === undefined) continue;
      if (!harmless(pattern)) pattern = anchoredPattern(at.file);
      const option = `--exclude ${shellQuoted(pattern)}`;
      patternOf.set(option, pattern);
      targets.push({ option, entries: walkEntries(at) });
    }
  }
  const options = [...patternOf.keys()];
  const compiled = options.map((option) => ({ option, pattern: compile(patternOf.get(option)!) }));
  let left = targets;
  const chosen = new Set<string>();
  while (left.length > 0) {
    let best = compiled[0]!;
    let bestCount = -1;
    for (const c of compiled) {
      const count = left.filter((t) => t.option === c.option || leavesOut(c.pattern, t.entries)).length;
      if (count > bestCount) [best, bestCount] = [c, count];
    }
    chosen.add(best.option);
    left = left.filter((t) => t.option !== best.option && !leavesOut(best.pattern, t.entries));
  }
  // In the order the hints gave them.
  return options.filter((o) => chosen.has(o));
}

/** Joins a report's pieces into batches of about a megabyte: few writes, and no string too long. */
function writeInBatches(report: (emit: (piece: string) => void) => void, write: (batch: string) => void): void {
  let batch = '';
  report((piece) => {
    batch += piece;
    if (batch.length >= 1 << 20) {
      write(batch);
      batch = '';
    }
  });
  if (batch) write(batch);
}

/** Past this size an existing --output file is taken for a report, not read (a large SARIF log). */
const MANIFEST_GUARD_BYTES = 8 * 1048576;

/**
 * The first Kubernetes object an existing --output file holds (`Deployment web, line 3`), if it
 * holds any: a report written there would destroy a manifest. Reports (JSON, SARIF, text) hold none.
 */
function heldObject(file: string): string | undefined {
  let content: Buffer;
  try {
    if (statSync(file).size > MANIFEST_GUARD_BYTES) return undefined;
    content = readFileSync(file);
  } catch {
    return undefined;
  }
  let documents;
  try {
    documents = parseManifests(content, file).documents;
  } catch {
    return undefined;
  }
  for (const doc of documents) {
    const v = doc.value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string' && v.kind !== '') {
      const name = typeof v.metadata === 'object' && v.metadata !== null && typeof v.metadata.name === 'string' ? ` ${v.metadata.name}` : '';
      return printable(`${v.kind}${name}, line ${doc.line}`);
    }
  }
  return undefined;
}

/** Runs `podsec check`; `timings`, when given, receives where the time went (milliseconds). */
export async function run(argv: string[], io: CliIO, hooks: { timings?: CheckTimings; evaluator?: Evaluator } = {}): Promise<number> {
  const started = nowMs();
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: negativeValues(argv), allowPositionals: true, strict: true, options: CHECK_OPTIONS }));
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err);
    return usage(io, argError(err, 'check', argv, Object.keys(CHECK_OPTIONS)));
  }
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return 0;
  }
  try {
    const format = values.format ?? 'text';
    if (!Object.hasOwn(REPORT_FORMATS, format)) {
      const names = Object.keys(REPORT_FORMATS);
      throw new UsageError(`unknown format ${JSON.stringify(format)}`, `use --format ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);
    }
    const color = colorFlag(values.color);
    let level: Level | undefined;
    if (values.level !== undefined) {
      const l = parseLevel(values.level);
      if (l.error) {
        // Levels are case-sensitive, as in namespace labels.
        const meant = closestKey(values.level, LEVELS);
        throw new UsageError(`invalid --level ${JSON.stringify(values.level)}: ${l.error}`, levelHint(values.level)
          || (meant === undefined ? 'use --level privileged, baseline or restricted' : `did you mean --level ${meant}?${meant === values.level.toLowerCase() ? ' (levels are lower case)' : ''}`));
      }
      level = l.level;
    }
    if (values.version !== undefined) {
      const v = parseVersion(values.version);
      if (v.error) throw new UsageError(`invalid --version ${JSON.stringify(values.version)}: ${versionFlagError(v)}`, 'for example --version v1.29 or --version latest');
    }
    if (values.namespace !== undefined && !isNamespaceName(values.namespace)) {
      throw new UsageError(`invalid --namespace ${JSON.stringify(values.namespace)}: ${NAMESPACE_NAME_RULE}`, 'for example --namespace team-a');
    }
    const validateFlag = values.validate ?? 'strict';
    // kubectl's spellings: strconv.ParseBool's for true and false, case-insensitive names.
    const VALIDATE_VALUES: Record<string, 'strict' | 'warn' | 'ignore'> = {
      strict: 'strict', warn: 'warn', ignore: 'ignore',
      true: 'strict', t: 'strict', '1': 'strict', false: 'ignore', f: 'ignore', '0': 'ignore',
    };
    const fieldValidation = Object.hasOwn(VALIDATE_VALUES, validateFlag.toLowerCase()) ? VALIDATE_VALUES[validateFlag.toLowerCase()] : undefined;
    if (!fieldValidation) throw new UsageError(`--validate must be strict, warn or ignore, not ${JSON.stringify(validateFlag)}`, 'as kubectl\'s --validate: strict (the default) refuses unknown fields');
    let maxMB = DEFAULT_MAX_INPUT_MB;
    if (values['max-file-size'] !== undefined) {
      // Megabytes, as the size error words them: a unit written out (512MB, 512M) is the same.
      const given = /^(\d+(?:\.\d*)?|\.\d+)(?:\s*(?:MB|M|MiB))?$/i.exec(values['max-file-size']);
      maxMB = given ? Number(given[1]) : NaN;
      if (!Number.isFinite(maxMB) || maxMB <= 0) {
        throw new UsageError(`--max-file-size must be a positive number of megabytes, not ${JSON.stringify(values['max-file-size'])}`, 'write a number such as 128 (megabytes; 128MB is the same)');
      }
      if (maxMB > MAX_INPUT_MB) {
        throw new UsageError(`--max-file-size can be at most ${MAX_INPUT_MB}: podsec reads each input whole, and Node.js holds no longer text`, 'split larger inputs into several files');
      }
    }
    let exclude: ExcludePattern[];
    try {
      exclude = (values.exclude ?? []).map(compileExclude);
    } catch (err) {
      if (err instanceof ExcludeSyntaxError) throw new UsageError(err.message, EXCLUDE_HINT);
      throw err;
    }
    if (positionals.length === 0) {
      throw new UsageError('no input given', 'pass files or directories, or - to read standard input (helm template chart | podsec check -)');
    }
    if (positionals.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be given only once', 'it is read once, to its end; join the streams before the pipe');
    // Most often a variable left unset ("$MANIFESTS"): read as a path, it would be the current directory.
    if (positionals.includes('')) throw new UsageError('an input is an empty path', 'pass files or directories, or - to read standard input; if a variable gives the path, check that it is set');
    const cwd = io.cwd ?? process.cwd();
    // `- /dev/stdin`, or `- x.yaml < x.yaml`: the second read would find the stream used up, or read the file twice.
    const stdinId = positionals.includes('-') ? io.stdinIdentity?.() : undefined;
    if (stdinId?.isDirectory?.()) throw new UsageError('standard input is a directory', 'give the directory as a path (podsec check DIR), or pipe manifests in');
    if (stdinId && stdinId.ino !== 0) {
      const same = positionals.find((p) => {
        if (p === '-') return false;
        try {
          const st = statSync(resolve(cwd, p));
          return st.dev === stdinId.dev && st.ino === stdinId.ino;
        } catch {
          return false;
        }
      });
      if (same !== undefined) throw new UsageError(`${printable(same)} is standard input, which - reads already`, 'give standard input once: either - or the path');
    }
    // Code scanning and annotations resolve paths from the repository's root: in a GitHub
    // Actions job, the workspace, wherever the step runs.
    const reportRoot = resolve(cwd, values['sarif-root'] ?? io.env.GITHUB_WORKSPACE ?? '.');
    if (values['sarif-root'] !== undefined && !isDirectory(reportRoot)) {
      throw new UsageError(`--sarif-root ${values['sarif-root']} is not a directory`, 'give the root of the repository the report is for');
    }

    const output = values.output === undefined || values.output === '-' ? undefined : values.output;
    if (output === '') throw new UsageError('--output (-o) needs a file name', 'give a file, or - for standard output');
    refuseFormatAsOutput(output, Object.keys(REPORT_FORMATS));
    // resolve() drops a trailing "/": the report became a file named as the directory meant.
    if (output !== undefined && (output.endsWith('/') || output.endsWith(sep))) {
      throw new UsageError(`--output ${output} names a directory, not a file`, `give the report's file, for example --output ${output}report.${REPORT_FORMATS[format as keyof typeof REPORT_FORMATS]}`);
    }
    // The report must not replace a manifest it was made from: the same file by any name (a
    // link, a hard link, standard input redirected from it).
    let outputReal: string | undefined;
    let outputId: FileIdentity | undefined;
    let outputHolds: string | undefined;
    if (output !== undefined) {
      const abs = resolve(cwd, output);
      if (isFile(abs)) {
        outputReal = realPath(abs);
        outputId = identityOf(abs);
        const id = outputId;
        const clash = id === undefined ? undefined : positionals.find((p) => p !== '-' && isSameFile(resolve(cwd, p), id));
        if (clash !== undefined) {
          throw new UsageError(
            clash === output ? `--output ${output} is also an input: the report would replace it` : `--output ${output} is the input ${clash}: the report would replace it`,
            'write the report to another file',
          );
        }
        if (id !== undefined && stdinId !== undefined && stdinId.ino !== 0 && stdinId.dev === id.dev && stdinId.ino === id.ino) {
          throw new UsageError(`--output ${output} is the file standard input is read from: the report would replace it`, 'write the report to another file');
        }
        // Refused once the inputs are known: naming an input or the configuration says more.
        outputHolds = heldObject(abs);
      }
      // Nor the rules it was judged by: a new file there is read as one by the next run.
      const target = outputReal ?? entryOf(abs);
      for (const dir of values['rules-dir'] ?? []) {
        if (isDirectory(resolve(cwd, dir)) && pathBelow(resolve(cwd, dir), target) !== undefined) {
          throw new UsageError(`--output ${output} is inside the --rules-dir ${dir}: the report would ${outputReal !== undefined ? 'replace a file of it' : 'be written among its rules'}`, 'write the report to another file');
        }
      }
    }

    // Reports place standard input's findings in the file this names: an empty name or a
    // directory (".", "sub/") gave SARIF an artifact that is the repository's root itself.
    const stdinFlag = values['stdin-name'];
    if (stdinFlag !== undefined && (stdinFlag.trim() === '' || stdinFlag.endsWith('/') || stdinFlag.endsWith(sep) || isDirectory(resolve(cwd, stdinFlag)))) {
      throw new UsageError(`--stdin-name ${JSON.stringify(stdinFlag)} names no file`, 'give the path of the file whose lines standard input holds, e.g. --stdin-name rendered/prod.yaml');
    }
    // Most often a pipeline that stopped passing `-`: the findings it meant to place are not read.
    if (stdinFlag !== undefined && !positionals.includes('-')) {
      io.stderr.write(`warning: --stdin-name ${printable(stdinFlag)} names standard input, which is not read: no input is -\n`);
    }

    let config: AdmissionConfig | undefined;
    // What the rules and the configuration warn of belongs in the report too: a JSON or SARIF reader sees no stderr.
    const setupWarnings: ReportError[] = [];
    if (values.config !== undefined) {
      let text: string;
      try {
        text = readFileSync(resolve(cwd, values.config), 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read the --config file ${values.config}: ${errnoText(err)}`, 'check the path given to --config');
      }
      // Every file the configuration is read from (an AdmissionConfiguration's `path:` too).
      const sources = new Map<string, string | undefined>([[resolve(cwd, values.config), text]]);
      try {
        // A relative `path` in an AdmissionConfiguration is the file's neighbour, as for the API server.
        config = parseAdmissionConfigFile(text, values.config, dirname(resolve(cwd, values.config)), sources);
        for (const w of config.warnings ?? []) {
          io.stderr.write(`warning: ${printable(configProblemText(w, values.config))}\n`);
          setupWarnings.push(configWarning(w, values.config));
        }
      } catch (err) {
        if (err instanceof ConfigError) {
          // The file an AdmissionConfiguration's path: names could not be read: say why in words, and where it was looked for.
          const unread = [...sources].find(([, text]) => text === undefined)?.[0];
          if (unread !== undefined) {
            throw new UsageError(err.message.replace(/: (E[A-Z]{2,})$/gm, (_, code: string) => `: ${errnoText({ code })}`),
              `check the PodSecurity plugin's path: in ${values.config} (a relative path is taken from the directory of ${values.config}, not the current one)`);
          }
          throw new UsageError(err.message, (err.problems.length === 1 ? configProblemHint(err.problems[0]) : undefined) ?? 'see "podsec check --help" and Kubernetes\' PodSecurityConfiguration format');
        }
        throw err;
      }
      // Nor the configuration it was judged under.
      const id = outputId;
      const read = id !== undefined ? [...sources.keys()].find((f) => isSameFile(f, id)) : undefined;
      if (read !== undefined) {
        throw new UsageError(read === resolve(cwd, values.config) ? `--output ${output} is the --config file: the report would replace it` : `--output ${output} is ${read}, which the --config file reads: the report would replace it`,
          'write the report to another file');
      }
    }

    let evaluator = hooks.evaluator;
    // Rule files that do not load: nothing is judged, but a report file or a machine-read format
    // still gets a report that says why, rather than a stale file or nothing a CI step can parse.
    let setupErrors: ReportError[] | undefined;
    if (!evaluator || values['rules-dir']) {
      let problems: readonly RuleProblem[] = [];
      evaluator = evaluatorFor(values['rules-dir'] ?? [], io, 'check', (p) => (problems = p));
      if (!evaluator) {
        if (problems.length === 0 || (format === 'text' && output === undefined)) return 2;
        setupErrors = problems.map((p) => ({ file: p.file, line: p.line, column: p.column, message: `rule problem: ${p.message}`, hint: p.hint, ruleProblem: true }));
        evaluator = hooks.evaluator ?? createEvaluator();
      } else {
        setupWarnings.push(...ruleWarnings(evaluator));
      }
    }

    // Admission never sees a request without a user name, and exemptions may not name one.
    if (values.user === '') throw new UsageError('--user needs a user name', 'give the name requests are made as (system:serviceaccount:NAMESPACE:NAME for a service account), or leave --user out');
    if (values.user !== undefined && values.config === undefined) {
      io.stderr.write('warning: --user changes nothing without --config: it is matched against the exemptions.usernames of a PodSecurityConfiguration\n');
    }
    if (values.version !== undefined && values.version !== 'latest') {
      const { version } = parseVersion(values.version);
      const newest = parseVersion(evaluator.newestVersion).version;
      if (version.minor > newest.minor) {
        io.stderr.write(`note: --version ${values.version} is newer than the newest policy version podsec knows, ${evaluator.newestVersion}: it is evaluated as ${evaluator.newestVersion} and reported as written, as Kubernetes does\n`);
      }
    }
    const stdinName = values['stdin-name'] ?? '<stdin>';
    const progress = createProgress(io);
    let skipped = false;
    const inputs = setupErrors ? [] : await collectInputs(positionals, io, {
      stdinName,
      maxBytes: Math.min(maxMB * 1048576, MAX_STRING_LENGTH),
      ...(stdinId ? { stdin: stdinId } : {}),
      onWarning: (w) => setupWarnings.push(w),
      ...(outputId !== undefined ? { skip: { file: outputId, entry: entryOf(resolve(cwd, output!)), name: output! } } : {}),
      onSkip: (file) => {
        if (!skipped && outputHolds === undefined) io.stderr.write(`podsec check: not checking ${printable(file)}: it is the --output file\n`);
        skipped = true;
      },
      exclude,
    });
    // Two inputs of one name would share their findings' places in SARIF and GitHub annotations.
    if (stdinFlag !== undefined && positionals.includes('-')) {
      const same = inputs.find((i) => !i.stdin && resolve(cwd, i.file) === resolve(cwd, stdinFlag));
      if (same) throw new UsageError(`--stdin-name ${printable(stdinFlag)} is also the name of the input file ${printable(same.file)}`, 'give standard input the name of no other input, or check the file alone');
    }
    // In the report too, at the first directory searched: a JSON or SARIF reader sees no stderr.
    const firstSearched = positionals.find((p) => p !== '-' && isDirectory(resolve(cwd, p)));
    for (const x of exclude) {
      if (x.used) continue;
      const message = `--exclude ${JSON.stringify(x.pattern)} matches nothing in the directories searched`;
      io.stderr.write(`warning: ${message} (${EXCLUDE_HINT})\n`);
      setupWarnings.push({ file: display(firstSearched ?? '.'), message, hint: EXCLUDE_HINT });
    }
    if (outputHolds !== undefined) {
      throw new UsageError(`--output ${output} holds Kubernetes objects (${outputHolds}): the report would replace a manifest`, 'write the report to another file (a report is no manifest: report.json, podsec.sarif)');
    }
    const timings = { read: 0, evaluate: 0 };
    let notManifests: ExcludeSuggestion[] | undefined;
    // SARIF quotes the offending lines.
    const sources = format === 'sarif' ? new Map<string, string>() : undefined;
    const report: Report = checkManifests(inputs, {
      evaluator,
      ...(level !== undefined ? { level } : {}),
      ...(values.version !== undefined ? { version: values.version } : {}),
      ...(config ? { config, configFile: values.config! } : {}),
      namespace: values.namespace ?? 'default',
      namespaceGiven: values.namespace !== undefined,
      ...(values.user !== undefined ? { user: values.user } : {}),
      toolVersion: toolVersion(),
      onProgress: progress.update,
      ...(sources ? { sources } : {}),
      ...(hooks.timings ? { timings } : {}),
      fieldValidation,
      ...(io.commandName !== undefined ? { command: io.commandName } : {}),
      onNotManifests: (suggestions) => (notManifests = suggestions),
      setupWarnings,
      ...(setupErrors ? { setupErrors } : {}),
      // As kubectl prints the API server's warnings: on stderr, whatever the report's format.
      onWarning: (w) => io.stderr.write(`warning: ${printable(`${w.file}${w.line ? `:${w.line}:${w.column}` : ''}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`)}\n`),
    });
    progress.done();

    const t0 = nowMs();
    // Code scanning and annotations place findings in files of the repository; a pipe is none.
    const fromStdin = positionals.includes('-') && values['stdin-name'] === undefined &&
      (report.resources.some((r) => !r.allowed && r.source.file === stdinName) || report.errors.some((e) => e.file === stdinName));
    if (fromStdin && (format === 'sarif' || format === 'github')) {
      const at = format === 'sarif' ? 'SARIF results from standard input point at stdin.yaml' : `GitHub annotations from standard input name ${stdinName}`;
      io.stderr.write(`warning: ${at}, which is no file in the repository (give --stdin-name PATH, or check the rendered file)\n`);
    }
    if (format === 'sarif' || format === 'github') warnOutsideRoot(report, reportRoot, cwd, io, format, values['sarif-root'] !== undefined);
    // A file gets colour only when asked for it.
    const useColor = format === 'text' && (output === undefined ? wantsColor(color, io) : color === 'always');
    // Each format gives its report in pieces (see writeInBatches).
    const writeReport = (emit: (piece: string) => void): void => writeReportAs(report, format as ReportFormat, {
      color: useColor,
      verbose: !values.quiet,
      root: reportRoot,
      cwd,
      rules: evaluator.table.rules,
      sourceText: (file) => sources?.get(file),
      ...(values['stdin-name'] ? { stdinName: values['stdin-name'] } : {}),
      ...(io.commandName !== undefined ? { command: io.commandName } : {}),
    }, emit);
    if (output !== undefined) {
      try {
        writeFileWhole(resolve(cwd, output), (write) => writeInBatches(writeReport, write));
      } catch (err) {
        io.stderr.write(`podsec check: cannot write the report to ${printable(output)}: ${errnoText(err)}; ${writeAdvice(err, 'check the path')}, or give --output another file\n`);
        return 2;
      }
      io.stderr.write(`podsec: ${summaryText(report)} (report written to ${printable(output)})\n`);
    } else {
      const out = io.reportOut ?? io.stdout;
      writeInBatches(writeReport, (batch) => out.write(batch));
    }
    // After the report, whose hints it sums up: one line to paste when adopting podsec on a repository.
    if (notManifests) {
      const searchedDirs = [...new Set(positionals.filter((p) => p !== '-' && isDirectory(resolve(cwd, p))).map(display))];
      io.stderr.write(`note: ${notManifests.length} files in the directories searched are no Kubernetes manifests (see the hint of each); to leave all of them out, add: ${printable(fewestExcludes(notManifests, searchedDirs, report, cwd).join(' '))}\n`);
    }
    const t1 = nowMs();
    if (hooks.timings) {
      hooks.timings.read = timings.read;
      hooks.timings.evaluate = timings.evaluate;
      hooks.timings.report = t1 - t0;
      hooks.timings.total = t1 - started;
    }
    return report.exitCode;
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err);
    throw err;
  }
}

interface FileIdentity {
  dev: number;
  ino: number;
  real: string;
}

function identityOf(abs: string): FileIdentity | undefined {
  try {
    const { dev, ino } = statSync(abs);
    return { dev, ino, real: realPath(abs) };
  } catch {
    return undefined;
  }
}

/** A directory entry's own path: its directory's real path and its name (itself perhaps a link). */
function entryOf(abs: string): string {
  return join(realPath(dirname(abs)), basename(abs));
}

/** Whether abs is the file `id` names, by whichever name (a link, a hard link). */
function isSameFile(abs: string, id: FileIdentity): boolean {
  const other = identityOf(abs);
  if (other === undefined) return false;
  // Some file systems number no files: their real paths are all there is to compare.
  return id.ino !== 0 ? other.dev === id.dev && other.ino === id.ino : other.real === id.real;
}

function isFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

function usage(io: CliIO, err: UsageError): number {
  // A --config file's problems quote its keys: shown escaped, as the report shows the manifests'.
  io.stderr.write(`podsec check: ${printableLines(err.message)}\n`);
  if (err.hint) io.stderr.write(`hint: ${printableLines(err.hint)}\n`);
  return 2;
}
