// Inputs given in odd ways: pipes and devices named as paths, reports asked for in odd places.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../cli/report/model.js';
import { cli } from './helpers/cli.js';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: x
    securityContext:
      privileged: true
`;

t.test('a FIFO named as an input is read up to --max-file-size, and no further', async (t) => {
  const dir = t.testdir({});
  const small = join(dir, 'small');
  const big = join(dir, 'big');
  execFileSync('mkfifo', [small, big]);
  // Writers in other processes: a FIFO opens only once both ends are open.
  const writer = (fifo: string, bytes: string) => spawn('sh', ['-c', `(${bytes}) > '${fifo}'`], { stdio: 'ignore' });
  writer(small, `printf '%s' '${PRIVILEGED_POD}'`);
  const ok = await cli(['check', '-f', 'json', '-l', 'baseline', small]);
  t.equal(ok.code, 1, 'the privileged pod read through the FIFO is denied');
  t.equal((JSON.parse(ok.stdout) as Report).summary.denied, 1);
  // A pipe has no size beforehand: without a limit while reading, a stream that does not end
  // (`podsec check /dev/zero`, `yes | podsec check /dev/stdin`) was read until memory ran out.
  writer(big, 'head -c 3000000 /dev/zero | tr "\\\\0" "#"');
  const r = await cli(['check', '-f', 'json', '--max-file-size', '1', big]);
  t.equal(r.code, 2);
  const { errors } = JSON.parse(r.stdout) as Report;
  t.match(errors, [{ file: big, message: 'it holds more than the limit of 1 MB', hint: /--max-file-size/ }]);
  t.equal(errors.length, 1);
});

t.test('--output ending with "/" names a directory: refused, and no file is made in its place', async (t) => {
  const dir = t.testdir({ 'app.yaml': PRIVILEGED_POD, reports: {} });
  // resolve() drops the "/": the report was written to a file named "out".
  const r = await cli(['check', '-f', 'sarif', '-o', 'out/', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(r.stderr, 'podsec check: --output out/ names a directory, not a file\nhint: give the report\'s file, for example --output out/report.sarif\n');
  t.notOk(existsSync(join(dir, 'out')), 'no file "out"');
  t.equal((await cli(['check', '-o', 'reports/', 'app.yaml'], { cwd: dir })).code, 2);
});

t.test('a short flag written -X=value takes the value after "=", as kubectl\'s flags do', async (t) => {
  const dir = t.testdir({ 'app.yaml': PRIVILEGED_POD });
  // parseArgs took "=r.json" for the value: the report went to a file named "=r.json".
  const r = await cli(['check', '-f=json', '-o=r.json', '-n=prod', '-l=baseline', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 1, r.stderr);
  t.notOk(existsSync(join(dir, '=r.json')));
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  t.match(report.resources, [{ namespace: 'prod', policy: { level: 'baseline' } }]);
  t.equal(report.resources.length, 1);
  const rules = await cli(['rules', '-l=baseline', '-f=json']);
  t.equal(rules.code, 0, rules.stderr);
  t.equal(JSON.parse(rules.stdout).level, 'baseline');
  // A file of that name after "--" is a file.
  t.match((await cli(['check', '--', '-o=x'], { cwd: dir })).stdout, /cannot read -o=x: no such file/);
});

t.test('a flag that takes no value, given one: said so in words', async (t) => {
  const q = await cli(['check', '-q=1', 'x.yaml']);
  t.equal(q.code, 2);
  // It was "unknown flag -=" (parseArgs reads -q=1 as -q -= -1).
  t.equal(q.stderr, 'podsec check: -q (--quiet) takes no value\nhint: write -q alone\n');
  const quiet = await cli(['check', '--quiet=yes', 'x.yaml']);
  t.equal(quiet.stderr, 'podsec check: --quiet (-q) takes no value\nhint: write --quiet alone\n');
});

t.test('an input error names its document in every format, as the text report does', async (t) => {
  const stream = `${PRIVILEGED_POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n`;
  const text = await cli(['check', '--stdin-name', 'all.yaml', '-'], { stdin: stream });
  t.match(text.stdout, /all\.yaml:15:9 \(document 2\): "\[" is not closed/);
  const json = JSON.parse((await cli(['check', '-f', 'json', '--stdin-name', 'all.yaml', '-'], { stdin: stream })).stdout) as Report;
  t.match(json.errors, [{ file: 'all.yaml', index: 1, line: 15, column: 9 }]);
  t.equal(json.errors.length, 1);
  // SARIF and annotations gave the line alone.
  const github = (await cli(['check', '-f', 'github', '--stdin-name', 'all.yaml', '-'], { stdin: stream })).stdout;
  t.match(github, /^::error file=all\.yaml,line=15,col=9,title=podsec%3A input not evaluated::document 2: "\[" is not closed/m);
  const sarif = JSON.parse((await cli(['check', '-f', 'sarif', '--stdin-name', 'all.yaml', '-'], { stdin: stream })).stdout);
  t.match(sarif.runs[0].invocations[0].toolExecutionNotifications, [{
    level: 'error',
    message: { text: /^Document 2: "\[" is not closed/ },
    properties: { documentIndex: 1 },
    locations: [{ physicalLocation: { artifactLocation: { uri: 'all.yaml' }, region: { startLine: 15, startColumn: 9 } } }],
  }]);
  t.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 1);
  t.equal(sarif.runs[0].invocations[0].toolExecutionNotifications[0].locations.length, 1, 'the notification has one location');
});

t.test('an input error in helm template output names the chart template that rendered it', async (t) => {
  const stream = `---
# Source: shop/templates/pod.yaml
${PRIVILEGED_POD}---
# Source: shop/templates/broken.yaml
apiVersion: v1
kind: Pod
metadata:
  name: [broken
---
# Source: shop/templates/typed.yaml
apiVersion: v1
kind: Pod
metadata:
  name: typed
  labels: 5
spec:
  containers: [{name: c, image: x}]
`;
  const text = await cli(['check', '-l', 'baseline', '-'], { stdin: stream });
  t.match(text.stdout, /FAIL {2}Pod default\/p \(line 3, from shop\/templates\/pod\.yaml\)/);
  // Objects named their template; errors, where the fix goes just as well, did not.
  t.match(text.stdout, /error <stdin>:18:9 \(document 2, from shop\/templates\/broken\.yaml\): "\[" is not closed/);
  t.match(text.stdout, /error <stdin>:25:3 \(document 3, from shop\/templates\/typed\.yaml\): Pod default\/typed: metadata\.labels must be a mapping/);
  const json = JSON.parse((await cli(['check', '-f', 'json', '-'], { stdin: stream })).stdout) as Report;
  t.match(json.errors, [{ index: 1, renderedFrom: 'shop/templates/broken.yaml' }, { index: 2, renderedFrom: 'shop/templates/typed.yaml' }]);
  t.equal(json.errors.length, 2);
  const github = (await cli(['check', '-f', 'github', '--stdin-name', 'all.yaml', '-'], { stdin: stream })).stdout;
  t.match(github, /::document 2 \(rendered from shop\/templates\/broken\.yaml\): "\[" is not closed/);
  const sarif = JSON.parse((await cli(['check', '-f', 'sarif', '--stdin-name', 'all.yaml', '-'], { stdin: stream })).stdout);
  t.match(sarif.runs[0].invocations[0].toolExecutionNotifications, [{ properties: { documentIndex: 1, renderedFrom: 'shop/templates/broken.yaml' } }, { properties: { renderedFrom: 'shop/templates/typed.yaml' } }]);
  t.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 2);
  // A comment inside the object is not its source.
  const inside = await cli(['check', '-f', 'json', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n# Source: x.yaml\n  name: [broken\n' });
  t.notOk((JSON.parse(inside.stdout) as Report).errors[0]!.renderedFrom);
});

t.test('a pipe with a manifest name inside a directory searched is not read, and said so', async (t) => {
  const dir = t.testdir({ 'pod.yaml': PRIVILEGED_POD, skipped: {} });
  execFileSync('mkfifo', [join(dir, 'pipe.yaml'), join(dir, 'skipped', 'other.yaml'), join(dir, 'notes.txt')]);
  const r = await cli(['check', '-q', '-l', 'baseline', '--exclude', 'skipped', dir]);
  t.equal(r.code, 1, 'the file beside it is still checked');
  t.equal(r.stderr, `warning: not reading ${join(dir, 'pipe.yaml')}: it is a named pipe, not a file, and reading it might never end (name it as an input to read it)\n`,
    'one warning: not for a pipe --exclude leaves out, nor for one without a manifest\'s extension');
  const json = await cli(['check', '-f', 'json', '-l', 'baseline', '--exclude', 'skipped', dir]);
  t.match((JSON.parse(json.stdout) as Report).warnings, [{ file: join(dir, 'pipe.yaml'), hint: 'name it as an input to read it' }], 'in the report too: a JSON or SARIF reader sees no stderr');
});

t.test('bytes that are not UTF-8 are read as U+FFFD, as kubectl reads them, with a warning at the first', async (t) => {
  const configMap = (name: Buffer) => Buffer.concat([Buffer.from('apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  labels: {a: "\uFFFD"}\r\n  name: x'), name, Buffer.from('\r\n---\r\n')]);
  const dir = t.testdir({
    // In a pod, where free text may stand (its name may not hold a U+FFFD).
    'latin1.yaml': Buffer.concat([configMap(Buffer.from([0x63, 0x61, 0x66, 0xe9])), Buffer.from(PRIVILEGED_POD.replace('name: p', 'name: p\n  annotations: {note: caf\xe9}'), 'latin1')]),
    'utf8.yaml': configMap(Buffer.from('café')),
  });
  const r = await cli(['check', '-f', 'json', '-l', 'baseline', join(dir, 'latin1.yaml'), join(dir, 'utf8.yaml')]);
  const report = JSON.parse(r.stdout) as Report;
  t.equal(r.code, 1, 'still judged: the pod is denied');
  t.match(report.resources, [{ kind: 'Pod', name: 'p' }]);
  t.equal(report.resources.length, 1);
  t.same(report.warnings, [{
    file: join(dir, 'latin1.yaml'), line: 5, column: 13,
    message: 'not UTF-8: 2 byte sequences, the first here, are read as U+FFFD (\uFFFD), as kubectl reads them',
    hint: 'the file is probably in another encoding, such as Latin-1: save it as UTF-8',
  }], 'none for a U+FFFD written as UTF-8');
  // Counted as the decoder replaces them: a sequence cut short is one, a stray continuation byte one more.
  for (const [bytes, count] of [[[0xe2, 0x82], 1], [[0xf0, 0x80], 2], [[0xed, 0xa0, 0x80], 3], [[0xc0, 0xaf], 2], [[0xf4, 0x90, 0x80, 0x80], 4]] as const) {
    const input = Buffer.concat([Buffer.from('a: '), Buffer.from(bytes), Buffer.from('\n')]);
    t.equal([...new TextDecoder().decode(input)].filter((c) => c === '\uFFFD').length, count, `${Buffer.from(bytes).toString('hex')}: the decoder's count`);
    const w = await cli(['check', '-f', 'json', '-'], { stdin: input });
    const { warnings } = JSON.parse(w.stdout) as Report;
    t.match(warnings, [{ line: 1, column: 4, message: count === 1 ? /a byte sequence here is/ : new RegExp(`: ${count} byte sequences`) }], Buffer.from(bytes).toString('hex'));
    t.equal(warnings.length, 1, 'one warning, at the first');
  }
});

t.test('standard input named twice (- and /dev/stdin, or - and the file it is redirected from) is a usage error', async (t) => {
  const { spawnSync: run } = await import('node:child_process');
  const { openSync, closeSync, writeFileSync } = await import('node:fs');
  const bin = join(import.meta.dirname, '..', 'bin', 'podsec.js');
  const dir = t.testdir({});
  const file = join(dir, 'pod.yaml');
  writeFileSync(file, PRIVILEGED_POD);
  const piped = run(process.execPath, [bin, 'check', '-q', '-', '/dev/stdin'], { input: PRIVILEGED_POD, encoding: 'utf8' });
  t.equal(piped.status, 2);
  t.equal(piped.stderr, 'podsec check: /dev/stdin is standard input, which - reads already\nhint: give standard input once: either - or the path\n');
  const fd = openSync(file, 'r');
  try {
    const redirected = run(process.execPath, [bin, 'check', '-q', '-', file], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
    t.equal(redirected.status, 2, 'the file standard input is redirected from');
    t.match(redirected.stderr, /is standard input, which - reads already/);
    const overwritten = run(process.execPath, [bin, 'check', '-q', '-o', file, '-'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
    t.equal(overwritten.status, 2, '--output naming the file standard input is redirected from');
    t.equal(overwritten.stderr, `podsec check: --output ${file} is the file standard input is read from: the report would replace it\nhint: write the report to another file\n`);
    t.equal(readFileSync(file, 'utf8'), PRIVILEGED_POD, 'left as it was');
  } finally {
    closeSync(fd);
  }
  const other = run(process.execPath, [bin, 'check', '-q', '-', file], { input: PRIVILEGED_POD, encoding: 'utf8' });
  t.equal(other.status, 1, 'a pipe and a file: both read, the pods denied');
  // One pipe by two names, without -: read once (the second name would find it drained, empty).
  // Through the shell: node's own pipes to a child are sockets, which /dev/stdin does not open.
  const twoNames = run('sh', ['-c', 'cat "$2" | "$0" "$1" check --format json /dev/stdin /dev/fd/0', process.execPath, bin, file], { encoding: 'utf8' });
  t.equal(twoNames.status, 1);
  const report = JSON.parse(twoNames.stdout) as { files: string[]; resources: unknown[] };
  t.same(report.files, ['/dev/stdin'], 'one input, read where it is first named');
  t.equal(report.resources.length, 1);
});

t.test('a symbolic link whose target is missing, or that leads back to itself, is said to be one', async (t) => {
  const dir = t.testdir({
    'ok.yaml': PRIVILEGED_POD,
    'gone.yaml': t.fixture('symlink', 'charts/rendered.yaml'),
    'a.yaml': t.fixture('symlink', 'b.yaml'),
    'b.yaml': t.fixture('symlink', 'a.yaml'),
  });
  const r = await cli(['check', '-f', 'json', '-l', 'baseline', dir, join(dir, 'gone.yaml')]);
  t.equal(r.code, 2);
  const { errors, resources } = JSON.parse(r.stdout) as Report;
  t.same(resources.map((x) => x.name), ['p'], 'the neighbour is checked');
  t.match(errors, [
    { file: join(dir, 'a.yaml'), message: `cannot read ${join(dir, 'a.yaml')}: it is a symbolic link that leads back to itself (too many symbolic links encountered)`, hint: 'fix the link or remove it' },
    { file: join(dir, 'b.yaml'), message: /leads back to itself/ },
    { file: join(dir, 'gone.yaml'), message: `cannot read ${join(dir, 'gone.yaml')}: it is a symbolic link to charts/rendered.yaml, which does not exist`, hint: 'fix the link or remove it' },
  ]);
  t.equal(errors.length, 3, 'the link named and found in the directory is one input');
});

t.test('- with a terminal as standard input says that podsec is reading it, and how to end it', async (t) => {
  const notice = 'podsec check: reading manifests from the terminal (standard input): end them with Ctrl-D, or pipe them in (helm template chart | podsec check -)\n';
  const typed = await cli(['check', '-f', 'json', '-l', 'baseline', '-'], { stdin: PRIVILEGED_POD, stdinIsTTY: true });
  t.equal(typed.code, 1, 'what was typed is checked');
  t.equal(typed.stderr, notice);
  const piped = await cli(['check', '-f', 'json', '-l', 'baseline', '-'], { stdin: PRIVILEGED_POD });
  t.equal(piped.stderr, '', 'nothing is said of a pipe');
});

t.test('an empty path is refused, not read as the current directory', async (t) => {
  // `podsec check "$MANIFESTS"` with the variable unset.
  const dir = t.testdir({ 'p.yaml': PRIVILEGED_POD });
  const r = await cli(['check', ''], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(r.stdout, '');
  t.equal(r.stderr, 'podsec check: an input is an empty path\nhint: pass files or directories, or - to read standard input; if a variable gives the path, check that it is set\n');
});

t.test('standard input that is a directory, or a file a directory given holds, is refused', async (t) => {
  const dir = t.testdir({ d: { 'b.yaml': PRIVILEGED_POD } });
  const asDir = await cli(['check', '-'], { cwd: dir, stdinIdentity: () => statSync(dir) });
  t.equal(asDir.code, 2);
  t.equal(asDir.stderr, 'podsec check: standard input is a directory\nhint: give the directory as a path (podsec check DIR), or pipe manifests in\n');
  // `podsec check - d < d/b.yaml` would read the file twice, as `- d/b.yaml < d/b.yaml` would.
  const twice = await cli(['check', '-', 'd'], { cwd: dir, stdin: PRIVILEGED_POD, stdinIdentity: () => statSync(join(dir, 'd', 'b.yaml')) });
  t.equal(twice.code, 2);
  t.equal(twice.stderr, 'podsec check: d/b.yaml, which d holds, is standard input, which - reads already\nhint: give standard input once: either - or the directory\n');
  const other = await cli(['check', '-f', 'json', '-', 'd'], { cwd: dir, stdin: PRIVILEGED_POD, stdinIdentity: () => ({ dev: 0, ino: 1 }) });
  t.same((JSON.parse(other.stdout) as Report).files, ['<stdin>', 'd/b.yaml'], 'a stream that is no file of the directory is read beside it');
});

t.test('the paths of a search from the root keep their first character', async (t) => {
  const { collectInputs } = await import('../cli/commands/check.js');
  const entry = (name: string, dir: boolean) => ({
    name, isDirectory: () => dir, isFile: () => !dir, isSymbolicLink: () => false, isFIFO: () => false, isSocket: () => false, isCharacterDevice: () => false, isBlockDevice: () => false,
  });
  // A made-up tree under /, whose files are not there to read: the names in the errors are the point.
  const readdir = ((d: string) => (d === '/' ? [entry('podsec-no-such-dir', true)] : d === '/podsec-no-such-dir' ? [entry('bad.yaml', false)] : [])) as unknown as import('../cli/list-files.js').ReadDir;
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: '/' } as unknown as import('../cli/io.js').CliIO;
  for (const path of ['/', '.']) {
    const inputs = await collectInputs([path], io, { stdinName: '-', maxBytes: 1 << 20, readdir });
    t.same(inputs.map((i) => i.file), [path === '/' ? '/podsec-no-such-dir/bad.yaml' : 'podsec-no-such-dir/bad.yaml'], `podsec check ${path} from /`);
  }
});

t.test('an absolute --exclude written through a link matches what the search reaches', async (t) => {
  const dir = t.testdir({ real: { 'ok.yaml': PRIVILEGED_POD.replace('privileged: true', 'privileged: false'), tmp: { 't.yaml': PRIVILEGED_POD } } });
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  // The shell's $PWD keeps the link; the process's working directory is where it leads.
  for (const [cwd, input, pattern] of [[join(dir, 'real'), '.', join(dir, 'link', 'tmp')], [dir, 'link', join(dir, 'real', 'tmp')]]) {
    const r = await cli(['check', '-f', 'json', input!, '--exclude', pattern!], { cwd: cwd! });
    t.equal(r.stderr, '', `${input} --exclude ${pattern}: no "matches nothing"`);
    t.same((JSON.parse(r.stdout) as Report).files, [input === '.' ? 'ok.yaml' : 'link/ok.yaml'], 'tmp is left out');
  }
});

t.test('the --exclude a note offers for a name with a control character leaves that file out when pasted', async (t) => {
  const { anchoredPattern } = await import('../cli/check/run.js');
  const { compileExclude } = await import('../cli/exclude.js');
  const file = 'r/sub/nl\nx.json';
  const pattern = anchoredPattern(file);
  t.equal(pattern, 'r/sub/nl?x.json', 'the character the report escapes is a wildcard in the pattern');
  const x = compileExclude(pattern);
  t.ok(x.matches({ shown: file, relative: 'sub/nl\nx.json', absolute: `/w/${file}`, name: 'nl\nx.json', isDir: false }));
});

t.test('keys given twice are listed up to a bound per file, the rest counted in one warning', async (t) => {
  const { MAX_DUPLICATE_WARNINGS } = await import('../cli/check/run.js');
  const repeated = Array.from({ length: MAX_DUPLICATE_WARNINGS + 50 }, (_, i) => `    k${i % 2}: "${i}"`).join('\n');
  const pod = PRIVILEGED_POD.replace('metadata:\n', `metadata:\n  annotations:\n${repeated}\n`);
  const r = await cli(['check', '-f', 'json', '-'], { stdin: pod });
  const report = JSON.parse(r.stdout) as Report;
  t.equal(report.warnings.length, MAX_DUPLICATE_WARNINGS + 1);
  t.match(report.warnings.filter((w) => !w.message.startsWith('key ')), [{ file: '<stdin>', message: `48 more keys are given twice in one mapping in this file (the first ${MAX_DUPLICATE_WARNINGS} are listed); the last value of each is used` }]);
  t.equal(report.resources.length, 1, 'the object is still judged');
});
