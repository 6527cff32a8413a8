/** What a command may touch: injected so tests can run commands in-process. */

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
  /** Directory relative paths are resolved from; defaults to process.cwd(). */
  cwd?: string;
}

export class UsageError extends Error {
  constructor(message: string, readonly hint = '') {
    super(message);
    this.name = 'UsageError';
  }
}

export function processIO(): CliIO {
  // A reader that stops early (`podsec check … | head`) is not an error: stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** Turns parseArgs' errors into usage errors with a hint. */
export function argError(err: unknown, command: string): UsageError {
  const e = err as { code?: string; message?: string };
  const msg = String(e.message ?? err);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(msg)?.[1] ?? '';
    return new UsageError(`unknown flag ${flag}`.trim(), `run "podsec ${command} --help" for the flags it takes`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(msg.replace(/^Option '([^' ]+)[^']*' argument missing$/, 'flag $1 needs a value'), `run "podsec ${command} --help"`);
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new UsageError(msg, `run "podsec ${command} --help"`);
  }
  return new UsageError(msg, `run "podsec ${command} --help"`);
}
