/**
 * Where `podsec check` reads from and writes to: failed writes, an --output that is also an
 * input, inputs reached twice, and the wording of usage errors.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { errnoText, writeFileWhole } from '../cli/io.js';
import { compliantPod, ensureBuilt } from './helpers/shared.js';
import { cli } from './helpers/cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface JsonReport {
  files: string[];
  resources: { name: string; source: { file: string } }[];
  errors: { file: string; message: string }[];
}

const pod = compliantPod;


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

t.test('--output replaces the file whole: through its symbolic link, with its permissions, never half written', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a'), 'old.txt': 'the previous report\n' });
  chmodSync(join(dir, 'old.txt'), 0o640);
  symlinkSync('old.txt', join(dir, 'report.txt'));
  const r = await cli(['check', '-o', 'report.txt', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 0);
  t.ok(lstatSync(join(dir, 'report.txt')).isSymbolicLink(), 'the link stays a link');
  t.match(readFileSync(join(dir, 'old.txt'), 'utf8'), /1 resources? checked, 1 passed/, 'the file it points to holds the report');
  t.equal(statSync(join(dir, 'old.txt')).mode & 0o777, 0o640, 'with the permissions it had');
  t.same(readdirSync(dir).sort(), ['app.yaml', 'old.txt', 'report.txt'], 'no temporary file is left');

  // A writer that fails half-way leaves the previous file and no temporary one.
  t.throws(() => writeFileWhole(join(dir, 'old.txt'), (write) => {
    write('half of a report');
    throw new Error('interrupted');
  }), /interrupted/);
  t.match(readFileSync(join(dir, 'old.txt'), 'utf8'), /1 passed/, 'the previous report is intact');
  t.same(readdirSync(dir).sort(), ['app.yaml', 'old.txt', 'report.txt']);

  // A new file, and one that is no regular file (written in place: /dev/null cannot be renamed over).
  writeFileWhole(join(dir, 'new.txt'), (write) => { write('a'); write('b'); });
  t.equal(readFileSync(join(dir, 'new.txt'), 'utf8'), 'ab');
  t.doesNotThrow(() => writeFileWhole('/dev/null', (write) => write('x')), 'a character device is written in place');
});

t.test('--output through a link to no file a path names is written through, never replaced', async (t) => {
  // A dangling link: the shell's `>` creates the file it points to.
  const dir = t.testdir({ 'app.yaml': pod('a'), reports: {} });
  symlinkSync('reports/podsec.json', join(dir, 'out.json'));
  const r = await cli(['check', '-f', 'json', '-o', 'out.json', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 0);
  t.ok(lstatSync(join(dir, 'out.json')).isSymbolicLink(), 'the link stays a link');
  t.same((JSON.parse(readFileSync(join(dir, 'reports', 'podsec.json'), 'utf8')) as JsonReport).files, ['app.yaml'], 'the file it points to holds the report');
});

// /dev/stdout when it is a pipe, /dev/fd/63 of `>(...)`: links to no path realpath can name.
t.test('--output through a link to a pipe', { skip: process.platform === 'linux' ? false : 'links to pipes are made with /proc/self/fd, which only Linux has' }, async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a') });
  ensureBuilt();
  symlinkSync('/proc/self/fd/1', join(dir, 'stdout'));
  // Through the shell, whose `|` is a pipe (a child's stdout from node is a socket, which /proc does not open).
  const piped = spawnSync('sh', ['-c', '"$0" "$1" check -f json -o stdout app.yaml | cat', process.execPath, join(root, 'bin', 'podsec.js')], { cwd: dir, encoding: 'utf8' });
  t.equal(piped.stderr, 'podsec: 1 resource checked, 1 passed, 0 failed (0 violations), 0 not evaluated, 0 errors (report written to stdout)\n');
  t.same((JSON.parse(piped.stdout) as JsonReport).files, ['app.yaml'], 'the report went into the pipe');
  t.ok(lstatSync(join(dir, 'stdout')).isSymbolicLink(), 'and the link is still a link');
  t.same(readdirSync(dir).sort(), ['app.yaml', 'stdout'], 'no temporary file is left');
});

t.test('rules that do not load: a report still says why, where a file or a parser waits for one', async (t) => {
  const broken = 'schemaVersion: 1\nid: x\nlevel: baseline\ntitle: [unclosed\n';
  const dir = t.testdir({ 'app.yaml': pod('a'), 'report.sarif': 'the previous run\'s report', rules: { baseline: { 'x.yaml': broken } } });
  const toFile = await cli(['check', '-f', 'sarif', '-o', 'report.sarif', '--rules-dir', 'rules', 'app.yaml'], { cwd: dir });
  t.equal(toFile.code, 2);
  t.match(toFile.stderr, /^podsec check: invalid rule files \(1 problem\):\n {2}\S*rules\/baseline\/x\.yaml:5:1: YAML syntax error/);
  const log = JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8'));
  t.equal(log.runs[0].invocations[0].executionSuccessful, false, 'the stale report is replaced by one that failed');
  const json = await cli(['check', '-f', 'json', '--rules-dir', 'rules', 'app.yaml'], { cwd: dir });
  t.equal(json.code, 2);
  const report = JSON.parse(json.stdout);
  t.same([report.exitCode, report.files, report.resources], [2, [], []], 'nothing is read or judged');
  t.match(report.errors, [{ file: 'rules/baseline/x.yaml', line: 5, column: 1, message: /^rule problem: YAML syntax error/, hint: /^close it with "\]"/, ruleProblem: true }]);
  const github = await cli(['check', '-f', 'github', '--rules-dir', 'rules', 'app.yaml'], { cwd: dir });
  t.match(github.stdout, /^::error file=\S*rules\/baseline\/x\.yaml,line=5,col=1,title=podsec%3A rule file not loaded::rule problem: YAML syntax error/m, 'titled as what it is');
  const text = await cli(['check', '--rules-dir', 'rules', 'app.yaml'], { cwd: dir });
  t.same([text.code, text.stdout], [2, ''], 'a text report on standard output: the problems on stderr alone, once');
});

t.test('file system errors read in words, whatever the code', async (t) => {
  const e = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });
  t.equal(errnoText(e('ENOSPC', 'ENOSPC: no space left on device, write')), 'no space left on device');
  t.equal(errnoText(e('EIO', 'EIO: i/o error, write')), 'i/o error');
  t.equal(errnoText(e('ELOOP', "ELOOP: too many symbolic links encountered, open '/x/y'")), 'too many symbolic links encountered');
  t.equal(errnoText(new Error('something else')), 'something else');
});

t.test('--output naming a manifest that is not checked is refused too: a report would destroy it', async (t) => {
  const dir = t.testdir({ deploy: { 'app.yaml': pod('a'), 'web.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }) }, 'other.yaml': pod('b'), 'old.json': '{"tool": {"name": "podsec"}}\n' });
  const before = readFileSync(join(dir, 'deploy', 'app.yaml'), 'utf8');
  const inDir = await cli(['check', '-o', 'deploy/app.yaml', 'deploy'], { cwd: dir });
  t.equal(inDir.code, 2, 'a manifest of the directory checked');
  t.equal(inDir.stderr, 'podsec check: --output deploy/app.yaml holds Kubernetes objects (Pod a, line 1): the report would replace a manifest\nhint: write the report to another file (a report is no manifest: report.json, podsec.sarif)\n');
  const elsewhere = await cli(['check', '-f', 'json', '-o', 'deploy/web.json', 'other.yaml'], { cwd: dir });
  t.equal(elsewhere.code, 2, 'one not checked at all');
  t.match(elsewhere.stderr, /holds Kubernetes objects \(Pod web, line 1\)/);
  t.equal(readFileSync(join(dir, 'deploy', 'app.yaml'), 'utf8'), before, 'the manifest is untouched');
  t.equal((await cli(['check', '-f', 'json', '-o', 'old.json', 'other.yaml'], { cwd: dir })).code, 0, 'a previous report is replaced');
  t.equal((await cli(['check', '-f', 'json', '-o', 'old.json', 'other.yaml'], { cwd: dir })).code, 0, 'the report it wrote too');
});

t.test('--output naming an input is refused, and the input is left as it was', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a'), 'other.yaml': pod('b'), link: t.fixture('symlink', 'app.yaml') });
  const before = readFileSync(join(dir, 'app.yaml'), 'utf8');
  const same = await cli(['check', '-f', 'json', '-o', 'app.yaml', 'app.yaml'], { cwd: dir });
  t.equal(same.code, 2);
  t.equal(same.stdout, '');
  t.equal(same.stderr, 'podsec check: --output app.yaml is also an input: the report would replace it\nhint: write the report to another file\n');
  // The same file under another name: compared by real path.
  for (const [out, input] of [['./app.yaml', 'app.yaml'], ['link', 'app.yaml'], [join(dir, 'app.yaml'), 'link']]) {
    const r = await cli(['check', '-o', out!, 'other.yaml', input!], { cwd: dir });
    t.equal(r.code, 2, `${out} / ${input}`);
    t.match(r.stderr, /the report would replace it\nhint: write the report to another file\n$/, `${out} / ${input}`);
  }
  // A hard link: another name, another real path, the same file.
  linkSync(join(dir, 'app.yaml'), join(dir, 'hard.txt'));
  const hard = await cli(['check', '-o', 'hard.txt', 'app.yaml'], { cwd: dir });
  t.equal(hard.code, 2, 'a hard link to the input');
  t.equal(hard.stderr, 'podsec check: --output hard.txt is the input app.yaml: the report would replace it\nhint: write the report to another file\n');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n');
  linkSync(config, join(dir, 'config-link.txt'));
  const conf = await cli(['check', '--config', 'config.yaml', '-o', 'config-link.txt', 'other.yaml'], { cwd: dir });
  t.equal(conf.code, 2, 'a hard link to the --config file');
  t.match(conf.stderr, /^podsec check: --output config-link\.txt is the --config file: the report would replace it\n/);
  const listed = await cli(['check', '-o', 'hard.txt', '.'], { cwd: dir });
  t.equal(listed.code, 2, 'a directory holding the input under another name');
  t.equal(listed.stderr, 'podsec check: --output hard.txt is app.yaml, which . holds: the report would replace it\nhint: write the report to another file\n');
  const viaLink = await cli(['check', '-o', 'link', '.'], { cwd: dir });
  t.equal(viaLink.code, 2, 'a symbolic link to a manifest of the directory');
  t.match(viaLink.stderr, /^podsec check: --output link is app\.yaml, which \. holds: the report would replace it\n/);
  t.equal(readFileSync(join(dir, 'app.yaml'), 'utf8'), before, 'the manifest is untouched');
  // A new file, or another existing file, is fine.
  t.equal((await cli(['check', '-o', 'report.txt', 'app.yaml'], { cwd: dir })).code, 0);
  t.equal((await cli(['check', '-o', 'report.txt', 'app.yaml'], { cwd: dir })).code, 0, 'overwriting the previous report');
});

t.test('a directory checked with --output inside it skips that file, with one note', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a') });
  const first = await cli(['check', '-f', 'json', '-o', 'report.json', '.'], { cwd: dir });
  t.equal(first.code, 0);
  t.notMatch(first.stderr, /not checking/, 'nothing to skip the first time');
  const second = await cli(['check', '-f', 'json', '-o', 'report.json', '.', '.'], { cwd: dir });
  t.equal(second.code, 0, 'the previous report is not read as a manifest');
  t.equal(second.stderr.split('\n')[0], 'podsec check: not checking report.json: it is the --output file');
  t.equal(second.stderr.match(/not checking/g)?.length, 1, 'said once');
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as JsonReport;
  t.same(report.files, ['app.yaml']);
  t.same(report.errors, []);
  // With nothing else there, the directory holds no manifest, as it would without the report.
  const empty = t.testdir({ 'report.json': '{}' });
  const r = await cli(['check', '-f', 'json', '-o', 'report.json', '.'], { cwd: empty });
  t.equal(r.code, 2);
  t.match((JSON.parse(readFileSync(join(empty, 'report.json'), 'utf8')) as JsonReport).errors[0]!.message, /no \.yaml, \.yml or \.json files in \./);
});

t.test('-o - writes the report to standard output', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a') });
  const r = await cli(['check', '-f', 'json', '-o', '-', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 0);
  t.same((JSON.parse(r.stdout) as JsonReport).files, ['app.yaml']);
  t.equal(r.stderr, '', 'no "report written to" line');
  t.notOk(existsSync(join(dir, '-')), 'no file named -');
  const eq = await cli(['check', '--output=-', 'app.yaml'], { cwd: dir, isTTY: true });
  t.match(eq.stdout, /\u001b\[/, 'coloured on a terminal, as standard output is');
  t.notOk(existsSync(join(dir, '-')));
  t.equal((await cli(['check', '--output=', 'app.yaml'], { cwd: dir })).stderr, 'podsec check: --output (-o) needs a file name\nhint: give a file, or - for standard output\n');
});

t.test('-o json, as kubectl takes it, is a usage error rather than a report in a file named json', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a'), 'cases.yaml': 'check: privileged\ncases: []\n' });
  for (const [command, value, format] of [['check', 'json', 'json'], ['check', 'sarif', 'sarif'], ['check', 'yaml', 'json'], ['test', 'junit', 'junit']] as const) {
    const r = await cli([command, '-o', value, command === 'check' ? 'app.yaml' : 'cases.yaml'], { cwd: dir });
    t.equal(r.code, 2, `${command} -o ${value}`);
    t.equal(r.stderr, `podsec ${command}: --output (-o) names the file the report is written to, and "${value}" is a format, not a file\nhint: give the format with --format (-f ${format}); kubectl's -o is podsec's -f. To write a file named ${value}, give -o ./${value}\n`);
    t.notOk(existsSync(join(dir, value)), 'no file written');
  }
  const named = await cli(['check', '-o', './json', 'app.yaml'], { cwd: dir });
  t.equal(named.code, 0, './json names a file');
  t.ok(existsSync(join(dir, 'json')));
});

t.test('a file reached twice is checked once, where it is first reached', async (t) => {
  const dir = t.testdir({ d: { 'a.yaml': pod('a'), 'b.yaml': pod('b') }, 'c.yaml': pod('c'), alias: t.fixture('symlink', 'c.yaml') });
  let r = await cli(['check', '-f', 'json', 'd', 'd', 'd/a.yaml', './d/b.yaml'], { cwd: dir });
  t.equal(r.code, 0);
  let report = JSON.parse(r.stdout) as JsonReport;
  t.same(report.files, ['d/a.yaml', 'd/b.yaml']);
  t.same(report.resources.map((x) => x.name), ['a', 'b']);
  r = await cli(['check', '-f', 'json', 'd/b.yaml', 'c.yaml', 'd', 'alias', join(dir, 'c.yaml')], { cwd: dir });
  report = JSON.parse(r.stdout) as JsonReport;
  t.same(report.files, ['d/b.yaml', 'c.yaml', 'd/a.yaml'], 'order of first occurrence');
  t.same(report.resources.map((x) => x.name), ['b', 'c', 'a']);
  // A missing path named twice is one error.
  r = await cli(['check', '-f', 'json', 'nope.yaml', 'c.yaml', 'nope.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal((JSON.parse(r.stdout) as JsonReport).errors.length, 1);
  // Standard input can be read only once.
  const twice = await cli(['check', '-', 'c.yaml', '-'], { cwd: dir, stdin: pod('s') });
  t.equal(twice.code, 2);
  t.equal(twice.stderr, 'podsec check: standard input (-) can be given only once\nhint: it is read once, to its end; join the streams before the pipe\n');
});

t.test('a flag without its value is named as --help names it', async (t) => {
  const cases: [string[], string][] = [
    [['check', '--level'], '--level (-l) needs a value'],
    [['check', '-l'], '--level (-l) needs a value'],
    [['check', 'x', '-f'], '--format (-f) needs a value'],
    [['check', 'x', '--output'], '--output (-o) needs a value'],
    [['check', 'x', '--config'], '--config needs a value'],
    [['check', '--max-file-size', '--', 'x'], '--max-file-size needs a value'],
    [['check', '-l', '-q', 'x'], '--level (-l) needs a value, and "-q" after it is taken for a flag'],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.stderr.split('\n')[0], `podsec check: ${message}`, args.join(' '));
    t.match(r.stderr, /\nhint: /, args.join(' '));
  }
  t.equal((await cli(['check', '-l', '-q', 'x'])).stderr.split('\n')[1], 'hint: give the value, or write --level=-q if it starts with "-"');
});

t.test('--level written as a policy (baseline:v1.29) gets the flags it means as a hint, a misspelt one the level meant', async (t) => {
  const cases: [string, string][] = [
    ['baseline:v1.29', 'hint: use --level baseline --version v1.29\n'],
    ['restricted:latest', 'hint: use --level restricted --version latest\n'],
    ['baseline:1.29', 'hint: use --level baseline --version v1.N (or latest)\n'],
    // Else the level meant, or the levels there are.
    ['resticted', 'hint: did you mean --level restricted?\n'],
    ['Baseline', 'hint: did you mean --level baseline? (levels are lower case)\n'],
    ['foo:v1.29', 'hint: use --level privileged, baseline or restricted\n'],
    ['', 'hint: use --level privileged, baseline or restricted\n'],
  ];
  for (const [level, hint] of cases) {
    const r = await cli(['check', '--level', level, 'examples/']);
    t.equal(r.code, 2, level);
    t.equal(r.stderr, `podsec check: invalid --level ${JSON.stringify(level)}: must be one of privileged, baseline, restricted\n${hint}`, level);
  }
});

t.test('--max-file-size with a negative number says what it takes', async (t) => {
  for (const args of [['--max-file-size', '-1'], ['--max-file-size=-1'], ['--max-file-size', '-0.5']]) {
    const r = await cli(['check', ...args, 'examples/shop-frontend.yaml']);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.stderr, `podsec check: --max-file-size must be a positive number of megabytes, not ${JSON.stringify(args.at(-1)!.replace('--max-file-size=', ''))}\nhint: write a number such as 128 (megabytes; 128MB is the same)\n`, args.join(' '));
  }
  // After --, a word that looks like a negative number is a path.
  const r = await cli(['check', '-f', 'json', '--', '-1']);
  t.equal(r.code, 2);
  t.match((JSON.parse(r.stdout) as JsonReport).errors[0]!.message, /cannot read -1: no such file or directory/);
});

t.test('podsec help --help prints the general help', async (t) => {
  const top = await cli(['--help']);
  for (const args of [['help', '--help'], ['help', '-h'], ['help', 'help']]) {
    const r = await cli(args);
    t.equal(r.code, 0, args.join(' '));
    t.equal(r.stdout, top.stdout, args.join(' '));
    t.equal(r.stderr, '', args.join(' '));
  }
});

t.test('a --config file that cannot be read: the path and the reason in words', async (t) => {
  const dir = t.testdir({ 'app.yaml': pod('a'), confdir: {} });
  const missing = await cli(['check', '--config', 'missing.yaml', 'app.yaml'], { cwd: dir });
  t.equal(missing.code, 2);
  t.equal(missing.stderr, 'podsec check: cannot read the --config file missing.yaml: no such file or directory\nhint: check the path given to --config\n');
  const isDir = await cli(['check', '--config', 'confdir', 'app.yaml'], { cwd: dir });
  t.equal(isDir.code, 2);
  t.equal(isDir.stderr.split('\n')[0], 'podsec check: cannot read the --config file confdir: is a directory');
});
