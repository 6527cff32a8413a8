// Invariants of the bundled rule tables and of how levels compose per version; the checks, their
// revisions and overrides are held to upstream's catalogue (../shared/docs/upstream-semantics.md).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { createEvaluator } from '../engine/index.js';
import { bundledRulesDir } from '../engine/load.js';
import { compareBytewise } from '../engine/text.js';
import { readCaseFiles } from './helpers/cases.js';
import { volumeSourcesOfTheApi } from './helpers/api-types.js';
import { requireShared } from './helpers/shared.js';

const evaluator = createEvaluator();
const rules = evaluator.table.rules;
const dir = bundledRulesDir();

/** Upstream's checks (the table of §1.3 "Check catalogue"): level, revisions (minor versions) and overrides. */
interface UpstreamCheck { id: string; level: string; revisions: number[]; overrides: string[] }
const spec = requireShared('docs');
function upstreamCatalogue(): UpstreamCheck[] {
  const text = readFileSync(join(spec.dir!, 'upstream-semantics.md'), 'utf8');
  const table = /### 1\.3 Check catalogue\n[\s\S]*?\n\|[^\n]*\n\|[-| ]+\|\n((?:\|[^\n]*\n)+)/.exec(text)?.[1] ?? '';
  return table.trimEnd().split('\n').map((row) => {
    const [, , id, level, revisions, overrides] = row.split('|').map((c) => c.trim());
    return {
      id: id!.replace(/`/g, ''),
      level: level!,
      revisions: [...revisions!.matchAll(/\bv1\.(\d+) `/g)].map((m) => Number(m[1])),
      overrides: [...overrides!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
    };
  });
}

t.test('one file per check: file name = id, folder = level', async (t) => {
  const files = ['baseline', 'restricted'].flatMap((level) => readdirSync(join(dir, level)).map((f) => ({ level, f })));
  t.equal(files.length, rules.length);
  for (const { level, f } of files) {
    const data = parse(readFileSync(join(dir, level, f), 'utf8')) as { id: string; level: string };
    t.equal(data.id, basename(f, '.yaml'), `${f}: file name = id`);
    t.equal(data.level, level, `${f}: folder = level`);
  }
});

t.test("the checks are upstream's: ids, levels, revisions and overrides", { skip: spec.skip }, async (t) => {
  const upstream = upstreamCatalogue();
  t.ok(upstream.length > 0 && upstream.every((c) => c.revisions.length > 0), `read ${upstream.length} checks from the catalogue`);
  t.same(rules.map((r) => r.id).sort(compareBytewise), upstream.map((c) => c.id).sort(compareBytewise), 'the same check ids');
  for (const c of upstream) {
    const r = rules.find((x) => x.id === c.id);
    if (!r) continue;
    t.equal(r.level, c.level, `${c.id}: level`);
    t.same(r.versions.map((v) => v.since), c.revisions, `${c.id}: a version entry at each upstream revision`);
    for (const v of r.versions) t.same(v.overrides, c.overrides, `${c.id}@v1.${v.since}: overrides`);
  }
  t.equal(evaluator.newestVersion, `v1.${Math.max(...upstream.flatMap((c) => c.revisions))}`, 'latest is the newest upstream revision');
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

// Upstream's registry (semantics note §1.1): at each minor version, the baseline revisions in
// force, and for restricted those a restricted revision in force does not override, plus the
// restricted ones; baseline ids byte-wise, then restricted ids byte-wise.
t.test('effective check lists per level and version, as upstream\'s registry builds them', { skip: spec.skip }, async (t) => {
  const upstream = upstreamCatalogue();
  const newest = Math.max(...upstream.flatMap((c) => c.revisions));
  const inForce = (c: UpstreamCheck, minor: number) => c.revisions.filter((r) => r <= minor).at(-1);
  for (let minor = 0; minor <= newest + 2; minor++) {
    const at = Math.min(minor, newest);
    const active = upstream.filter((c) => inForce(c, at) !== undefined);
    const ids = (cs: UpstreamCheck[]) => cs.map((c) => c.id).sort(compareBytewise).map((id) => `${id}@v1.${inForce(upstream.find((c) => c.id === id)!, at)}`);
    const base = ids(active.filter((c) => c.level === 'baseline'));
    const strict = active.filter((c) => c.level === 'restricted');
    const overridden = new Set(strict.flatMap((c) => c.overrides));
    const expected = {
      baseline: base,
      restricted: [...ids(active.filter((c) => c.level === 'baseline' && !overridden.has(c.id))), ...ids(strict)],
    };
    for (const level of ['baseline', 'restricted'] as const) {
      t.same(evaluator.resolvePolicy(level, `v1.${minor}`).checks.map((c) => `${c.id}@v1.${c.since}`), expected[level], `${level}:v1.${minor}`);
    }
  }
  t.same(evaluator.resolvePolicy('restricted', 'latest').checks, evaluator.resolvePolicy('restricted', `v1.${newest}`).checks, 'latest is the newest');
});

t.test('each level and version runs its baseline checks, then its restricted ones, each sorted byte-wise', async (t) => {
  for (const level of ['baseline', 'restricted']) {
    for (let minor = 0; minor <= evaluator.table.newestMinor + 3; minor++) {
      const list = evaluator.resolvePolicy(level, `v1.${minor}`).checks;
      const base = list.filter((c) => c.level === 'baseline').map((c) => c.id);
      const strict = list.filter((c) => c.level === 'restricted').map((c) => c.id);
      t.same(list.map((c) => c.id), [...[...base].sort(compareBytewise), ...[...strict].sort(compareBytewise)], `${level} v1.${minor}: byte-wise order`);
    }
  }
  t.same(evaluator.resolvePolicy('privileged', 'latest').checks, []);
});

t.test('versions newer than the newest known run as the newest, reported as written', async (t) => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', securityContext: { privileged: true } }] } };
  const r = evaluator.evaluate(pod, { level: 'baseline', version: 'v1.99' });
  t.equal(r.version, 'v1.99');
  t.equal(r.evaluatedVersion, evaluator.newestVersion);
  t.equal(evaluator.evaluate(pod, { level: 'baseline', version: 'latest' }).evaluatedVersion, evaluator.newestVersion);
  t.same(evaluator.resolvePolicy('restricted', 'v1.99').checks, evaluator.resolvePolicy('restricted', evaluator.newestVersion).checks);
});

// The volume types are the API's (Volume's fields but its name): the rule files list them twice,
// so each list is held to the types podsec decodes objects with (schemas/decode.schema.json).
t.test("the volume types the rules list are exactly the Volume's sources in the API types", async (t) => {
  const sources = volumeSourcesOfTheApi();
  t.ok(sources.includes('hostPath') && sources.includes('emptyDir'), `found the Volume type: ${sources.join(', ')}`);

  // defaulting.yaml: a volume that sets none of the sources (nothing but its name) becomes an
  // emptyDir; one with a key podsec does not know (a newer source) keeps it, and is "unknown".
  const restricted = (volume: Record<string, unknown>) => evaluator.evaluate({ spec: { containers: [{ name: 'a' }], volumes: [volume] } }, { level: 'restricted' })
    .violations.find((v) => v.checkId === 'restrictedVolumes')?.detail ?? 'allowed';
  t.equal(restricted({ name: 'v' }), 'allowed');
  t.equal(restricted({ name: 'v', hostPath: null }), 'allowed');
  t.equal(restricted({ name: 'v', aNewerSource: {} }), 'volume "v" uses restricted volume type "unknown"');
  for (const source of sources) {
    const stays = restricted({ name: 'v', [source]: {} });
    t.equal(stays === 'allowed' || stays.endsWith(`type "${source}"`), true, `${source}: not made an emptyDir (${stays})`);
  }

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

t.test('#containers walks the container lists whose names podsec check and podsec test require', async (t) => {
  const { CONTAINER_LISTS } = await import('../admission/extract.js');
  t.same(evaluator.table.scopes.containers!.def.paths, CONTAINER_LISTS.map((list) => `$.spec.${list}[*]`));
});
