/**
 * The installed command end to end: `node bin/podsec.js` and `kubectl podsec` as child
 * processes, against the compiled dist/ (rebuilt here when the sources are newer).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { XMLValidator } from 'fast-xml-parser';
import t from 'tap';
import { parse } from 'yaml';
import { ensureBuilt, kubectlMissing, requireShared } from './helpers/shared.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'podsec.js');

ensureBuilt();

// Report paths are relative to GitHub's workspace when one is set: these tests say where they are from.
const { GITHUB_WORKSPACE: _workspace, ...inherited } = process.env;

function podsec(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
}

const reportSchema = JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8'));
const validateReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(reportSchema);

const PASSING = `apiVersion: v1
kind: Pod
metadata: {name: ok}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: nginx
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const FAILING = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostPID: true
      containers: [{name: c, image: nginx}]
`;
const MALFORMED = 'apiVersion: v1\nkind: Pod\nmetadata: {name: [}\n';

t.test('exit code 0, 1 and 2 in each format, from standard input', async (t) => {
  for (const format of ['text', 'json', 'sarif', 'github', 'junit']) {
    const cases: [string, number][] = [[PASSING, 0], [FAILING, 1], [MALFORMED, 2]];
    for (const [input, expected] of cases) {
      const r = podsec(['check', '--format', format, '-'], { input });
      t.equal(r.status, expected, `${format}, exit ${expected}: ${r.stderr}`);
      if (format === 'json') t.ok(validateReport(JSON.parse(r.stdout)), 'report matches its schema');
      if (format === 'sarif') t.equal(JSON.parse(r.stdout).version, '2.1.0');
      if (format === 'text') t.match(r.stdout, /resources? checked/);
      if (format === 'github') {
        const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error file=<stdin>,')).length;
        t.ok(expected === 0 ? annotations === 0 : annotations >= 1, `${annotations} annotations for exit ${expected}`);
      }
      if (format === 'junit') {
        t.equal(XMLValidator.validate(r.stdout), true, 'well-formed XML');
        const counts = /<testsuites name="podsec check" tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(r.stdout)?.slice(1).map(Number);
        t.same(counts, [[1, 0, 0], [1, 1, 0], [1, 0, 1]][expected], `test cases for exit ${expected}`);
      }
    }
  }
  const usage = podsec(['check', '--format', 'yaml', '-']);
  t.equal(usage.status, 2);
  t.match(usage.stderr, /unknown format "yaml"\nhint: /);
});

t.test('node bin/podsec.js check examples/', async (t) => {
  const r = podsec(['check', 'examples/']);
  t.equal(r.status, 1, 'the examples include failing manifests');
  t.match(r.stdout, /FAIL  Pod shop\/debug \(line \d+\) \[enforce baseline:v1\.35\]/);
  t.match(r.stdout, /FAIL  CronJob shop\/nightly-report/);
  t.match(r.stdout, /FAIL  DaemonSet monitoring\/node-agent/);
  t.match(r.stdout, /ok    Deployment shop\/frontend/);
  t.match(r.stdout, /ok    StatefulSet platform\/cache/);
  t.match(r.stdout, /5 resources checked, 2 passed, 3 failed \(\d+ violations\), 3 not evaluated, 0 errors\n$/);
  t.equal(r.stderr, '');
  // The README quotes the summary line this command ends with.
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  t.ok(readme.startsWith('# podsec\n\n```sh\nnpm ci && node bin/podsec.js check examples/ '), 'the README starts with this command');
  t.equal(/summary line:\n`([^`]*)`/.exec(readme)?.[1], r.stdout.trimEnd().split('\n').at(-1), "the README's summary line is the one printed");
});

t.test('before a build: one line saying what to run, and exit code 2 (not 1, "denied")', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-unbuilt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  for (const name of readdirSync(join(root, 'bin'))) copyFileSync(join(root, 'bin', name), join(dir, 'bin', name));
  for (const name of ['podsec.js', 'kubectl-podsec']) {
    const r = spawnSync(process.execPath, [join(dir, 'bin', name), 'check', 'examples/'], { cwd: root, encoding: 'utf8' });
    t.equal(r.status, 2, name);
    const prefix = name === 'podsec.js' ? 'podsec' : 'kubectl-podsec';
    t.match(r.stderr, new RegExp(`^${prefix}: cannot start: Cannot find module '[^']*dist/cli/main\\.js'; run "npm ci" \\(which also builds\\) or "npm run build" in \\S+\n$`), name);
  }
});

// Without kubectl (a user's machine may lack it) the test is skipped, saying why; CI has it.
const noKubectl = kubectlMissing();
t.test('kubectl plugin: kubectl podsec check …', { skip: noKubectl ? `${noKubectl}: this test runs the plugin through it` : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-plugin-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(join(root, 'bin', 'kubectl-podsec'), join(dir, 'kubectl-podsec'));
  // Without the test runner's loaders, as a user's shell would run it.
  const { NODE_OPTIONS: _drop, ...clean } = process.env;
  const env = { ...clean, PATH: `${dir}${delimiter}${process.env.PATH}`, NO_COLOR: '1' };
  const list = spawnSync('kubectl', ['plugin', 'list'], { encoding: 'utf8', env });
  t.match(list.stdout, /kubectl-podsec/);
  const r = spawnSync('kubectl', ['podsec', 'check', '--level', 'baseline', 'examples/'], { cwd: root, encoding: 'utf8', env });
  t.equal(r.status, 1, r.stderr);
  t.match(r.stdout, /FAIL  DaemonSet monitoring\/node-agent/);
  const help = spawnSync('kubectl', ['podsec', '--help'], { encoding: 'utf8', env });
  t.equal(help.status, 0);
  t.match(help.stdout, /^Usage: kubectl podsec <command>/, 'help names the command as typed');
  t.match(help.stdout, /show help for a command: kubectl podsec help check/);
  t.notMatch(help.stdout, /with kubectl-podsec on PATH/, 'no example of the plugin that repeats the first one');
  const unknown = spawnSync('kubectl', ['podsec', 'chek'], { encoding: 'utf8', env });
  t.match(unknown.stderr, /^kubectl podsec: unknown command "chek"\nhint: did you mean "kubectl podsec check"\?/);
  const checkHelp = spawnSync('kubectl', ['podsec', 'check', '-h'], { encoding: 'utf8', env });
  t.match(checkHelp.stdout, /^Usage: kubectl podsec check /);
  t.match(checkHelp.stdout, /\n  helm template my-chart \| kubectl podsec check -\n/);
  const wrong = spawnSync('kubectl', ['podsec', 'check', '--colour', 'x'], { encoding: 'utf8', env });
  t.equal(wrong.status, 2);
  t.match(wrong.stderr, /run "kubectl podsec check --help"/);
  const piped = spawnSync('kubectl', ['podsec', 'check', '-'], { input: FAILING, encoding: 'utf8', env });
  t.equal(piped.status, 1);
});

t.test('kubectl plugin: machine-readable reports are written as they are, the text report names kubectl podsec', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-plugin-report-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // A manifest whose text says "podsec check" and "podsec: ", as a CI job's might.
  const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ci\n  labels:\n    podsec: "on"\nspec:\n  containers:\n  - name: c\n    image: x\n    command:\n    - podsec check deploy/\n    securityContext:\n      privileged: true\n';
  writeFileSync(join(dir, 'ci.yaml'), manifest);
  const plugin = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'kubectl-podsec'), ...args], { cwd: dir, encoding: 'utf8', env: { ...inherited, NO_COLOR: '1' } });
  for (const format of ['json', 'sarif', 'github']) {
    const out = plugin(['check', '-f', format, 'ci.yaml']);
    t.equal(out.status, 1, out.stderr);
    t.equal(plugin(['check', '-f', format, '-o', `report.${format}`, 'ci.yaml']).status, 1);
    t.equal(out.stdout, readFileSync(join(dir, `report.${format}`), 'utf8'), `${format}: standard output holds what --output writes`);
    // SARIF's own help texts name the command as typed; the manifest's words are not renamed.
    let theirs = out.stdout;
    if (format === 'sarif') {
      const log = JSON.parse(out.stdout);
      delete log.runs[0].tool;
      theirs = JSON.stringify(log);
    }
    t.notMatch(theirs, /kubectl podsec/, `${format}: nothing renamed`);
  }
  const sarif = JSON.parse(plugin(['check', '-f', 'sarif', 'ci.yaml']).stdout);
  t.match(JSON.stringify(sarif.runs[0].tool.driver.notifications), /Run kubectl podsec check with --format json/, 'SARIF help names the command as typed');
  t.match(JSON.stringify(sarif.runs[0].results.map((r: { locations: { physicalLocation: { contextRegion: { snippet: { text: string } } } }[] }) => r.locations[0]!.physicalLocation.contextRegion.snippet.text)), /- podsec check deploy\//, 'the manifest is quoted as written');
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
  const text = plugin(['check', 'Chart.yaml']);
  t.match(text.stdout, /helm template CHART \| kubectl podsec check -\), and do not pass Chart\.yaml to kubectl podsec check\n/, 'the text report\'s hints name the command as typed');
  // The manifests' own words, which the text report quotes, are not renamed.
  writeFileSync(join(dir, 'label.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: l\n  labels:\n    tool: "podsec check"\nspec:\n  containers:\n  - {name: c, image: x}\n');
  const quoted = plugin(['check', 'label.yaml']);
  t.equal(quoted.status, 2, quoted.stderr);
  t.match(quoted.stdout, /metadata\.labels: Invalid value: "podsec check": /);
  t.notMatch(quoted.stdout, /kubectl podsec/, 'the label value is quoted as written');
  // podsec test's results quote the case files: their words are not renamed; its help is.
  writeFileSync(join(dir, 'cases.yaml'), 'check: privileged\ncases:\n  - name: as podsec check reports it\n    versions: [latest]\n    pod: { spec: { containers: [{ name: a, securityContext: { privileged: true } }] } }\n    expect: { reason: privileged, detail: "see podsec explain privileged" }\n');
  const tested = plugin(['test', 'cases.yaml']);
  t.equal(tested.status, 1, tested.stderr);
  t.match(tested.stdout, /  FAIL  cases\.yaml:3:5  as podsec check reports it \[baseline:latest\]\n        expected: privileged \(see podsec explain privileged\)\n/);
  t.notMatch(tested.stdout, /kubectl podsec/);
  t.match(plugin(['test', '--help']).stdout, /^Usage: kubectl podsec test \[flags\] PATH\.\.\.\n/);
  t.match(plugin(['test']).stderr, /^kubectl podsec test: names no case files\n/);
});

// A fresh clone has none: the test is skipped, saying why; under CI its absence fails the file.
const realworld = requireShared('realworld');
t.test('real-world corpus: everything read, bad documents reported, the rest evaluated', { skip: realworld.skip }, async (t) => {
  const corpus = realworld.dir!;
  const r = podsec(['check', '--format', 'json', corpus]);
  t.equal(r.status, 2, 'the corpus holds documents that are not valid YAML');
  // Its only warnings are keys given twice (five files) and workloads in group versions no
  // longer served (old examples), each located; its note names the two files that are no
  // manifests (a program's cassandra.yaml settings).
  const lines = r.stderr.split('\n').filter(Boolean);
  const notes = lines.filter((l) => l.startsWith('note: '));
  t.same(notes.map((n) => n.replace(/ --exclude \S+/g, ' --exclude X')), ['note: 2 files in the directories searched are no Kubernetes manifests (see the hint of each); to leave all of them out, add: --exclude X --exclude X']);
  const warnings = lines.filter((l) => !l.startsWith('note: '));
  const duplicates = warnings.filter((w) => / key "[^"]+" is given twice in one mapping; the last value is used/.test(w));
  const unserved = warnings.filter((w) => / stopped serving \w+ in (extensions|apps|batch)\/v\w+ .*; judged as (apps|batch)\/v1 \(write apiVersion: (apps|batch)\/v1\)$/.test(w));
  t.ok(duplicates.length >= 5, `${duplicates.length} keys given twice`);
  t.ok(unserved.length >= 1, `${unserved.length} group versions no longer served`);
  t.same(warnings.filter((w) => !duplicates.includes(w) && !unserved.includes(w)), [], 'no other warning');
  for (const w of warnings) t.match(w, /^warning: \S+:\d+:\d+: /, 'located');
  const report = JSON.parse(r.stdout);
  t.ok(validateReport(report), 'report matches its schema');
  const s = report.summary;
  t.ok(s.files > 300, `files read: ${s.files}`);
  t.ok(s.checked > 100, `resources judged: ${s.checked}`);
  t.ok(s.denied > 50 && s.allowed > 5, `denied ${s.denied}, allowed ${s.allowed}`);
  t.ok(s.notEvaluated > 300, `not evaluated: ${s.notEvaluated}`);
  t.ok(s.errors > 0 && s.errors < 30, `errors: ${s.errors}`);
  for (const e of report.errors) {
    t.ok(e.file && e.index !== undefined && e.line > 0 && e.message && e.hint, `error is located: ${e.file}:${e.line} ${e.message}`);
  }
  // Every object is accounted for: judged, not evaluated, or an error.
  t.equal(s.checked + s.exempt, report.resources.length);
  t.equal(s.notEvaluated, report.notEvaluated.length);
  // Known corpus quirks: templated files are errors, not silent passes; duplicate keys are warned about.
  t.ok(report.errors.some((e: any) => /template syntax/.test(e.hint)), 'unrendered templates are reported');
  for (const res of report.resources) {
    if (!res.allowed) for (const v of res.violations) for (const l of v.locations) t.ok(l.line > 0 && l.column > 0, 'violation located');
  }
  const text = podsec(['check', corpus]);
  t.equal(text.status, 2);
  t.match(text.stdout, new RegExp(`${s.checked} resources checked, ${s.allowed} passed, ${s.denied} failed`));
});

t.test('a reader that stops early (podsec check … | head) ends the run quietly', async (t) => {
  const input = Array.from({ length: 2000 }, (_, i) => FAILING.replace('name: web', `name: web-${i}`)).join('---\n');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" check - | head -c 100 > /dev/null`], { cwd: root, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  t.equal(r.status, 0, 'the pipeline succeeds');
  t.notMatch(r.stderr, /EPIPE|Error|at /, 'no crash report on stderr');
});

t.test('podsec check deploy/: the webhook\'s own manifests pass restricted, raw and through kustomize', async (t) => {
  const raw = podsec(['check', '--format', 'json', 'deploy/']);
  t.equal(raw.status, 0, raw.stderr);
  const report = JSON.parse(raw.stdout);
  t.equal(report.summary.errors ?? report.errors.length, 0);
  const deployment = report.resources.find((r: { kind: string }) => r.kind === 'Deployment');
  t.ok(deployment, 'the Deployment is judged');
  t.equal(deployment.allowed, true);
  t.equal(deployment.policy.level, 'restricted');
  const built = spawnSync('kubectl', ['kustomize', 'deploy/'], { cwd: root, encoding: 'utf8' });
  t.equal(built.status, 0, built.stderr);
  const viaKustomize = podsec(['check', '--level', 'restricted', '-'], { input: built.stdout });
  t.equal(viaKustomize.status, 0, viaKustomize.stdout + viaKustomize.stderr);
  t.match(viaKustomize.stdout, /Deployment podsec-system\/podsec-webhook .*passes restricted:latest/);
});

t.test("docs/cli.md's CI workflow: its podsec step writes the report its upload step reads, with paths into the repository", async (t) => {
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
  const workflow = parse(/## In a CI pipeline\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!) as { jobs: Record<string, { steps: { run?: string; uses?: string; if?: string; with?: Record<string, string> }[] }> };
  const steps = Object.values(workflow.jobs)[0]!.steps;
  const check = steps.find((s) => s.run?.startsWith('podsec check'))!;
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
  t.equal(upload.if, 'always()', 'the report is uploaded when the check fails too');
  // The repository: its deploy/ holds the examples, some of which fail.
  const repo = mkdtempSync(join(tmpdir(), 'podsec-workflow-'));
  t.teardown(() => rmSync(repo, { recursive: true, force: true }));
  mkdirSync(join(repo, 'deploy'));
  for (const f of ['debug-pod.yaml', 'shop-frontend.yaml', 'namespace-shop.yaml']) copyFileSync(join(root, 'examples', f), join(repo, 'deploy', f));
  const r = podsec(check.run!.split(/\s+/).slice(1), { cwd: repo, env: { GITHUB_WORKSPACE: repo } });
  t.equal(r.status, 1, r.stderr);
  const sarif = JSON.parse(readFileSync(join(repo, upload.with!.sarif_file!), 'utf8'));
  t.equal(sarif.version, '2.1.0');
  const uris = sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri);
  t.ok(uris.length > 0, 'the examples\' findings are in it');
  t.ok(uris.every((u: string) => /^deploy\/[a-z-]+\.yaml$/.test(u)), `paths into the repository: ${[...new Set(uris)].join(', ')}`);
});

t.test('the documented installs: no global install from a git address, which npm cannot build (npm/cli#8440)', async (t) => {
  for (const file of ['README.md', join('docs', 'cli.md')]) {
    const doc = readFileSync(join(root, file), 'utf8');
    const blocks = [...doc.matchAll(/```(?:sh|yaml)\n([\s\S]*?)```/g)].map((m) => m[1]!);
    for (const line of blocks.join('\n').split('\n')) {
      if (/npm (?:install|i) -g/.test(line)) t.notMatch(line, /npm (?:install|i) -g +git\+/, `${file}: ${line.trim()}`);
    }
  }
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
  const workflow = parse(/## In a CI pipeline\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const job = Object.values(parse(/In GitLab CI[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!) as Record<string, { script: string[] }>)[0]!;
  for (const install of [Object.values(workflow.jobs)[0]!.steps[2]!.run!, job.script[0]!]) {
    t.match(install, /^npm pack git\+https:\/\/\S+ && npm install -g \.\/podsec-\*\.tgz$/, 'a package file built from the repository, installed globally');
  }
});

t.test("docs/cli.md's GitLab CI job: its podsec command writes the JUnit report its artifacts name, even when it fails", async (t) => {
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
  const job = Object.values(parse(/In GitLab CI[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!) as Record<string, { script: string[]; artifacts: { when: string; reports: { junit: string } } }>)[0]!;
  t.equal(job.artifacts.when, 'always', 'the report is kept when the check fails too');
  const repo = mkdtempSync(join(tmpdir(), 'podsec-gitlab-'));
  t.teardown(() => rmSync(repo, { recursive: true, force: true }));
  mkdirSync(join(repo, 'deploy'));
  for (const f of ['debug-pod.yaml', 'shop-frontend.yaml', 'namespace-shop.yaml']) copyFileSync(join(root, 'examples', f), join(repo, 'deploy', f));
  const check = job.script.find((line) => line.startsWith('podsec check'))!;
  const r = podsec(check.split(/\s+/).slice(1), { cwd: repo });
  t.equal(r.status, 1, r.stderr);
  const xml = readFileSync(join(repo, job.artifacts.reports.junit), 'utf8');
  t.equal(XMLValidator.validate(xml), true);
  t.match(xml, /<testsuite name="deploy\/debug-pod\.yaml" tests="1" failures="1"/);
  t.match(xml, /<failure type="enforce" message="violates PodSecurity &quot;baseline:v1\.35&quot;: privileged/);
});
