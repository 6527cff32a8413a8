/** `podsec`: dispatches to the subcommands. */
import { argError, UsageError, type CliIO } from './io.js';
import { toolVersion } from './version.js';
import { closestKey } from '../engine/nearest.js';

export type { CliIO } from './io.js';

type Command = (argv: string[], io: CliIO) => Promise<number>;

interface CommandInfo {
  summary: string;
  load: () => Promise<Command>;
}

const COMMANDS: Record<string, CommandInfo> = {
  // Each command loads when run, so that one command's start-up pays for no other's modules.
  check: { summary: 'check manifests against the Pod Security Standards (CI)', load: async () => (await import('./commands/check.js')).run },
  rules: { summary: 'list the checks of a level and version', load: async () => (await import('./commands/rules.js')).run },
  explain: { summary: "show a check's documentation and version history", load: async () => (await import('./commands/explain.js')).run },
  test: { summary: 'run test cases for rules: pods a check must pass or fail, with its exact message', load: async () => (await import('./commands/test.js')).run },
  serve: {
    summary: 'run the Pod Security admission webhook',
    load: async () => {
      const { runServe } = await import('../webhook/serve.js');
      return (argv, io) => runServe(argv, { stdout: io.stdout as NodeJS.WritableStream, stderr: io.stderr as NodeJS.WritableStream });
    },
  },
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `Usage: podsec <command> [flags]

The Kubernetes Pod Security Standards as versioned rules: a CI checker for manifests and an
admission webhook.

Commands:
${list}
  ${"help".padEnd(width)}  show help for a command: podsec help check

Flags:
  -h, --help     show this help
      --version  print podsec's version

Exit codes of podsec check: 0 nothing denied, 1 something denied, 2 usage error or an input
that could not be evaluated. Run "podsec help <command>" for each command's flags.

Examples:
  podsec check manifests/
  helm template chart | podsec check --level baseline -
  podsec check --format sarif --output podsec.sarif deploy/
  podsec explain runAsNonRoot
  podsec test --rules-dir my-rules my-rules-tests/
  kubectl podsec check manifests/      (with kubectl-podsec on PATH)
`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // Errors name the command they come from, as `podsec check` does itself.
  let prefix = 'podsec';
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help') {
      (first === undefined ? io.stderr : io.stdout).write(mainHelp());
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-v') {
      if (rest.length > 0) throw new UsageError(`${first} takes no argument, not ${JSON.stringify(rest[0])}`, 'run "podsec --version" alone');
      io.stdout.write(`podsec ${toolVersion()}\n`);
      return 0;
    }
    if (first === 'help') {
      const target = rest[0];
      // `podsec help --help` and `podsec help help` ask for help about help: the general help.
      if (target === undefined || target === '-h' || target === '--help' || target === 'help') {
        io.stdout.write(mainHelp());
        return 0;
      }
      const info = COMMANDS[target];
      if (!info) throw new UsageError(`unknown command ${JSON.stringify(target)}`, `commands: ${Object.keys(COMMANDS).join(', ')}`);
      if (rest.length > 1) throw new UsageError(`help takes one command, not also ${JSON.stringify(rest[1])}`, `run "podsec help ${target}"`);
      return await (await info.load())(['--help'], io);
    }
    if (first.startsWith('-')) {
      throw argError({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION', message: `Unknown option '${first}'` }, '', [], ['help', 'version']);
    }
    const info = COMMANDS[first];
    if (!info) {
      const near = closestKey(first, Object.keys(COMMANDS)) ?? Object.keys(COMMANDS).find((c) => c.startsWith(first.slice(0, 2)));
      throw new UsageError(`unknown command ${JSON.stringify(first)}`, near ? `did you mean "podsec ${near}"? Run "podsec --help" for the commands` : 'run "podsec --help" for the commands');
    }
    prefix = `podsec ${first}`;
    return await (await info.load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${prefix}: ${err.message}\n`);
      if (err.hint) io.stderr.write(`hint: ${err.hint.replace('podsec  --help', 'podsec --help')}\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr.write(`${prefix}: internal error: ${e.stack ?? e.message}\n`);
    return 2;
  }
}
