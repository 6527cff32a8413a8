/**
 * Where `podsec check` reads from and writes to: failed writes, an --output that is also an
 * input, inputs reached twice, and the wording of usage errors.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { errnoText } from '../cli/io.js';
import { main, type CliIO } from '../cli/main.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], opts: { cwd?: string; stdin?: string; isTTY?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const input = opts.stdin;
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      if (input !== undefined) yield Buffer.from(input);
    })(),
    env: {},
    isTTY: opts.isTTY ?? false,
    stderrIsTTY: false,
    cwd: opts.cwd ?? root,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

interface JsonReport {
  files: string[];
  resources: { name: string; source: { file: string } }[];
  errors: { file: string; message: string }[];
}

const pod = (name: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`;

/** The compiled command, for what only a real process shows (its own stdout failing). */
function newest(dir: string): number {
  let m = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) m = Math.max(m, newest(p));
    else if (e.name.endsWith('.ts')) m = Math.max(m, statSync(p).mtimeMs);
  }
  return m;
}

function ensureBuilt(): void {
  const out = join(root, 'dist', 'cli', 'main.js');
  const src = Math.max(...['cli', 'engine', 'admission'].map((d) => newest(join(root, d))));
  if (existsSync(out) && statSync(out).mtimeMs >= src) return;
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

t.test('standard output that cannot be written: one line on stderr, exit 2', { skip: existsSync('/dev/full') ? false : 'no /dev/full here' }, async (t) => {
  ensureBuilt();
  const full = openSync('/dev/full', 'w');
  t.teardown(() => closeSync(full));
  for (const args of [['check', 'examples/shop-frontend.yaml'], ['check', '-f', 'json', 'examples/shop-frontend.yaml'], ['rules']]) {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'podsec.js'), ...args], { cwd: root, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    t.equal(r.status, 2, `${args.join(' ')}: exit 2, not 1 (something denied)`);
    t.equal(r.stderr, 'podsec: cannot write to standard output: no space left on device; free some space there, or redirect it elsewhere\n', args.join(' '));
  }
});

t.test('--output that cannot be written: the reason once, in words, and exit 2', { skip: existsSync('/dev/full') ? false : 'no /dev/full here' }, async (t) => {
  const r = await cli(['check', '-o', '/dev/full', 'examples/shop-frontend.yaml']);
  t.equal(r.code, 2);
  t.equal(r.stderr, 'podsec check: cannot write the report to /dev/full: no space left on device; free some space there, or give --output another file\n');
});

t.test('--output into a directory that does not exist, or onto a directory', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a'), sub: {} });
  const missing = await cli(['check', '-o', 'nope/report.txt', 'app.yaml'], { cwd: dir });
  t.equal(missing.code, 2);
  t.equal(missing.stderr, 'podsec check: cannot write the report to nope/report.txt: no such file or directory; check that its directory exists, or give --output another file\n');
  const onDir = await cli(['check', '-o', 'sub', 'app.yaml'], { cwd: dir });
  t.equal(onDir.code, 2);
  t.match(onDir.stderr, /^podsec check: cannot write the report to sub: is a directory; /);
});

t.test('file system errors read in words, whatever the code', async (t) => {
  const e = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });
  t.equal(errnoText(e('ENOSPC', 'ENOSPC: no space left on device, write')), 'no space left on device');
  t.equal(errnoText(e('EIO', 'EIO: i/o error, write')), 'i/o error');
  t.equal(errnoText(e('ELOOP', "ELOOP: too many symbolic links encountered, open '/x/y'")), 'too many symbolic links encountered');
  t.equal(errnoText(new Error('something else')), 'something else');
});
