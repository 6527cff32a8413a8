/** What a command may touch: injected so tests can run commands in-process. */
import { closeSync, fchmodSync, fstatSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestKey } from '../engine/nearest.js';
import { errnoText } from '../engine/errors.js';
import { parseLevel, parseVersion } from '../engine/version.js';

export interface Out {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: Out;
  stderr: Out;
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
  /** stdout is a terminal (colour). */
  isTTY: boolean;
  /** stderr is a terminal (progress indicator); defaults to isTTY. */
  stderrIsTTY?: boolean;
  /** stdin is a terminal: `-` then waits for typed input. */
  stdinIsTTY?: boolean;
  /** Directory relative paths are resolved from; defaults to process.cwd(). */
  cwd?: string;
  /**
   * Where `podsec check` writes its report, and `podsec test` its results; defaults to stdout.
   * The kubectl plugin renames podsec in what stdout gets, but a report quotes the manifests or
   * the case files: it goes out as it would to an --output file (its hints name `commandName`).
   */
  reportOut?: Out;
  /** How the command is typed (`kubectl podsec` as a kubectl plugin): hints that say what to run name it so. */
  commandName?: string;
  /** What standard input is (device and inode), to tell when a path names it too. */
  stdinIdentity?: () => { dev: number; ino: number; isDirectory?: () => boolean } | undefined;
}

export class UsageError extends Error {
  constructor(message: string, readonly hint = '') {
    super(message);
    this.name = 'UsageError';
  }
}

export { errnoText };

/** `--color WHEN` checked: auto, always or never. */
export function colorFlag(value: string | undefined): 'auto' | 'always' | 'never' {
  const color = value ?? 'auto';
  if (color !== 'auto' && color !== 'always' && color !== 'never') throw new UsageError(`--color must be auto, always or never, not ${JSON.stringify(color)}`, 'write --color auto (colour on a terminal), --color always or --color never');
  return color;
}

/**
 * Whether text written to standard output gets colour: `always`; or with `auto`, on a terminal
 * or with FORCE_COLOR (force-color.org: CI logs that render it), unless NO_COLOR is set.
 * FORCE_COLOR=0 or false asks for none, as Node.js and the supports-color package read it.
 */
export function wantsColor(color: 'auto' | 'always' | 'never', io: CliIO): boolean {
  if (color !== 'auto') return color === 'always';
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  return io.isTTY || (force !== undefined && force !== '');
}

/** What to do about a failed write, for the same errors; `otherwise` for the rest. */
export function writeAdvice(err: unknown, otherwise: string): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space there';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'check the permissions there';
    case 'ENOENT':
    case 'ENOTDIR':
      return 'check that its directory exists';
    default:
      return otherwise;
  }
}

export function processIO(): CliIO {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // A reader that stops early (`podsec check … | head`) is not an error: stop quietly.
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Anything else lost the output (a full disk, a closed descriptor): say so, as --output does.
    process.stderr.write(`podsec: cannot write to standard output: ${errnoText(err)}; ${writeAdvice(err, 'check where it is redirected')}, or redirect it elsewhere\n`);
    process.exit(2);
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Diagnostics that cannot be written are lost; the output and the exit code still stand.
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read only when a command reads standard input: setting up process.stdin loads Node's
    // stream and readline modules, some milliseconds of every run that never reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    cwd: process.cwd(),
    stdinIdentity: () => {
      try {
        return fstatSync(0);
      } catch {
        return undefined;
      }
    },
  };
}

/** A flag as its help names it: "--level (-l)". */
function flagName(long: string, short?: string): string {
  return short ? `${long} (${short})` : long;
}

/**
 * `-n=prod` as `--namespace=prod`, as kubectl's flags read it (parseArgs takes "=prod" for the
 * value: `-o=r.json` wrote a file named "=r.json"); undefined for any other argument. A flag
 * that takes no value is a usage error.
 */
export function shortWithEquals(arg: string, options: Record<string, { type: string; short?: string }>): string | undefined {
  const m = /^-([A-Za-z])=([^]*)$/.exec(arg);
  const option = m ? Object.entries(options).find(([, o]) => o.short === m[1]) : undefined;
  if (!m || !option) return undefined;
  const [long, o] = option;
  if (o.type !== 'string') throw new UsageError(`-${m[1]} (--${long}) takes no value`, `write -${m[1]} alone`);
  return `--${long}=${m[2]}`;
}

type CommandOptions = NonNullable<ParseArgsConfig['options']>;
type ParsedCommand<T extends CommandOptions> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: T }>>;

/**
 * A command's arguments parsed as its help lists them: `-o=FILE` read as `--output=FILE` (before
 * a `--`), and parseArgs' errors as usage errors naming the command.
 */
export function parseCommandArgs<T extends CommandOptions>(argv: string[], options: T, command: string): ParsedCommand<T> {
  try {
    const end = argv.indexOf('--');
    const args = argv.map((a, i) => (end >= 0 && i >= end ? a : shortWithEquals(a, options) ?? a));
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw argError(e, command, argv, Object.keys(options));
  }
}

/** Turns parseArgs' errors into usage errors with a hint; `argv` lets a message quote the value. */
export function argError(err: unknown, command: string, argv: readonly string[] = [], flags: readonly string[] = []): UsageError {
  const e = err as { code?: string; message?: string };
  const msg = String(e.message ?? err);
  const help = `run "podsec ${command} --help"`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(msg)?.[1] ?? '';
    if (flag === '--no-color' && flags.includes('color')) return new UsageError('unknown flag --no-color', 'write --color never (or set NO_COLOR)');
    // A path that starts with "-" (-x.yaml), taken for flags.
    const word = argv.find((a) => a.startsWith(flag) && /\.(ya?ml|json)$/i.test(a));
    if (word !== undefined && !flag.startsWith('--')) return new UsageError(`unknown flag ${flag} (in ${JSON.stringify(word)})`, `a path that starts with "-" goes after "--" (podsec ${command} -- ${word}) or as ./${word}`);
    const meant = flag.startsWith('--') ? closestKey(flag.slice(2).split('=')[0]!, flags) : undefined;
    return new UsageError(`unknown flag ${flag}`.trim(), meant ? `did you mean --${meant}? (${help} for the flags it takes)` : `${help} for the flags it takes`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '-q, --quiet' does not take an argument": `--quiet=yes`.
    const flag = /^Option '(?:(-[^-,' ]), )?(--[^' ]+)' does not take an argument/.exec(msg);
    if (flag) return new UsageError(`${flagName(flag[2]!, flag[1])} takes no value`, `write ${flag[2]} alone`);
    // "Option '-l, --level <value>' argument missing"
    const missing = /^Option '(?:(-[^-,' ]), )?(--[^' ]+)[^']*' argument missing/.exec(msg);
    if (missing) return new UsageError(`${flagName(missing[2]!, missing[1])} needs a value`, help);
    // "Option '-l' argument is ambiguous. … use '--level=-XYZ' or '-l-XYZ'.": the next word starts with "-".
    const ambiguous = /^Option '(-[^']+)' argument is ambiguous/.exec(msg);
    if (ambiguous) {
      const written = ambiguous[1]!;
      const long = /'(--[^=']+)=-XYZ'/.exec(msg)?.[1] ?? written;
      const i = argv.indexOf(written);
      const next = i >= 0 ? argv[i + 1] : undefined;
      const name = flagName(long, written === long ? undefined : written);
      return next === undefined || next === '--'
        ? new UsageError(`${name} needs a value`, help)
        : new UsageError(`${name} needs a value, and ${JSON.stringify(next)} after it is taken for a flag`, `give the value, or write ${long}=${next} if it starts with "-"`);
    }
  }
  return new UsageError(msg.split('\n')[0]!, help);
}

/**
 * A hint for `--level baseline:v1.29`, a policy as every report writes it: the flags it means.
 * Empty when the value is not of that form. `diff`: the versions come from --diff instead.
 */
/**
 * `-o json` as kubectl means it: the report's format, where podsec's -o names its file. A file
 * named so would be a surprise; `./json` still names one.
 */
export function refuseFormatAsOutput(output: string | undefined, formats: readonly string[]): void {
  if (output === undefined || !(formats.includes(output) || output === 'yaml' || output === 'wide')) return;
  const format = formats.includes(output) ? output : 'json';
  throw new UsageError(`--output (-o) names the file the report is written to, and "${output}" is a format, not a file`,
    `give the format with --format (-f ${format}); kubectl's -o is podsec's -f. To write a file named ${output}, give -o ./${output}`);
}

export function levelHint(text: string, diff = false): string {
  const [level, version, ...rest] = text.split(':');
  if (version === undefined || rest.length > 0 || parseLevel(level!).error) return '';
  if (diff) return `use --level ${level} (the versions are the ones given to --diff)`;
  return parseVersion(version).error ? `use --level ${level} --version v1.N (or latest)` : `use --level ${level} --version ${version}`;
}

/**
 * Writes a file so that it appears whole or not at all: into a temporary file beside it, renamed
 * over it at the end. A CI step reading the report never sees half of one, and a failed or
 * interrupted write leaves the previous file as it was. A path that is no regular file (a pipe,
 * /dev/stdout), or whose directory takes no new file, is written in place.
 */
export function writeFileWhole(path: string, write: (sink: (chunk: string) => void) => void): void {
  let target = path;
  let mode: number | undefined;
  try {
    // Through a symbolic link, the file it points to is replaced, not the link.
    target = realpathSync.native(path);
    const st = statSync(target);
    if (!st.isFile()) return writeInPlace(path, write);
    mode = st.mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return writeInPlace(path, write);
    // A link that leads nowhere a path can name (a pipe's /dev/stdout, /dev/fd/63 of a process
    // substitution, a dangling link) is written through, as the shell's `>` does: never replaced.
    if (isLink(path)) return writeInPlace(path, write);
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', mode ?? 0o666);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EEXIST') return writeInPlace(path, write);
    throw err;
  }
  try {
    try {
      write((chunk) => writeFileSync(fd, chunk));
      // The umask applied at creation: the file replaced keeps its own permissions.
      if (mode !== undefined) fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw err;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function writeInPlace(path: string, write: (sink: (chunk: string) => void) => void): void {
  const fd = openSync(path, 'w');
  try {
    write((chunk) => writeFileSync(fd, chunk));
  } finally {
    closeSync(fd);
  }
}

/** A file's real path, or the path given when it has none (it does not exist). */
export function realPath(abs: string): string {
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

/** A path with its directory's symlinks resolved (a symlinked file stays where it is). */
function canonicalPath(path: string, real: (abs: string) => string): string {
  return join(real(dirname(path)), basename(path));
}

/**
 * The path below a directory, with `/` separators, or undefined when it is not below it (`..x`
 * is a name, not a step up). Symlinks are resolved on both sides: a root typed through a
 * symlinked directory still holds its files. `real` resolves them (a caller asking about many
 * files may remember its answers).
 */
export function pathBelow(root: string, path: string, real: (abs: string) => string = realPath): string | undefined {
  const rel = relative(real(root), canonicalPath(path, real));
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
  return rel.split(sep).join('/');
}

export function isInside(root: string, path: string): boolean {
  return pathBelow(root, path) !== undefined;
}
