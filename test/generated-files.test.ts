// schemas/*.schema.json and docs/rules.md are generated from the code and rules; they must not drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { schemaFiles } from '../engine/schema.js';
import { OPERATOR_NAMES } from '../engine/operators.js';
import { renderRulesReference } from '../cli/docs.js';
import { createEvaluator } from '../engine/index.js';
import { projectRoot } from './helpers/shared.js';

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
  t.equal(readFileSync(join(projectRoot, 'docs', 'rules.md'), 'utf8'), renderRulesReference(createEvaluator()));
});

t.test('schemas/decode.schema.json is up to date (node scripts/gen-decode-schema.mjs)', async (t) => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'gen-decode-schema.mjs'), '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
});
