// Invariants of the bundled rule tables and of how levels compose per version.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { createEvaluator } from '../engine/index.js';
import { bundledRulesDir } from '../engine/load.js';
import { compareBytewise } from '../engine/text.js';
import { readCaseFiles } from './helpers/cases.js';

const evaluator = createEvaluator();
const rules = evaluator.table.rules;
const dir = bundledRulesDir();

t.test('19 checks: 12 baseline, 7 restricted, one file each', async (t) => {
  const files = ['baseline', 'restricted'].flatMap((level) => readdirSync(join(dir, level)).map((f) => ({ level, f })));
  t.equal(files.length, 19);
  t.equal(rules.filter((r) => r.level === 'baseline').length, 12);
  t.equal(rules.filter((r) => r.level === 'restricted').length, 7);
  for (const { level, f } of files) {
    const data = parse(readFileSync(join(dir, level, f), 'utf8')) as { id: string; level: string };
    t.equal(data.id, basename(f, '.yaml'), `${f}: file name = id`);
    t.equal(data.level, level, `${f}: folder = level`);
  }
});

t.test('versions strictly increasing; overrides only from restricted to baseline', async (t) => {
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const r of rules) {
    const minors = r.versions.map((v) => v.since);
    t.same(minors, [...minors].sort((a, b) => a - b), `${r.id}: increasing`);
    t.equal(new Set(minors).size, minors.length, `${r.id}: no repeats`);
    for (const v of r.versions) {
      if (v.overrides.length) t.equal(r.level, 'restricted', `${r.id}: only restricted overrides`);
      for (const o of v.overrides) t.equal(byId.get(o)?.level, 'baseline', `${r.id} overrides baseline ${o}`);
    }
  }
});

t.test('policy changes happen exactly at upstream versions', async (t) => {
  const changes = new Set(rules.flatMap((r) => r.versions.map((v) => v.since)));
  t.same([...changes].sort((a, b) => a - b), [0, 8, 19, 22, 23, 25, 27, 29, 31, 32, 34, 35, 37]);
  t.equal(evaluator.newestVersion, 'v1.37');
});

t.test('every rule has its own cases, at each version boundary', async (t) => {
  const caseFiles = new Map(readCaseFiles(evaluator).map((f) => [f.check, f]));
  for (const r of rules) {
    const file = caseFiles.get(r.id);
    t.ok(file, `${r.id} has test/cases/${r.id}.yaml`);
    if (!file) continue;
    const tested = new Set(file.cases.flatMap((c) => c.versions));
    const failing = new Set(file.cases.filter((c) => c.expect !== 'pass').flatMap((c) => c.versions));
    t.ok(failing.size > 0, `${r.id}: has a failing case`);
    r.versions.forEach((v, i) => {
      t.ok(tested.has(`v1.${v.since}`), `${r.id}: a case runs at v1.${v.since}`);
      if (i > 0 || v.since > 0) t.ok(tested.has(`v1.${v.since - 1}`), `${r.id}: a case runs just before v1.${v.since}`);
    });
  }
});

// Expected composition, from upstream's registry (semantics note §1.4).
t.test('effective check lists per level and version', async (t) => {
  const ids = (level: string, version: string) => evaluator.resolvePolicy(level, version).checks.map((c) => c.id);
  const baseline11 = ['appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts', 'privileged', 'procMount', 'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess'];
  t.same(ids('baseline', 'v1.0'), baseline11, 'baseline v1.0');
  t.same(ids('baseline', 'v1.33'), baseline11, 'baseline v1.33');
  const baseline12 = [...baseline11.slice(0, 5), 'hostProbesAndHostLifecycle', ...baseline11.slice(5)];
  t.same(ids('baseline', 'v1.34'), baseline12, 'baseline v1.34 adds hostProbesAndHostLifecycle');
  t.same(ids('baseline', 'latest'), baseline12);
  t.same(ids('restricted', 'v1.0'), [...baseline11.filter((id) => id !== 'hostPathVolumes'), 'restrictedVolumes', 'runAsNonRoot'], 'restricted v1.0');
  t.same(ids('restricted', 'v1.8').slice(-3), ['allowPrivilegeEscalation', 'restrictedVolumes', 'runAsNonRoot']);
  t.notOk(ids('restricted', 'v1.18').includes('seccompProfile_restricted'));
  t.ok(ids('restricted', 'v1.18').includes('seccompProfile_baseline'), 'annotation check still in restricted v1.18');
  t.notOk(ids('restricted', 'v1.19').includes('seccompProfile_baseline'), 'replaced at v1.19');
  t.ok(ids('restricted', 'v1.21').includes('capabilities_baseline'), 'capabilities_baseline in restricted v1.21');
  t.notOk(ids('restricted', 'v1.22').includes('capabilities_baseline'), 'replaced at v1.22');
  t.equal(ids('restricted', 'v1.22').length, 13);
  t.equal(ids('restricted', 'v1.23').length, 14);
  t.equal(ids('restricted', 'v1.34').length, 15);
  t.same(ids('restricted', 'latest'), [
    'appArmorProfile', 'hostNamespaces', 'hostPorts', 'hostProbesAndHostLifecycle', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
    'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
  ], 'restricted latest, in upstream order');
  for (const level of ['baseline', 'restricted']) {
    for (let minor = 0; minor <= 40; minor++) {
      const list = evaluator.resolvePolicy(level, `v1.${minor}`).checks;
      const base = list.filter((c) => c.level === 'baseline').map((c) => c.id);
      const strict = list.filter((c) => c.level === 'restricted').map((c) => c.id);
      t.same(list.map((c) => c.id), [...[...base].sort(compareBytewise), ...[...strict].sort(compareBytewise)], `${level} v1.${minor}: byte-wise order`);
    }
  }
  t.same(ids('privileged', 'latest'), []);
});

t.test('versions newer than the newest known run as the newest, reported as written', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } };
  const r = evaluator.evaluate(pod, { level: 'baseline', version: 'v1.99' });
  t.equal(r.version, 'v1.99');
  t.equal(r.evaluatedVersion, 'v1.37');
  t.equal(evaluator.evaluate(pod, { level: 'baseline', version: 'latest' }).evaluatedVersion, 'v1.37');
  t.same(evaluator.resolvePolicy('restricted', 'v1.99').checks, evaluator.resolvePolicy('restricted', 'v1.37').checks);
});

// The volume types are the API's (Volume's fields but its name): the rule files list them twice,
// so each list is held to the types podsec decodes objects with (schemas/decode.schema.json).
t.test("the volume types the rules list are exactly the Volume's sources in the API types", async (t) => {
  type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node };
  const decode = JSON.parse(readFileSync(join(dir, '..', 'schemas', 'decode.schema.json'), 'utf8')) as { roots: Record<string, string>; $defs: Record<string, Node> };
  const deref = (n: Node | undefined): Node => (n?.$ref ? deref(decode.$defs[n.$ref.replace('#/$defs/', '')]) : n ?? {});
  const volume = deref(deref(deref(deref({ $ref: decode.roots.Pod }).properties?.spec).properties?.volumes).items);
  const sources = Object.keys(volume.properties ?? {}).filter((k) => k !== 'name').sort();
  t.ok(sources.includes('hostPath') && sources.includes('emptyDir'), `found the Volume type: ${sources.join(', ')}`);

  const emptyDir = evaluator.table.defaulting.find((d) => d.id === 'volumeSourceDefaultsToEmptyDir')!;
  const when = emptyDir.when as { operator: string; value: string[] };
  t.equal(when.operator, 'hasNoKey');
  t.same([...when.value].sort(), sources, 'defaulting.yaml: a volume that sets none of the sources becomes an emptyDir');

  const volumes = rules.find((r) => r.id === 'restrictedVolumes')!;
  for (const v of volumes.versions) {
    const { allowedSources, restrictedSources } = v.sets as { allowedSources: string[]; restrictedSources: string[] };
    t.same(allowedSources.filter((s) => restrictedSources.includes(s)), [], `v1.${v.since}: no type is both allowed and restricted`);
    t.same([...allowedSources, ...restrictedSources].sort(), sources, `v1.${v.since}: every source is allowed or reported by name (not as "unknown")`);
  }
});

// A rule's summary and fix are prose that often spells out a value set or the version of an
// exemption: what they spell out must be what the rule's versions say.
t.test("each rule's summary and fix name every value of a set they list, and only versions the rule has", async (t) => {
  const { setsRead } = await import('../cli/commands/rule-docs.js');
  const mentions = (text: string, value: string) => {
    const pattern = value.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('(?:\\*|<[^>]+>)');
    return new RegExp(`(?<![\\w./-])${pattern}(?![\\w/-])`).test(text);
  };
  let listed = 0;
  for (const r of rules) {
    const text = `${r.summary}\n${r.fix ?? ''}`;
    const values = new Map<string, Set<string>>();
    for (const v of r.versions) for (const [name, set] of Object.entries(setsRead(v))) for (const x of set) if (typeof x === 'string' && x !== '') (values.get(name) ?? values.set(name, new Set()).get(name)!).add(x);
    for (const [name, set] of values) {
      const named = [...set].filter((x) => mentions(text, x));
      if (named.length < 2) continue;
      listed++;
      t.same([...set].filter((x) => !named.includes(x)), [], `${r.id}: its text lists ${name}, so it names all of it`);
    }
    const versions = new Set(r.versions.map((v) => `v1.${v.since}`));
    for (const [version] of text.matchAll(/v1\.\d+/g)) t.ok(versions.has(version), `${r.id}: its text speaks of ${version}, where it has an entry`);
  }
  t.ok(listed >= 5, `${listed} sets are listed in rules' texts`);
});
