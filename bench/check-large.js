// `podsec check` on 5,000 Deployments (~4 MB of multi-document YAML): total time, and how it
// splits into reading YAML, evaluating and reporting. Build first: npm run build
//
//   node bench/check-large.js [count] [--format text|json|sarif] [--all-pass] [--write FILE]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

// Child mode: one `podsec check` run as a fresh process makes it, from the bundle and its code
// caches as bin/podsec.js runs it; prints where the time went.
if (args[0] === '--one-run') {
  const { loadBundle } = createRequire(import.meta.url)('../bin/load-cli.js');
  const { runCheck, codeCache } = loadBundle();
  if (codeCache !== 'used') throw new Error(`the bundle's code cache was not used (${codeCache}): run npm run build`);
  const sink = { write: (s) => (Buffer.byteLength(s), true) };
  const io = { stdout: sink, stderr: sink, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: dirname(args[1]) };
  const timings = { read: 0, evaluate: 0, report: 0, total: 0 };
  const started = performance.now();
  await runCheck(['--format', args[2], args[1]], io, { timings });
  // performance.now() counts from process start: node's own start-up and module loading included.
  console.log(JSON.stringify({ ...timings, startup: started, total: performance.now() }));
  process.exit(0);
}
// Loaded here, after the child mode, which must load only what the command itself loads.
const { run } = await import('../dist/cli/commands/check.js');
const { createEvaluator } = await import('../dist/engine/index.js');
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
const format = args.includes('--format') ? args[args.indexOf('--format') + 1] : 'text';

// Block style throughout, as `helm template` (toYaml) and `kubectl kustomize` print manifests.
// By default a third pass restricted, a third fail only restricted and a third fail baseline;
// --all-pass makes every one pass (no locations to compute).
const allPass = args.includes('--all-pass');
function deployment(i) {
  const kind = allPass ? 0 : i % 3;
  const lines = [
    '---',
    `# Source: platform/templates/app-${i}.yaml`,
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${i}`,
    `  namespace: team-${i % 17}`,
    '  labels:',
    `    app: app-${i}`,
    'spec:',
    `  replicas: ${1 + (i % 4)}`,
    '  selector:',
    '    matchLabels:',
    `      app: app-${i}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: app-${i}`,
    '    spec:',
  ];
  if (kind !== 2) {
    lines.push('      securityContext:', '        runAsNonRoot: true', `        runAsUser: ${10000 + i}`);
    if (kind === 0) lines.push('        seccompProfile:', '          type: RuntimeDefault');
  }
  if (kind === 2 && i % 2) lines.push('      hostNetwork: true');
  lines.push(
    '      containers:',
    '      - name: app',
    `        image: "registry.example.com/team-${i % 17}/app-${i}:1.${i % 20}.${i % 7}"`,
    '        ports:',
    '        - containerPort: 8080',
    '        resources:',
    '          requests:',
    '            cpu: 100m',
    '            memory: 128Mi',
  );
  if (kind !== 2) {
    lines.push(
      '        securityContext:',
      '          allowPrivilegeEscalation: false',
      '          readOnlyRootFilesystem: true',
      '          capabilities:',
      '            drop:',
      '            - ALL',
    );
  } else {
    lines.push('        securityContext:', '          privileged: true');
  }
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'podsec-bench-'));
const file = join(dir, 'deployments.yaml');
const parts = [];
for (let i = 0; i < count; i++) parts.push(deployment(i));
writeFileSync(file, parts.join(''));
const mb = statSync(file).size / 1048576;
if (args.includes('--write')) {
  // Only write the corpus (for profiling): node bench/check-large.js --write FILE
  const target = args[args.indexOf('--write') + 1];
  writeFileSync(target, parts.join(''));
  console.log(`wrote ${target}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// Encode what is written, as a real stream does: a report built as a rope of strings must not
// hide its flattening cost in the sink.
const sink = { write: (s) => (Buffer.byteLength(s), true) };
const io = () => ({ stdout: sink, stderr: sink, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: dir });
const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;

console.log(`podsec check: ${count} Deployments (${allPass ? 'all passing' : 'a third passing, two thirds failing'}), ${mb.toFixed(2)} MB, --format ${format}, node ${process.version}`);

// In-process: where the time goes. The first run warms the JIT; the median of the rest is reported.
const evaluator = createEvaluator();
const runs = [];
const warm = Number(process.env.RUNS ?? 5);
for (let i = 0; i <= warm; i++) {
  const timings = { read: 0, evaluate: 0, report: 0, total: 0 };
  const code = await run(['--format', format, file], io(), { timings, evaluator });
  if (code !== (allPass ? 0 : 1)) throw new Error(`unexpected exit code ${code}`);
  if (i > 0) runs.push(timings);
}
const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
const best = (key) => Math.min(...runs.map((r) => r[key]));
const read = median('read');
const evaluate = median('evaluate');
const report = median('report');
const total = median('total');
console.log(`in-process (median of ${runs.length} warm runs; fastest in brackets):`);
const ratio = (r, e, p) => `${(((e + p) / r) * 100).toFixed(0)}%`;
console.log(`  reading YAML   ${fmt(read)}  [${fmt(best('read'))}]`);
console.log(`  evaluating     ${fmt(evaluate)}  [${fmt(best('evaluate'))}]`);
console.log(`  reporting      ${fmt(report)}  [${fmt(best('report'))}]`);
console.log(`  total          ${fmt(total)}  [${fmt(best('total'))}]   (evaluation + reporting = ${ratio(read, evaluate, report)} on top of reading; fastest runs: ${ratio(best('read'), best('evaluate'), best('report'))})`);

// As a user runs it: one run in a fresh process, start-up and module loading included, cold JIT.
const fresh = [];
for (let i = 0; i < 5; i++) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one-run', file, format], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`one-run child exited ${r.status}: ${r.stderr}`);
  fresh.push(JSON.parse(r.stdout));
}
const freshMedian = (key) => fresh.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(fresh.length / 2)];
const [fr, fe, fp] = [freshMedian('read'), freshMedian('evaluate'), freshMedian('report')];
console.log(`one run in a fresh process (median of ${fresh.length}):`);
console.log(`  start-up + loading ${fmt(freshMedian('startup'))}`);
console.log(`  reading YAML   ${fmt(fr)}`);
console.log(`  evaluating     ${fmt(fe)}`);
console.log(`  reporting      ${fmt(fp)}`);
console.log(`  total          ${fmt(freshMedian('total'))}   (evaluation + reporting = ${ratio(fr, fe, fp)} on top of reading)`);
/** `node bin/podsec.js check` on a file: wall clock, median of 3. */
function commandMs(target) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin', 'podsec.js'), 'check', '--format', format, target], { encoding: 'utf8', maxBuffer: 1 << 30 });
    times.push(performance.now() - t0);
    if (r.status !== (allPass ? 0 : 1)) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b)[1];
}
console.log(`the command itself (node bin/podsec.js check, wall clock, median of 3): ${fmt(commandMs(file))}`);
console.log(`target: total <= 2000 ms, evaluation + reporting <= 20% on top of reading`);

// The same objects as one List, as `kubectl get -o yaml` and `-o json` print what a cluster runs:
// one document whose thousands of objects are each located in it.
const { parseManifests } = await import('../dist/cli/manifest/read.js');
const items = parseManifests(parts.join(''), file).documents.map((d) => d.value);
const lists = {
  'kubectl get -o yaml': ['list.yaml', `apiVersion: v1\nkind: List\nitems:\n${parts.map((text) => text.split('\n').filter((l) => l && l !== '---' && !l.startsWith('#')).map((l, i) => (i === 0 ? '- ' : '  ') + l).join('\n')).join('\n')}\nmetadata:\n  resourceVersion: ""\n`],
  'kubectl get -o json': ['list.json', JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4) + '\n'],
};
for (const [shape, [name, text]] of Object.entries(lists)) {
  const listFile = join(dir, name);
  writeFileSync(listFile, text);
  console.log(`as one List (${shape}, ${(statSync(listFile).size / 1048576).toFixed(2)} MB), the command, median of 3: ${fmt(commandMs(listFile))}`);
}
rmSync(dir, { recursive: true, force: true });
