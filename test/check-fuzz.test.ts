// Mutated manifests through `podsec check`: whatever the input, the run ends with a report in
// the format asked for, an exit code its summary explains, and no object lost to an internal
// error. Seeded, so a failure names the input that caused it and can be run again.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import t from 'tap';
import { parseAllDocuments, stringify } from 'yaml';
import { cli } from './helpers/cli.js';
import { rng } from './helpers/random-pods.js';
import { projectRoot } from './helpers/shared.js';

const ITERATIONS = Number(process.env.PODSEC_FUZZ_ITERATIONS ?? 250);
const examples = join(projectRoot, 'examples');
const seeds = readdirSync(examples).sort().map((name) => ({ name, text: readFileSync(join(examples, name), 'utf8') }));
const validateReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(projectRoot, 'schemas/report.schema.json'), 'utf8')));

// Pieces of YAML that change what a manifest means, or break it.
const SNIPPETS = [
  ' ', '  ', '\t', '\n', '---\n', '- ', ': ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '<<: *a\n', '!!str ', '!!binary ', '? ', '|', '>-',
  '#', '%YAML 1.1\n', '\r\n', '\u00a0', '\ufeff', '\u2028', '\0', '~', 'null', 'yes', '0x1F', '1e3', '.inf', '{{ .Values.x }}',
  'privileged: true\n', 'hostNetwork: true\n', 'kind: Namespace\n', 'pod-security.kubernetes.io/enforce: baseline\n',
];
// Values a field may be given instead of its own: other types, edge cases, hostile text.
const VALUES: unknown[] = [null, '', 'x', 'true', true, false, 0, -1, 1.5, 2 ** 40, '0777', [], {}, [null], [{}], { a: null }, 'ALL',
  'RuntimeDefault', 'Localhost', '../x', 'a'.repeat(300), 'NET_RAW', 'Unconfined', '\u{1F642}', 'a\nb', '\u202e', 'kube-system'];
// Kubernetes' own configuration format, with every kind of entry; mutated like the manifests.
const CONFIG = `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
  enforce-version: latest
  audit: restricted
  warn: restricted
exemptions:
  usernames: [admin]
  runtimeClasses: [kata]
  namespaces: [kube-system, shop]
`;
const KEYS = ['securityContext', 'privileged', 'hostNetwork', 'hostPID', 'capabilities', 'add', 'drop', 'seccompProfile', 'type', 'runAsUser',
  'runAsNonRoot', 'volumes', 'hostPath', 'ports', 'hostPort', 'sysctls', 'name', 'appArmorProfile', 'seLinuxOptions', 'procMount', 'windowsOptions',
  'os', 'annotations', 'labels', 'containers', 'initContainers', 'ephemeralContainers', 'image', 'template', 'spec', 'metadata', 'selector',
  'namespace', 'kind', 'apiVersion', 'hostUsers', 'runtimeClassName', 'allowPrivilegeEscalation', '__proto__'];

function textMutation(text: string, r: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const at = Math.floor(r() * (text.length + 1));
    const op = r();
    if (op < 0.55) text = text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
    else if (op < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 8));
    else if (op < 0.92) text = text.slice(0, at);
    else {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines[i] = r() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, '');
      text = lines.join('\n');
    }
  }
  return text;
}

type Path = (string | number)[];
function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length) out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

/** The documents read as data, their fields retyped, removed, added or repeated, written as YAML or JSON. */
function structuralMutation(text: string, r: () => number, json: boolean): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d) => d !== null && typeof d === 'object');
  for (const doc of docs) {
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
      const all = paths(doc);
      if (all.length === 0) break;
      const path = pick(all);
      let parent = doc as Record<string | number, unknown>;
      for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      const target = parent[last];
      const op = r();
      if (op < 0.4) parent[last] = structuredClone(pick(VALUES));
      else if (op < 0.55) Array.isArray(parent) ? parent.splice(last as number, 1) : delete parent[last];
      else if (op < 0.8 && Array.isArray(target)) target.push(structuredClone(target.length && r() < 0.5 ? target[0] : pick(VALUES)));
      else if (op < 0.8 && target && typeof target === 'object') Object.defineProperty(target, pick(KEYS), { value: structuredClone(pick(VALUES)), enumerable: true, writable: true, configurable: true });
      else if (!Array.isArray(parent)) parent[pick(KEYS)] = structuredClone(target);
    }
  }
  if (json) return JSON.stringify(docs.length === 1 ? docs[0] : { apiVersion: 'v1', kind: 'List', items: docs }, null, 1);
  return docs.map((d) => stringify(d)).join('---\n');
}

interface Entries { resources: { source: { file: string } }[]; notEvaluated: { source: { file: string } }[]; errors: { file: string }[] }
function entriesOf(report: Entries, file: string): number {
  return report.resources.filter((x) => x.source.file === file).length + report.notEvaluated.filter((x) => x.source.file === file).length +
    report.errors.filter((x) => x.file === file).length;
}

t.test(`podsec check on ${ITERATIONS} mutated sets of the example manifests`, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'podsec-check-fuzz-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const formats = ['json', 'text', 'sarif', 'github', 'junit'] as const;
  // What each example reports checked alone.
  const alone = new Map<string, number>();
  for (const s of seeds) alone.set(s.name, entriesOf(JSON.parse((await cli(['check', '--format', 'json', join(examples, s.name)])).stdout), join(examples, s.name)));
  t.ok([...alone.values()].every((n) => n > 0), `each example reports objects alone: ${JSON.stringify([...alone])}`);
  let failures = 0;
  let configsRefused = 0;
  const codes = new Map<number, number>();
  for (let i = 0; i < ITERATIONS && failures < 5; i++) {
    const r = rng(0x5eed + i);
    const dir = join(root, String(i));
    const chosen = seeds.filter(() => r() < 0.5);
    if (chosen.length === 0) chosen.push(seeds[i % seeds.length]!);
    mkdirSync(dir);
    const untouched: string[] = [];
    for (const s of chosen) {
      const how = r();
      let text: string | Buffer = s.text;
      try {
        if (how < 0.3) text = textMutation(s.text, r);
        else if (how < 0.5) text = structuralMutation(s.text, r, s.name.endsWith('.json'));
        else if (how < 0.55) text = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00]);
        else untouched.push(s.name);
      } catch {
        // A mutation the yaml package cannot read as data: the seed is mutated as text instead.
        text = textMutation(s.text, r);
      }
      writeFileSync(join(dir, s.name), text);
    }
    const args = [dir];
    const config = r() < 0.25 ? join(root, `${i}.config.yaml`) : undefined;
    if (config) {
      writeFileSync(config, r() < 0.5 ? textMutation(CONFIG, r) : CONFIG);
      args.push('--config', config);
    }
    if (r() < 0.3) args.push('--level', ['baseline', 'restricted', 'privileged'][Math.floor(r() * 3)]!);
    if (r() < 0.2) args.push('--version', ['v1.0', 'v1.22', 'v1.99', 'latest'][Math.floor(r() * 4)]!);
    const format = formats[i % formats.length]!;
    const label = `iteration ${i} (seed ${0x5eed + i}), --format ${format} ${args.slice(1).join(' ')}`;
    let run;
    try {
      run = await cli(['check', '--format', format, ...args], { cwd: dir });
    } catch (e) {
      failures++;
      t.fail(`${label}: threw ${(e as Error).stack}`);
      continue;
    }
    codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
    if (run.stdout === '') {
      // Only a configuration it cannot use stops a run before its report, and says where.
      if (config && run.code === 2 && run.stderr.includes(`configuration file ${config}`)) configsRefused++;
      else {
        failures++;
        t.fail(`${label}: no report, exit code ${run.code}: ${run.stderr.slice(0, 300)}`);
      }
      continue;
    }
    const internal = /could not evaluate this object|report this as a podsec bug|TypeError|RangeError|Cannot read properties/;
    if (internal.test(run.stdout + run.stderr)) {
      failures++;
      t.fail(`${label}: an internal error reached the output: ${(run.stdout + run.stderr).match(new RegExp(`.{0,200}(${internal.source}).{0,200}`, 's'))?.[0]}`);
    }
    if (format === 'json') {
      const report = JSON.parse(run.stdout);
      if (!validateReport(report)) {
        failures++;
        t.fail(`${label}: the report does not match its schema: ${JSON.stringify(validateReport.errors).slice(0, 500)}`);
      }
      const s = report.summary;
      const expected = s.errors > 0 ? 2 : s.denied > 0 ? 1 : 0;
      if (run.code !== expected) {
        failures++;
        t.fail(`${label}: exit code ${run.code}, but the summary says ${expected}: ${JSON.stringify(s)}`);
      }
      // Nothing valid is lost because a neighbour was bad: a file left as it was reports as many
      // objects as it does alone.
      for (const name of untouched) {
        const got = entriesOf(report, join(dir, name));
        if (got !== alone.get(name)) {
          failures++;
          t.fail(`${label}: ${name}, left as it was, reports ${got} object(s) next to mutated files, ${alone.get(name)} alone`);
        }
      }
    } else if (format === 'sarif') {
      const sarif = JSON.parse(run.stdout);
      if (sarif.version !== '2.1.0' || !Array.isArray(sarif.runs)) {
        failures++;
        t.fail(`${label}: not a SARIF 2.1.0 log`);
      }
    } else if (![0, 1, 2].includes(run.code)) {
      failures++;
      t.fail(`${label}: exit code ${run.code}`);
    }
  }
  t.equal(failures, 0, 'every mutated input ended in a report and an exit code it explains');
  // The inputs are mutated enough to break some, and mildly enough to leave others whole.
  t.ok((codes.get(2) ?? 0) > 0 && (codes.get(1) ?? 0) > 0, `exit codes seen: ${JSON.stringify([...codes])}`);
  t.ok(configsRefused > 0, `mutated configurations refused before any report: ${configsRefused}`);
});
