// What rule authors need is documented: the keys they write (in the schema, so in editors and
// docs/rules.md), and a $schema line in the README that editors can follow.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { ruleSchema } from '../engine/schema.js';
import { run as runTest } from '../cli/commands/test.js';
import type { CliIO } from '../cli/io.js';
import { projectRoot } from './helpers/shared.js';

t.test('every key of a finding and of its record has a description', async (t) => {
  const finding = ruleSchema.properties.versions.items.properties.findings.additionalProperties as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
  for (const [key, schema] of Object.entries(finding.properties)) t.ok(schema.description, `finding.${key}`);
  const record = finding.properties.record!.properties!;
  t.same(Object.keys(record), ['fact', 'path', 'default', 'firstKeyOf', 'otherwise', 'format']);
  for (const [key, schema] of Object.entries(record)) t.ok(schema.description, `record.${key}`);
});

t.test("the README's custom rule points editors at the schema the npm package ships", async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const example = /### Custom rules[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const [first, ...rest] = example.split('\n');
  const schemaPath = /^# yaml-language-server: \$schema=(.+)$/.exec(first!)![1]!;
  // A project with the package installed, and the rule at my-rules/baseline/noLatestTag.yaml.
  const project = '/project';
  t.equal(resolve(project, 'my-rules', 'baseline', schemaPath), join(project, 'node_modules', 'podsec', 'schemas', 'rule.schema.json'));
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { name: string; files: string[] };
  t.equal(pkg.name, 'podsec');
  t.ok(pkg.files.includes('schemas') && existsSync(join(projectRoot, 'schemas', 'rule.schema.json')), 'the package ships schemas/rule.schema.json');
  const fixture = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  t.equal(rest.join('\n'), fixture.split('\n').slice(1).join('\n'), 'the rest of the example is the fixture');
});

t.test("the README's test cases are the fixture's, point editors at the shipped schema, and hold", async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const example = /`my-rules-tests\/noLatestTag\.yaml`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  const [first, ...rest] = example.split('\n');
  const schemaPath = /^# yaml-language-server: \$schema=(.+)$/.exec(first!)![1]!;
  t.equal(resolve('/project', 'my-rules-tests', schemaPath), join('/project', 'node_modules', 'podsec', 'schemas', 'cases.schema.json'));
  const fixture = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules-tests', 'noLatestTag.yaml'), 'utf8');
  t.equal(rest.join('\n'), fixture.split('\n').slice(1).join('\n'), 'the rest of the example is the fixture');
  // The output shown is what the command prints, in a project laid out as the README says.
  const shown = /\$ node bin\/podsec\.js test (--rules-dir my-rules my-rules-tests\/)\n([\s\S]*?)```/.exec(readme)!;
  const rule = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  const project = t.testdir({ 'my-rules': { baseline: { 'noLatestTag.yaml': rule } }, 'my-rules-tests': { 'noLatestTag.yaml': example } });
  let out = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: project };
  t.equal(await runTest(shown[1]!.split(' '), io), 0);
  t.equal(out, shown[2]);
});

t.test('editors validating with schemas/rule.schema.json mark what the loader refuses when it compiles, and nothing it takes', async (t) => {
  const { Ajv } = await import('ajv');
  const { parse } = await import('yaml');
  const { mkdtempSync, mkdirSync, readdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { createEvaluator, RuleLoadError } = await import('../engine/index.js');
  // As an editor's YAML extension would: draft-07, unknown formats and keywords tolerated.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(projectRoot, 'schemas', 'rule.schema.json'), 'utf8')));
  const ruleFiles = ['rules/baseline', 'rules/restricted', 'test/fixtures/custom-rules/baseline', 'test/fixtures/platform-rules/baseline', 'test/fixtures/platform-rules/restricted']
    .filter((d) => existsSync(join(projectRoot, d)))
    .flatMap((d) => readdirSync(join(projectRoot, d)).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
  t.ok(ruleFiles.length > 20, `${ruleFiles.length} rule files`);
  for (const f of ruleFiles) t.ok(validate(parse(readFileSync(join(projectRoot, f), 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`);

  const good = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8');
  const broken: [string, string][] = [
    ['a path without $', good.replace('{ path: "$.image", operator: matchesAny', '{ path: "image", operator: matchesAny')],
    ['a filter in a path', good.replace('{ path: "$.image", operator: matchesAny', '{ path: "$.x[?(@.ip)]", operator: matchesAny')],
    ['descent in a path', good.replace('{ path: "$.image", operator: matchesAny', '{ path: "$..image", operator: matchesAny')],
    ['a wildcard in a condition path', good.replace('{ path: "$.image", operator: matchesAny', '{ path: "$.env[*].name", operator: matchesAny')],
    ['a wildcard in record.path', good.replace('record: { path: "$.image"', 'record: { path: "$.env[*].name"')],
    ['present with a string', good.replace('{ path: "$.image", operator: matchesAny, value: ["*:latest"] }', '{ path: "$.image", operator: present, value: "yes" }')],
    ['in with a scalar', good.replace('{ path: "$.image", operator: matchesAny, value: ["*:latest"] }', '{ path: "$.image", operator: in, value: Default }')],
    ['matchesAny with numbers', good.replace('value: ["*:latest"]', 'value: [1]')],
    ['valueDefault without values', good.replace('        record:', '        valueDefault: ""\n        record:')],
  ];
  for (const [what, text] of broken) {
    t.notOk(validate(parse(text)), `the schema marks ${what}`);
    const dir = mkdtempSync(join(tmpdir(), 'podsec-editor-'));
    mkdirSync(join(dir, 'baseline'));
    writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), text);
    t.throws(() => createEvaluator({ rulesDirs: [dir] }), RuleLoadError, `the loader refuses ${what} too`);
  }
});
