import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { createEvaluator } from '../engine/index.js';
import { cli } from './helpers/cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

async function sarif(args: string[], cwd: string, stdin?: string): Promise<{ code: number; log: any; text: string; stderr: string }> {
  const r = await cli(['check', '--format', 'sarif', ...args], { cwd, ...(stdin !== undefined ? { stdin } : {}) });
  return { code: r.code, log: JSON.parse(r.stdout), text: r.stdout, stderr: r.stderr };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      privileged: true
`;

t.test('SARIF meets GitHub code scanning upload rules', async (t) => {
  const dir = t.testdir({ deploy: { 'pod.yaml': POD, 'broken.yaml': 'a: [\n' } });
  const { code, log } = await sarif(['--level', 'baseline', 'deploy'], dir);
  t.equal(code, 2);
  t.equal(log.version, '2.1.0');
  t.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  t.match(driver, { name: 'podsec', version: /^\d+\.\d+\.\d+/, semanticVersion: String, informationUri: /^https:/ });
  const { table, newestVersion } = createEvaluator();
  t.same(driver.rules.map((r: { id: string }) => r.id).sort(), table.rules.map((r) => r.id).sort(), 'one rule per check');
  // docs/cli.md gives the severity of each level's rules.
  const [, baseline, restricted] = /`security-severity` \(([\d.]+) baseline, ([\d.]+) restricted\)/.exec(readFileSync(join(root, 'docs', 'cli.md'), 'utf8')) ?? [];
  for (const rule of driver.rules) t.equal(rule.properties['security-severity'], rule.properties.tags.includes('baseline') ? baseline : restricted, `${rule.id}: severity as docs/cli.md says`);
  for (const rule of driver.rules) {
    t.match(rule, {
      id: String,
      name: /^[A-Z][A-Za-z0-9]+$/,
      shortDescription: { text: String },
      help: { text: String },
      helpUri: /^https:\/\/kubernetes\.io\//,
      properties: { tags: Array, 'security-severity': /^\d+\.\d$/ },
    });
    t.not(rule.name.toLowerCase(), rule.id.toLowerCase());
  }
  t.equal(run.originalUriBaseIds.SRCROOT.uri, new URL(`file://${dir}/`).href);
  t.equal(run.results.length, 1);
  const result = run.results[0];
  t.match(result, {
    ruleId: 'privileged',
    level: 'error',
    message: { text: /^Pod\/shop\/web: privileged \(container "app" must not set securityContext\.privileged=true\), denied under enforce\+audit baseline:latest\.$/ },
    partialFingerprints: { 'podsecFinding/v1': /^[0-9a-f]{32}$/ },
  });
  t.equal(driver.rules[result.ruleIndex].id, 'privileged');
  // What code scanning shows with the alert says how to comply, from the rule file.
  t.match(driver.rules[result.ruleIndex].help, {
    text: /^Privileged Pods disable most security mechanisms.* To fix: Remove securityContext\.privileged from every container, or set it to false; .* Pod Security Standards, baseline level: https:/,
    markdown: /\n\n\*\*To fix:\*\* Remove `securityContext\.privileged` from every container, or set it to `false`; .*\n\nSee \[the Pod Security Standards\]/,
  });
  t.equal(result.locations.length, 1, 'the result has one location');
  const loc = result.locations[0];
  // The region quotes the offending field to the end of its line; the context adds a line either side.
  t.same(loc.physicalLocation, {
    artifactLocation: { uri: 'deploy/pod.yaml', uriBaseId: 'SRCROOT' },
    region: { startLine: 11, startColumn: 7, snippet: { text: 'privileged: true' } },
    contextRegion: { startLine: 10, endLine: 11, snippet: { text: '    securityContext:\n      privileged: true\n' } },
  });
  t.same(loc.logicalLocations, [{ name: 'web', fullyQualifiedName: 'Pod/shop/web', kind: 'resource' }]);
  t.same(result.properties, {
    mode: 'enforce', modes: ['enforce', 'audit'], policy: 'baseline:latest', evaluatedVersion: newestVersion,
    field: 'spec.containers[0].securityContext.privileged', fieldPresent: true, kind: 'Pod', namespace: 'shop', name: 'web',
  });
  t.match(run.properties.policy, { level: 'baseline', version: null });
  const notes = run.invocations[0].toolExecutionNotifications;
  t.equal(run.invocations[0].executionSuccessful, false);
  t.match(notes[0], { level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy/broken.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: Number } } }] });
  t.equal(notes[0].locations.length, 1, 'the input error has one location');
  t.equal(notes.length, 1, 'and it is the only notification');
});

t.test('a field that is missing is marked so, and located at the nearest field that is there', async (t) => {
  const { log } = await sarif(['pod.yaml'], t.testdir({ 'pod.yaml': POD }));
  const found = log.runs[0].results.map((r: any) => [r.ruleId, r.properties.field, r.properties.fieldPresent, r.locations[0].physicalLocation.region.startLine]);
  t.same(found, [
    ['privileged', 'spec.containers[0].securityContext.privileged', true, 11],
    ['allowPrivilegeEscalation', 'spec.containers[0].securityContext.allowPrivilegeEscalation', false, 10],
    ['capabilities_restricted', 'spec.containers[0].securityContext.capabilities.drop', false, 10],
    ['runAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot', false, 10],
    ['seccompProfile_restricted', 'spec.containers[0].securityContext.seccompProfile', false, 10],
  ]);
});

t.test('fingerprints are stable when lines move, and differ between fields', async (t) => {
  const dir = t.testdir({ 'pod.yaml': POD });
  const a = (await sarif(['--level', 'baseline', 'pod.yaml'], dir)).log.runs[0].results[0];
  writeFileSync(join(dir, 'pod.yaml'), '# a comment\n\n' + POD);
  const moved = (await sarif(['--level', 'baseline', 'pod.yaml'], dir)).log.runs[0].results[0];
  t.equal(moved.locations[0].physicalLocation.region.startLine, a.locations[0].physicalLocation.region.startLine + 2);
  t.same(moved.partialFingerprints, a.partialFingerprints);
  t.same(moved.locations[0].physicalLocation.region.snippet, a.locations[0].physicalLocation.region.snippet);
  const twoFields = (await sarif(['-'], dir, POD.replace('privileged: true', 'privileged: true\n  - name: b\n    image: x\n    securityContext: {privileged: true}'))).log.runs[0].results;
  const fps = new Set(twoFields.map((r: any) => r.partialFingerprints['podsecFinding/v1']));
  t.equal(fps.size, twoFields.length);
  // The same object twice in a file: two alerts, the first one with its fingerprint of before.
  writeFileSync(join(dir, 'pod.yaml'), POD + '---\n' + POD);
  const twice = (await sarif(['--level', 'baseline', 'pod.yaml'], dir)).log.runs[0].results;
  t.equal(twice.length, 2);
  t.same(twice[0].partialFingerprints, a.partialFingerprints);
  t.not(twice[1].partialFingerprints['podsecFinding/v1'], a.partialFingerprints['podsecFinding/v1']);
});

t.test('fingerprints do not depend on how the path was typed', async (t) => {
  const dir = t.testdir({ repo: { examples: { 'pod.yaml': POD } }, outside: { 'pod.yaml': POD } });
  const repo = join(dir, 'repo');
  const first = async (args: string[], cwd: string) => {
    const r = (await sarif(['--level', 'baseline', ...args], cwd)).log.runs[0].results[0];
    return { uri: r.locations[0].physicalLocation.artifactLocation.uri, fingerprints: r.partialFingerprints };
  };
  const relative = await first(['examples'], repo);
  t.equal(relative.uri, 'examples/pod.yaml');
  t.same(await first([join(repo, 'examples')], repo), relative, 'an absolute path');
  t.same(await first(['--sarif-root', '..', '.'], join(repo, 'examples')), relative, 'from a subdirectory, with --sarif-root');
  t.same(await first(['--sarif-root', repo, 'pod.yaml'], join(repo, 'examples')), relative, 'the file named from its own directory');
  // Outside %SRCROOT% the URI is absolute; however it was typed, it is the same.
  const outside = await first(['../outside/pod.yaml'], repo);
  t.equal(outside.uri, new URL(`file://${dir}/outside/pod.yaml`).href);
  t.same(await first([join(dir, 'outside')], repo), outside);
  t.not(outside.fingerprints['podsecFinding/v1'], relative.fingerprints['podsecFinding/v1']);
});

t.test('the repository root: --sarif-root, else GitHub\'s workspace, else the current directory; findings outside it are said', async (t) => {
  const dir = t.testdir({ repo: { examples: { 'pod.yaml': POD } }, outside: { 'pod.yaml': POD } });
  const repo = join(dir, 'repo');
  const examples = join(repo, 'examples');
  const uri = async (args: string[], env: Record<string, string> = {}) => {
    const r = await cli(['check', '--format', 'sarif', '--level', 'baseline', ...args], { cwd: examples, env });
    return { uri: JSON.parse(r.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, stderr: r.stderr };
  };
  t.same(await uri(['pod.yaml']), { uri: 'pod.yaml', stderr: '' }, 'the current directory');
  t.same(await uri(['pod.yaml'], { GITHUB_WORKSPACE: repo }), { uri: 'examples/pod.yaml', stderr: '' }, 'a step run in a subdirectory of the workspace');
  t.same(await uri(['--sarif-root', examples, 'pod.yaml'], { GITHUB_WORKSPACE: repo }), { uri: 'pod.yaml', stderr: '' }, '--sarif-root wins');

  const out = await uri(['../../outside/pod.yaml', 'pod.yaml']);
  t.equal(out.uri, new URL(`file://${dir}/outside/pod.yaml`).href);
  t.equal(out.stderr, `warning: ../../outside/pod.yaml is outside ${examples} (the current directory), so code scanning cannot place its SARIF results (give --sarif-root the repository's root)\n`);
  const gh = await cli(['check', '--format', 'github', '--level', 'baseline', '../../outside/pod.yaml', 'pod.yaml'], { cwd: examples, env: { GITHUB_WORKSPACE: repo } });
  t.match(gh.stdout, /^::error file=\.\.\/\.\.\/outside\/pod\.yaml,line=11,col=7,.*\n::error file=examples\/pod\.yaml,line=11,col=7,/, 'annotations name files from the workspace');
  t.equal(gh.stderr, `warning: ../../outside/pod.yaml is outside ${repo} (GITHUB_WORKSPACE), so GitHub cannot place its annotations (give --sarif-root the repository's root)\n`);

  // A file with only a warning is annotated too; a name starting with .. is no step up.
  writeFileSync(join(examples, '..twice.yaml'), POD);
  writeFileSync(join(dir, 'outside', 'dup.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1", x: "2"}\n');
  const warned = await cli(['check', '--format', 'github', '--level', 'baseline', '..twice.yaml', '../../outside/dup.yaml'], { cwd: examples });
  t.match(warned.stdout, /^::error file=\.\.twice\.yaml,line=11,/);
  t.equal(warned.stderr.split('\n').filter((l) => l.includes('is outside')).join('\n'), `warning: ../../outside/dup.yaml is outside ${examples} (the current directory), so GitHub cannot place its annotations (give --sarif-root the repository's root)`);
  t.equal((await uri(['..twice.yaml'])).uri, '..twice.yaml');

  // A root typed through a symlinked directory still holds its files.
  const { symlinkSync } = await import('node:fs');
  symlinkSync(repo, join(dir, 'link'));
  t.same(await uri(['--sarif-root', join(dir, 'link'), 'pod.yaml']), { uri: 'examples/pod.yaml', stderr: '' });
  t.same(await uri(['pod.yaml'], { GITHUB_WORKSPACE: join(dir, 'link') }), { uri: 'examples/pod.yaml', stderr: '' });

  const missing = await cli(['check', '--format', 'sarif', '--sarif-root', 'nope', 'pod.yaml'], { cwd: examples });
  t.equal(missing.code, 2);
  t.match(missing.stderr, /--sarif-root nope is not a directory\nhint: give the root of the repository the report is for/);
});

// `kubectl get pods -o json | jq -c`: one line holds every object.
function minifiedList(n: number): string {
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, annotations: { note: '日本😀' } }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) + '\n';
}

t.test('long lines: regions and their context quote a bounded part of the line', async (t) => {
  const json = minifiedList(400);
  const dir = t.testdir({ 'pods.json': json });
  const { code, log, text } = await sarif(['--level', 'baseline', 'pods.json'], dir);
  t.equal(code, 1);
  const results = log.runs[0].results;
  t.equal(results.length, 400);
  t.ok(text.length < 2_000_000, `${text.length} characters for 400 results on a ${json.length}-character line`);
  const line = json.slice(0, -1);
  let i = 0;
  for (const r of results) {
    const { region, contextRegion } = r.locations[0].physicalLocation;
    const at = line.indexOf('"privileged":true', i);
    i = at + 1;
    t.match(region, { startLine: 1, startColumn: at + 1 });
    t.equal(region.snippet.text, line.slice(region.startColumn - 1, region.endColumn - 1), 'the snippet is the region');
    t.ok(region.snippet.text.startsWith('"privileged":true') && region.snippet.text.length <= 200);
    t.equal(contextRegion.snippet.text, line.slice(contextRegion.startColumn - 1, contextRegion.endColumn - 1), 'the context snippet is its region');
    t.ok(contextRegion.startColumn < region.startColumn && contextRegion.endColumn >= region.endColumn, 'the context surrounds the region');
    t.ok(contextRegion.snippet.text.length <= 400);
  }
});

t.test('a pod with thousands of containers: at most 25,000 results, each with a bounded message', async (t) => {
  // 6,000 containers fail 5 restricted checks each; every result's detail names all of them.
  const containers = Array.from({ length: 6000 }, (_, i) => `  - {name: c${i}, image: x, securityContext: {privileged: true}}\n`).join('');
  const dir = t.testdir({ 'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n${containers}` });
  const { code, log } = await sarif(['pod.yaml'], dir);
  t.equal(code, 1);
  const run = log.runs[0];
  t.equal(run.results.length, 25_000);
  t.equal(run.properties.truncated, true);
  t.match(run.invocations[0].toolExecutionNotifications, [{ level: 'warning', message: { text: 'Only the first 25000 of 30000 results are included (GitHub code scanning accepts at most 25000 per run).' } }]);
  t.equal(run.invocations[0].toolExecutionNotifications.length, 1);
  const message: string = run.results[0].message.text;
  t.ok(message.length < 1_200, `${message.length} characters`);
  t.match(message, /^Pod\/default\/big: privileged \(containers "c0", "c1", .*… \(\d+ more characters; --format json has the whole message\)\), denied under enforce\+audit restricted:latest\.$/);
});

t.test('a pod with a very long name and many fields: each result names it in bounded text', async (t) => {
  // 250,000 characters times 3,000 results made a log longer than a string can hold (a crash).
  const name = 'a'.repeat(250_000);
  const containers = Array.from({ length: 3000 }, (_, i) => `  - {name: c${i}, image: x, securityContext: {privileged: true}}\n`).join('');
  // (A namespace has at most 63 characters: a longer one is an input error. A name has at most
  // 253 in a new object: this pod is read from a cluster, and judged as stored.)
  const dir = t.testdir({ 'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: team, uid: u1}\nspec:\n  containers:\n${containers}` });
  const { code, log, stderr } = await sarif(['--level', 'baseline', 'pod.yaml'], dir);
  t.equal(stderr, '');
  t.equal(code, 1);
  const results = log.runs[0].results;
  t.equal(results.length, 3000);
  t.ok(results[0].message.text.length < 3_500, `${results[0].message.text.length} characters`);
  t.match(results[0].locations[0].logicalLocations[0], { name: /^a{1000}… \(249000 more characters; --format json has the whole message\)$/, fullyQualifiedName: /^Pod\/team\/a{1000}… / });
  t.match(results[0].properties, { name: /^a{1000}… /, namespace: 'team' });
});

t.test('control and bidirectional formatting characters in messages are escaped; line breaks are kept', async (t) => {
  // U+202E would show the rest of the message reversed in code scanning's view.
  const dir = t.testdir({
    'pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: team}\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext:\n      capabilities:\n        add: ["SYS_\\u202eNIMDA", "X\\u0007"]\n`,
    'bad.yaml': 'kind: Pod\napiVersion: v1\nmetadata: {name: "a\\u2066b"}\n',
  });
  const { code, log, text } = await sarif(['--level', 'baseline', 'pod.yaml', 'bad.yaml'], dir);
  t.equal(code, 2);
  const message = log.runs[0].results[0].message.text as string;
  t.match(message, 'non-default capabilities (container "app" must not include "SYS_\\u202eNIMDA", "X\\u0007" in securityContext.capabilities.add)');
  const notes = log.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text).join('\n');
  t.match(notes, 'a\\u2066b');
  t.notOk(/[\u0007\u202e\u2066]/.test(text), 'no raw control or bidi character anywhere in the log');
});

t.test('standard input: results say they point at a stream unless --stdin-name names it', async (t) => {
  const dir = t.testdir({});
  const piped = await sarif(['--level', 'baseline', '-'], dir, POD);
  t.match(piped.stderr, /^warning: SARIF results from standard input point at stdin\.yaml, which is no file in the repository/, 'said on stderr too');
  const run = piped.log.runs[0];
  const at = run.results[0].locations[0].physicalLocation;
  t.match(at.artifactLocation, { uri: 'stdin.yaml', uriBaseId: 'SRCROOT', description: { text: /^Standard input: not a file; lines are those of the stream read\.$/ } });
  t.match(at.region, { startLine: 11, snippet: { text: 'privileged: true' } }, 'lines and quotes are of the stream');
  const notes = run.invocations[0].toolExecutionNotifications;
  t.equal(notes.length, 1);
  t.match(notes[0], {
    level: 'warning',
    descriptor: { id: 'stdinNotAFile', index: 2 },
    message: { text: /stdin\.yaml, which is not a file.*write the manifests to a file in the repository.*--stdin-name/ },
    locations: [{ physicalLocation: { artifactLocation: { uri: 'stdin.yaml' } } }],
  });
  t.equal(notes[0].locations.length, 1, 'the note has one location');
  t.equal(run.tool.driver.notifications[2].id, 'stdinNotAFile');
  t.equal(run.invocations[0].executionSuccessful, true, 'a warning, not a failed run');

  const namedRun = await sarif(['--level', 'baseline', '--stdin-name', 'deploy/all.yaml', '-'], dir, POD);
  t.equal(namedRun.stderr, '');
  const named = namedRun.log.runs[0];
  t.match(named.results[0].locations[0].physicalLocation.artifactLocation, {
    uri: 'deploy/all.yaml',
    uriBaseId: 'SRCROOT',
    description: { text: /named deploy\/all\.yaml by --stdin-name/ },
  });
  t.same(named.invocations[0].toolExecutionNotifications, []);
  // No note when nothing points at standard input.
  const clean = (await sarif(['--level', 'privileged', '-'], dir, POD)).log.runs[0];
  t.same(clean.invocations[0].toolExecutionNotifications, []);
});

t.test('--stdin-name must name a file: an empty name or a directory is a usage error', async (t) => {
  const dir = t.testdir({ sub: {} });
  for (const name of ['', '  ', '.', 'sub', 'new/']) {
    for (const format of ['sarif', 'github', 'text']) {
      const r = await cli(['check', '-f', format, '--stdin-name', name, '-'], { cwd: dir, stdin: POD });
      t.equal(r.code, 2, `${JSON.stringify(name)} (${format})`);
      t.equal(r.stdout, '');
      t.match(r.stderr, `podsec check: --stdin-name ${JSON.stringify(name)} names no file\nhint: `);
    }
  }
  t.equal((await sarif(['--stdin-name', 'sub/pod.yaml', '-'], dir, POD)).log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'sub/pod.yaml');
});

t.test('--stdin-name may not be the name of another input: their findings would share one place', async (t) => {
  const dir = t.testdir({ 'pod.yaml': POD, sub: { 'other.yaml': POD } });
  for (const [name, args] of [['pod.yaml', ['pod.yaml']], ['./pod.yaml', ['pod.yaml']], ['sub/other.yaml', ['sub']]] as const) {
    const r = await cli(['check', '-f', 'sarif', '--stdin-name', name, ...args, '-'], { cwd: dir, stdin: POD });
    t.equal(r.code, 2, name);
    t.equal(r.stdout, '');
    t.match(r.stderr, /^podsec check: --stdin-name \S+ is also the name of the input file (pod\.yaml|sub\/other\.yaml)\nhint: /);
  }
  t.equal((await cli(['check', '-q', '--stdin-name', 'pod.yaml', '-'], { cwd: dir, stdin: POD })).code, 1, 'alone, standard input may take the name of a file it renders');
});

function multitool(): { path?: string; reason?: string } {
  let path: string;
  try {
    path = join(dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'Sarif.Multitool');
  } catch {
    return { reason: 'the npm package @microsoft/sarif-multitool-linux is not installed (run npm ci)' };
  }
  if (process.platform !== 'linux') return { reason: `the bundled validator binary is for linux, this is ${process.platform}` };
  if (!existsSync(path)) return { reason: `${path} is missing` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // npm may skip the package's postinstall chmod.
    chmodSync(path, statSync(path).mode | 0o100);
  }
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) return { reason: `${path} does not run here: ${probe.error?.message ?? probe.stderr}` };
  return { path };
}

t.test('a template its pods would fail at enforce: the workload is not said to be denied, its pods are', async (t) => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/warn: privileged}\n---\n';
  const deployment = POD.replace('kind: Pod', 'kind: Deployment').replace('apiVersion: v1', 'apiVersion: apps/v1')
    .replace('spec:\n  containers:', 'spec:\n  selector: {matchLabels: {app: web}}\n  template:\n   metadata: {labels: {app: web}}\n   spec:\n    containers:').replace(/\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true/, '\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true');
  const { code, log } = await sarif(['-'], t.testdir({}), ns + deployment + '---\n' + POD);
  t.equal(code, 1);
  const texts = log.runs[0].results.map((x: { message: { text: string } }) => x.message.text);
  // Admission accepts the Deployment; it is every pod its controller creates that it refuses.
  t.match(texts[0], /^Deployment\/shop\/web: privileged \(.*\), its pods denied under enforce baseline:latest\.$/);
  t.match(texts[1], /^Pod\/shop\/web: privileged \(.*\), denied under enforce baseline:latest\.$/);
});

// A developer's machine may lack the validator's platform package: skipped there, saying why; CI must run it.
const tool = multitool();
if (!tool.path && process.env.CI) throw new Error(`CI is set but the SARIF validator cannot run: ${tool.reason}`);
t.test('SARIF passes the SARIF SDK validator, with GitHub\'s rules too, with no errors and no warnings', { skip: tool.path ? false : `SARIF validator not available: ${tool.reason}` }, async (t) => {
  const dir = t.testdir({
    'pod.yaml': POD,
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: bogus\n',
    'broken.yaml': 'a: [\n',
    // A custom rule whose link has characters a URI cannot hold: the schema asks only for http(s)://.
    // (A hidden directory: the search of . leaves it out.)
    '.rules': { baseline: { 'myHostNs.yaml': readFileSync(join(root, 'rules/baseline/hostNamespaces.yaml'), 'utf8').replace('id: hostNamespaces', 'id: myHostNs').replace(/^standard: .*$/m, 'standard: "https://example.com/pod security|standards"') } },
    'hostpid.txt': 'apiVersion: v1\nkind: Pod\nmetadata: {name: h}\nspec: {hostPID: true, containers: [{name: c, image: i}]}\n',
    // Rules that do not load: nothing is judged, and the log says why.
    '.badrules': { baseline: { 'x.yaml': 'schemaVersion: 1\nid: x\nlevel: baseline\ntitle: [unclosed\n' } },
    // Warnings: a key given twice, a misspelt PodSecurity label.
    'warned.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n  name: lab\n  labels:\n    pod-security.kubernetes.io/enfroce: baseline\n',
  });
  const cases: [string, string[], string?][] = [
    ['examples', ['--sarif-root', root, join(root, 'examples')]],
    ['errors and invalid labels', ['.']],
    ['clean', ['--level', 'privileged', 'pod.yaml']],
    ['custom rule with an odd link', ['--rules-dir', '.rules', '--level', 'baseline', 'hostpid.txt']],
    ['standard input', ['-'], POD + '---\n' + 'a: [\n'],
    ['long lines', ['--level', 'baseline', '-'], minifiedList(50)],
    ['rules that do not load', ['--rules-dir', '.badrules', 'pod.yaml']],
  ];
  const realworld = resolve(root, '..', 'shared', 'realworld');
  if (existsSync(realworld)) cases.push(['real-world corpus', ['--sarif-root', realworld, realworld]]);
  else if (process.env.CI) t.fail(`CI is set but ${realworld} is missing: the shared corpus must be present in CI`);
  else t.comment(`${realworld} is not present (it sits next to the project checkout in CI): the real-world corpus is not validated`);
  for (const [name, args, stdin] of cases) {
    const { text } = await sarif(args, dir, stdin);
    if (name === 'custom rule with an odd link') {
      const rule = JSON.parse(text).runs[0].tool.driver.rules.find((r: any) => r.id === 'myHostNs');
      t.equal(rule.helpUri, 'https://example.com/pod%20security%7Cstandards');
      t.match(rule.help.markdown, '[its standard](https://example.com/pod%20security%7Cstandards)');
    }
    if (name === 'rules that do not load') {
      const run = JSON.parse(text).runs[0];
      t.equal(run.invocations[0].executionSuccessful, false);
      t.same(run.results, [], 'nothing judged');
      t.match(run.invocations[0].toolExecutionNotifications.map((n: any) => [n.level, n.message.text, n.locations[0].physicalLocation.artifactLocation.uri, n.locations[0].physicalLocation.region.startLine]),
        [['error', /^rule problem: YAML syntax error/, '.badrules/baseline/x.yaml', 5]]);
    }
    if (name === 'errors and invalid labels') {
      // Warnings are notifications at their place, under their own descriptor.
      const run = JSON.parse(text).runs[0];
      const warned = run.invocations[0].toolExecutionNotifications.filter((n: any) => n.level === 'warning');
      t.same(warned.map((n: any) => [n.descriptor.id, n.locations[0].physicalLocation.region.startLine]), [['inputWarning', 5], ['inputWarning', 7]]);
      t.equal(run.tool.driver.notifications[warned[0].descriptor.index].id, 'inputWarning');
    }
    const file = join(dir, `${name.replace(/\W+/g, '-')}.sarif`);
    writeFileSync(file, text);
    const out = join(dir, `${name.replace(/\W+/g, '-')}.validation.sarif`);
    // Gh: the rules of GitHub code scanning's ingestion, beside the SARIF ones.
    const r = spawnSync(tool.path!, ['validate', file, '--rule-kind', 'Sarif;Gh', '--output', out, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 240_000 });
    t.equal(r.status, 0, `${name}: validator exit status (${r.stderr})`);
    const findings = (r.stdout + r.stderr).split('\n').filter((l) => /: (error|warning) [A-Z]+\d+/.test(l));
    t.same(findings, [], `${name}: no errors or warnings`);
    const validation = JSON.parse(readFileSync(out, 'utf8'));
    const bad = (validation.runs[0].results ?? []).filter((x: any) => x.level === 'error' || x.level === 'warning');
    t.same(bad.map((x: any) => x.ruleId), [], `${name}: validator log has no errors or warnings`);
  }
});

t.test("SARIF help: a team's own rules name their own standard, the bundled ones the Pod Security Standards", async (t) => {
  const dir = t.testdir({ 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:latest\n' });
  const rulesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'platform-rules');
  const r = await cli(['check', '--rules-dir', rulesDir, '-f', 'sarif', 'pod.yaml'], { cwd: dir });
  t.equal(r.code, 1);
  const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; help: { text: string; markdown: string } }[];
  const byId = new Map(rules.map((x) => [x.id, x.help]));
  // approvedImages is the team's; hostPathVolumes replaces a bundled check, so it is theirs too.
  for (const id of ['approvedImages', 'hostPathVolumes']) {
    t.notMatch(byId.get(id)!.text, /Pod Security Standards/, id);
    t.match(byId.get(id)!.text, /Standard \(baseline level\): https:\/\/example\.com\/platform\/policies#/, id);
    t.match(byId.get(id)!.markdown, /See \[its standard\]\(https:\/\/example\.com\/platform\/policies#[a-z]+\)\.$/, id);
  }
  t.match(byId.get('privileged')!.text, /Pod Security Standards, baseline level: https:\/\/kubernetes\.io\//);
  t.match(byId.get('privileged')!.markdown, /See \[the Pod Security Standards\]\(https:\/\/kubernetes\.io\//);
});
