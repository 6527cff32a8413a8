// schemas/report.schema.json and schemas/test-report.schema.json are generated from
// cli/report/model.ts and cli/report/test-model.ts (scripts/write-report-schema.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { LEVELS } from '../engine/api.js';
import { parseVersion } from '../engine/version.js';
import { projectRoot } from './helpers/shared.js';

const schema = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'report.schema.json'), 'utf8'));
const defs = schema.definitions;

t.test('the report schemas are what their models give (npm run schemas)', async (t) => {
  const r = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'write-report-schema.mjs'), '--check'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
});

t.test('every object in the report schema is closed, and says which fields it requires', async (t) => {
  const objects: [string, { type?: string; additionalProperties?: boolean; required?: string[]; properties?: Record<string, unknown> }][] = [
    ['report', schema], ['report.tool', schema.properties.tool], ['report.policy', schema.properties.policy], ...Object.entries(defs) as [string, never][],
  ];
  for (const [name, o] of objects) {
    t.equal(o.type, 'object', name);
    t.equal(o.additionalProperties, false, `${name} allows no other fields`);
    t.ok(o.required!.every((f) => Object.hasOwn(o.properties!, f)), `${name} requires only fields it has`);
  }
  t.same(defs.source.required, ['file', 'index', 'line', 'column'], 'optional fields are not required (source.items, renderedFrom)');
  t.same(defs.error.required, ['file', 'message', 'hint']);
});

t.test('every object in the test report schema is closed, and says which fields it requires', async (t) => {
  const testSchema = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'test-report.schema.json'), 'utf8'));
  const objects: [string, { type?: string; additionalProperties?: boolean; required?: string[]; properties?: Record<string, unknown> }][] = [
    ['report', testSchema], ['report.tool', testSchema.properties.tool], ...Object.entries(testSchema.definitions) as [string, never][],
  ];
  for (const [name, o] of objects) {
    t.equal(o.type, 'object', name);
    t.equal(o.additionalProperties, false, `${name} allows no other fields`);
    t.ok(o.required!.every((f) => Object.hasOwn(o.properties!, f)), `${name} requires only fields it has`);
  }
  t.same(testSchema.definitions.problem.required, ['message', 'hint'], 'a problem of the whole run has no file');
  t.same(testSchema.definitions.run.properties.level.enum, ['baseline', 'restricted']);
  t.equal(testSchema.title, 'podsec test --format json');
});

t.test("the report schema's levels are engine/api.ts's LEVELS", async (t) => {
  t.same(defs.levelVersion.properties.level.enum, [...LEVELS]);
  t.same(defs.resourcePolicy.properties.level.enum, [...LEVELS]);
  t.same(defs.evaluation.properties.level.enum, [...LEVELS]);
  t.same(schema.properties.policy.properties.level.enum, [...LEVELS, null], '--level, or null');
  t.same(defs.resourcePolicy.properties.mode.enum, ['enforce', 'warn', 'audit', null]);
  t.same(schema.properties.exitCode.enum, [0, 1, 2]);
});

t.test("the report schema's version patterns take what parseVersion takes", async (t) => {
  const requested = new RegExp(defs.levelVersion.properties.version.pattern);
  const evaluated = new RegExp(schema.properties.policy.properties.newestVersion.pattern);
  const evaluatedOrEmpty = new RegExp(defs.resourcePolicy.properties.evaluatedVersion.pattern);
  t.equal(defs.evaluation.properties.evaluatedVersion.pattern, evaluatedOrEmpty.source);
  for (const text of ['latest', 'v1.0', 'v1.29', 'v1.99', 'v1.1x', 'v1.029', 'v2.0', 'Latest', '', 'v1.']) {
    const valid = parseVersion(text).error === undefined;
    t.equal(requested.test(text), valid, `requested version ${JSON.stringify(text)}`);
    t.equal(evaluated.test(text), valid && text !== 'latest', `newest version ${JSON.stringify(text)}`);
    t.equal(evaluatedOrEmpty.test(text), (valid && text !== 'latest') || text === '', `evaluated version or none ${JSON.stringify(text)}`);
  }
});

t.test('descriptions come from the model\'s doc comments', async (t) => {
  const model = readFileSync(join(projectRoot, 'cli', 'report', 'model.ts'), 'utf8');
  const described = defs.location.properties.present.description as string;
  t.match(described, /^False when the field is absent/);
  t.ok(model.includes(described), 'the text is the comment\'s');
  t.equal(schema.title, 'podsec check --format json');
});
