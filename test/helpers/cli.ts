// Runs the podsec command line in-process, with its output captured.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main, type CliIO } from '../../cli/main.js';
import { ensureBuilt, projectRoot } from './shared.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Directory relative paths resolve from (default: the project). */
  cwd?: string;
  stdin?: string | Uint8Array;
  isTTY?: boolean;
  stderrIsTTY?: boolean;
  stdinIsTTY?: boolean;
  env?: Record<string, string>;
  /** What standard input is, as fstat tells (a file redirected in, a directory). */
  stdinIdentity?: CliIO['stdinIdentity'];
}

export async function cli(args: string[], opts: RunOptions = {}, run: typeof main = main): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const input = opts.stdin;
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      if (input !== undefined) yield typeof input === 'string' ? Buffer.from(input) : input;
    })(),
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    stdinIsTTY: opts.stdinIsTTY ?? false,
    cwd: opts.cwd ?? projectRoot,
    ...(opts.stdinIdentity ? { stdinIdentity: opts.stdinIdentity } : {}),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

let built: typeof import('../../cli/main.js') | undefined;

/** The same, run by the built command (dist/, with what the build precompiled) in this process. */
export async function builtCli(args: string[], opts: RunOptions = {}): Promise<Run> {
  if (!built) {
    ensureBuilt();
    built = (await import(pathToFileURL(join(projectRoot, 'dist', 'cli', 'main.js')).href)) as typeof import('../../cli/main.js');
  }
  return cli(args, opts, built.main);
}
