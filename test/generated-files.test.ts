// schemas/*.schema.json and docs/rules.md are generated from the code and rules; they must not drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { schemaFiles } from '../engine/schema.js';
import { OPERATOR_NAMES } from '../engine/operators.js';
import { renderRulesReference } from '../cli/docs.js';
import { createEvaluator } from '../engine/index.js';
import { podSpecKind, POD_SPEC_KINDS } from '../admission/extract.js';
import { projectRoot } from './helpers/shared.js';
import { readCaseFiles } from './helpers/cases.js';

const evaluator = createEvaluator();

t.test('generated schema files are up to date (npm run schemas)', async (t) => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    t.equal(readFileSync(join(projectRoot, 'schemas', name), 'utf8'), text, name);
  }
});

t.test('the rule schema lists exactly the engine operators', async (t) => {
  const schema = JSON.parse(schemaFiles()['rule.schema.json']!);
  const leaf = schema.$defs.condition.else.else.else;
  t.same(leaf.properties.operator.enum, OPERATOR_NAMES);
});

t.test('docs/rules.md is up to date (npm run docs)', async (t) => {
  t.equal(readFileSync(join(projectRoot, 'docs', 'rules.md'), 'utf8'), renderRulesReference(evaluator, readCaseFiles(evaluator)));
});

t.test('schemas/decode.schema.json is up to date (node scripts/gen-decode-schema.mjs)', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'gen-decode-schema.mjs'), '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
});

t.test('the docs name the API versions decode.schema.json was generated from', async (t) => {
  const description: string = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'decode.schema.json'), 'utf8')).description;
  const [, types, client, release] = /kubernetes-types (\S+),.*@kubernetes\/client-node (\S+) \(Kubernetes (\S+)'s API\)/.exec(description) ?? [];
  t.ok(release, `the schema's description names its sources: ${description}`);
  const typesRelease = types!.split('.').slice(0, 2).join('.');
  for (const doc of ['cli.md', 'webhook.md']) {
    const text = readFileSync(join(projectRoot, 'docs', doc), 'utf8').replace(/\s+/g, ' ');
    t.match(text, `\`kubernetes-types\` package (Kubernetes ${typesRelease}'s API)`, `docs/${doc} names kubernetes-types' release`);
    t.match(text, `\`@kubernetes/client-node\` ${client} (Kubernetes ${release}'s API`, `docs/${doc} names the client models' release`);
  }
  t.match(readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8').replace(/\s+/g, ' '), `Fields added to Kubernetes after ${release} are unknown`);
});

t.test("decode.schema.json's roots are the pod-spec kinds of admission/extract.ts, in their groups, and Namespace", async (t) => {
  const { roots } = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'decode.schema.json'), 'utf8')) as { roots: Record<string, string> };
  const want = Object.fromEntries([...POD_SPEC_KINDS, 'Namespace'].map((kind) => [kind, `#/$defs/${podSpecKind(kind)?.group || 'core'}.v1.${kind}`]));
  t.same(roots, want);
});
