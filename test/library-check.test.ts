// `podsec/check`: the check command's reading and judging as a function, for programs that embed
// podsec (an editor extension, a bot): the same report the command's JSON format gives.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import t from 'tap';
import { checkManifests, formatReport, type ManifestSource, type ReportFormat } from '../cli/library.js';
import { createEvaluator, PodsecArgumentError } from '../engine/index.js';
import { cli } from './helpers/cli.js';
import { compliantPod, ensureBuilt, projectRoot } from './helpers/shared.js';

const validateReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(projectRoot, 'schemas/report.schema.json'), 'utf8')));
const examples: ManifestSource[] = readdirSync(join(projectRoot, 'examples')).sort().map((name) => ({ file: `examples/${name}`, content: readFileSync(join(projectRoot, 'examples', name)) }));
const privileged = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext:\n      privileged: true\n`;

t.test("the report is the command's JSON report of the same files, and valid by its schema", async (t) => {
  const report = checkManifests(examples);
  t.ok(validateReport(report), JSON.stringify(validateReport.errors));
  const command = await cli(['check', '--format', 'json', ...examples.map((e) => e.file)]);
  t.equal(command.code, report.exitCode);
  t.same(JSON.parse(JSON.stringify(report)), JSON.parse(command.stdout));
  t.ok(report.summary.denied > 0 && report.summary.allowed > 0, 'the examples pass and fail');
  // Namespace labels in one input set the policy of objects in another, as in the command.
  t.ok(report.resources.some((r) => r.namespace === 'shop' && r.policy.enforce.level === 'baseline'));
});

t.test('the options are the flags', async (t) => {
  const pod = [{ file: 'p.yaml', content: privileged('p', 'team-a') }];
  t.equal(checkManifests(pod).exitCode, 1);
  const pinned = checkManifests(pod, { level: 'privileged', version: 'v1.25' });
  t.same([pinned.exitCode, pinned.policy.level, pinned.policy.version], [0, 'privileged', 'v1.25']);
  const namespaced = checkManifests([{ file: 'p.yaml', content: privileged('p') }], { namespace: 'team-b' });
  t.equal(namespaced.resources[0]!.namespace, 'team-b');
  const unknownField = [{ file: 'u.yaml', content: compliantPod('u').replace('spec:\n', 'spec:\n  hostNetwrk: true\n') }];
  t.equal(checkManifests(unknownField).exitCode, 2, 'strict by default');
  const warned = checkManifests(unknownField, { validate: 'warn' });
  t.same([warned.exitCode, warned.warnings.length], [0, 1]);
  const ignored = checkManifests(unknownField, { validate: 'ignore' });
  t.same([ignored.exitCode, ignored.warnings], [0, []]);
  const custom = createEvaluator();
  t.equal(checkManifests(pod, { evaluator: custom }).summary.denied, 1, 'an evaluator of the caller');
});

t.test('a configuration file: defaults and exemptions, as --config', async (t) => {
  const dir = t.testdir({
    'config.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\nexemptions:\n  namespaces: [kube-system]\n  usernames: [deployer]\n',
  });
  const config = join(dir, 'config.yaml');
  const report = checkManifests([{ file: 'a.yaml', content: privileged('a', 'kube-system') + '---\n' + privileged('b', 'apps') }], { configFile: config });
  t.same(report.resources.map((r) => [r.name, r.allowed, r.exempt ?? null]), [['a', true, 'namespace'], ['b', false, null]]);
  t.equal(report.policy.config, config);
  t.equal(checkManifests([{ file: 'b.yaml', content: privileged('b', 'apps') }], { configFile: config, user: 'deployer' }).exitCode, 0, 'an exempt user');
  t.throws(() => checkManifests([], { configFile: join(dir, 'missing.yaml') }), { name: 'PodsecArgumentError', message: /^cannot read the configuration file .*missing\.yaml/ });
  // What the configuration warns of is in the report, as with --config.
  const noPlugin = join(t.testdir({ 'admission.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: []\n' }), 'admission.yaml');
  const warned = checkManifests([{ file: 'a.yaml', content: privileged('a', 'apps') }], { configFile: noPlugin });
  t.match(warned.warnings, [{ file: noPlugin, message: /no plugin entry is named "PodSecurity"/, hint: 'the configuration is used as the API server would use it' }]);
  const command = await cli(['check', '--format', 'json', '--config', noPlugin, '-'], { stdin: privileged('a', 'apps') });
  t.same(JSON.parse(command.stdout).warnings, JSON.parse(JSON.stringify(warned.warnings)), "the command's warnings");
  const bad = join(t.testdir({ 'bad.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: strict\n' }), 'bad.yaml');
  t.throws(() => checkManifests([], { configFile: bad }), { name: 'PodsecArgumentError', message: /strict/ });
});

t.test("the rules' warnings are in the report, as --rules-dir puts them", async (t) => {
  const dir = t.testdir({
    rules: { baseline: {
      'hostNetString.yaml': [
        'schemaVersion: 1', 'id: hostNetString', 'level: baseline', 'title: Host network as text', 'summary: A boolean compared with a string.',
        'standard: https://example.com/p', 'versions:', '  - since: v1.0', '    findings:', '      pod:', '        in: "#pod"',
        '        when: { path: "$.hostNetwork", operator: equal, value: "true" }', '    message:', '      reason: host network', '',
      ].join('\n'),
    } },
    'p.yaml': compliantPod('p'),
  });
  const report = checkManifests([{ file: 'p.yaml', content: compliantPod('p') }], { evaluator: createEvaluator({ rulesDirs: [join(dir, 'rules')] }) });
  t.match(report.warnings, [{ file: /rules\/baseline\/hostNetString\.yaml$/, line: 12, column: 23, message: /it is a boolean, so "equal" with the string "true" never holds/ }]);
  const command = await cli(['check', '--format', 'json', '--rules-dir', join(dir, 'rules'), 'p.yaml'], { cwd: dir });
  t.same(JSON.parse(JSON.stringify(report.warnings)), JSON.parse(command.stdout).warnings, "the command's warnings");
});

t.test('bad input is an error in the report, and the rest is still judged', async (t) => {
  const report = checkManifests([
    { file: 'broken.yaml', content: 'apiVersion: v1\nkind: Pod\nmetadata: [\n' },
    { file: 'binary.yaml', content: new Uint8Array([0, 1, 2, 0xff, 0xfe, 0]) },
    { file: 'good.yaml', content: compliantPod('good') },
  ]);
  t.equal(report.exitCode, 2);
  t.same(report.errors.map((e) => e.file), ['broken.yaml', 'binary.yaml']);
  t.ok(report.errors.every((e) => e.line !== undefined && e.message !== '' && e.hint !== ''), 'each says where and what to do');
  t.same(report.resources.map((r) => [r.name, r.allowed]), [['good', true]]);
});

t.test('bad arguments throw PodsecArgumentError saying what is wrong', async (t) => {
  const cases: [unknown, unknown, RegExp][] = [
    ['x.yaml', {}, /^manifests must be a list of \{ file, content \}/],
    [[{ file: '', content: '' }], {}, /^manifests\[0\] must be \{ file, content \} with a file name/],
    [[{ file: 'a.yaml', content: 5 }], {}, /^manifests\[0\]\.content \(a\.yaml\) must be a string or a Uint8Array/],
    [[], { level: 'Restricted' }, /^invalid level "Restricted"/],
    [[], { version: 'v2.0' }, /^invalid version "v2\.0"/],
    [[], { namespace: 'Team_A' }, /^invalid namespace "Team_A": a namespace name is/],
    [[], { user: '' }, /^user must be a user name/],
    [[], { validate: 'yes' }, /^option validate must be strict, warn or ignore/],
    [[], { levle: 'baseline' }, /^unknown option "levle": the options are evaluator, level, version, namespace, user, configFile, validate$/],
    [[], { evaluator: {} }, /^option evaluator must be an evaluator from createEvaluator\(\)/],
    [[], null, /^options must be an object/],
  ];
  for (const [manifests, options, message] of cases) {
    t.throws(() => checkManifests(manifests as ManifestSource[], options as object), { name: 'PodsecArgumentError', message }, String(message));
  }
  t.throws(() => checkManifests([], { level: 'x' as 'baseline' }), PodsecArgumentError);
});

t.test("formatReport writes each format as the command does", async (t) => {
  // Relative file names are taken from the current directory, as the command's are from its own.
  t.equal(process.cwd(), projectRoot, 'the tests run from the project');
  const report = checkManifests(examples);
  for (const format of ['text', 'json', 'sarif', 'github', 'junit'] as ReportFormat[]) {
    const command = await cli(['check', '--format', format, '--sarif-root', projectRoot, ...examples.map((e) => e.file)]);
    t.equal(formatReport(report, format, { root: projectRoot }), command.stdout, format);
  }
  const sarif = JSON.parse(formatReport(report, 'sarif'));
  t.ok(sarif.runs[0].results.length > 0 && sarif.runs[0].results.every((r: { locations: { physicalLocation: { region: { snippet?: unknown } } }[] }) => r.locations[0]!.physicalLocation.region.snippet),
    'results quote the offending lines of the texts given');
  // A report read back from JSON has no texts to quote: the same results, without their lines.
  const reread = JSON.parse(formatReport(JSON.parse(JSON.stringify(report)), 'sarif'));
  t.equal(reread.runs[0].results.length, sarif.runs[0].results.length);
  t.notOk(reread.runs[0].results.some((r: { locations: { physicalLocation: { region: { snippet?: unknown } } }[] }) => r.locations[0]!.physicalLocation.region.snippet));
  // The root is GITHUB_WORKSPACE's by default, as the command's.
  const workspace = process.env.GITHUB_WORKSPACE;
  process.env.GITHUB_WORKSPACE = join(projectRoot, 'examples');
  try {
    t.match(formatReport(report, 'github'), /^::error file=debug-pod\.yaml,line=\d+/m, 'names relative to GITHUB_WORKSPACE');
  } finally {
    if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = workspace;
  }
  t.match(formatReport(report, 'text', { color: true }), /\x1b\[31m/, 'colour when asked');
  t.notMatch(formatReport(report, 'text'), /\x1b\[/, 'none by default');
  const quiet = formatReport(report, 'text', { quiet: true });
  const passed = report.resources.find((r) => r.allowed)!;
  t.match(formatReport(report, 'text'), `${passed.kind} ${passed.namespace}/${passed.name}`);
  t.notMatch(quiet, `${passed.kind} ${passed.namespace}/${passed.name}`, 'quiet leaves out what passed');
});

t.test("formatReport's SARIF describes the rules the report was judged by", async (t) => {
  const dir = t.testdir({ rules: { restricted: {
    'noLatestTag.yaml': [
      'schemaVersion: 1', 'id: noLatestTag', 'level: restricted', 'title: No latest tag', 'summary: Images are pinned.',
      'standard: https://example.com/images', 'versions:', '  - since: v1.0', '    findings:', '      container:', '        in: "#containers"',
      '        when: { path: "$.image", operator: matchesAny, value: ["*:latest"] }', '    message:', '      reason: latest tag', '',
    ].join('\n'),
  } } });
  const evaluator = createEvaluator({ rulesDirs: [join(dir, 'rules')] });
  const pod = [{ file: 'p.yaml', content: compliantPod('p').replace(/image: \S+/, 'image: nginx:latest') }];
  const report = checkManifests(pod, { evaluator });
  t.same(report.resources[0]!.violations.map((v) => v.checkId), ['noLatestTag']);
  const rules = (sarif: string) => JSON.parse(sarif).runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
  t.ok(rules(formatReport(report, 'sarif')).includes('noLatestTag'), 'the evaluator checkManifests used');
  const reread = JSON.parse(JSON.stringify(report));
  t.notOk(rules(formatReport(reread, 'sarif')).includes('noLatestTag'), 'a report from elsewhere: the bundled rules');
  t.ok(rules(formatReport(reread, 'sarif', { evaluator })).includes('noLatestTag'), 'unless given its evaluator');
});

t.test('formatReport refuses bad arguments, saying what is wrong', async (t) => {
  const report = checkManifests([{ file: 'p.yaml', content: compliantPod('p') }]);
  const cases: [unknown, unknown, unknown, RegExp][] = [
    [null, 'text', {}, /^report must be a report of checkManifests/],
    [{ resources: 3 }, 'text', {}, /^report must be a report of checkManifests/],
    [report, 'xml', {}, /^format must be text, json, sarif, github, junit, not "xml"/],
    [report, 'text', { colour: true }, /^unknown option "colour": the options are color, quiet, root, evaluator$/],
    [report, 'text', { color: 'yes' }, /^option color must be true or false, not "yes"/],
    [report, 'sarif', { root: '' }, /^option root must be a directory path/],
    [report, 'sarif', { evaluator: {} }, /^option evaluator must be an evaluator from createEvaluator\(\)/],
    [report, 'text', 'quiet', /^options must be an object/],
  ];
  for (const [r, format, options, message] of cases) {
    t.throws(() => formatReport(r as never, format as ReportFormat, options as object), { name: 'PodsecArgumentError', message }, String(message));
  }
});

t.test("the package's podsec/check export is this function, built", async (t) => {
  ensureBuilt();
  const built = (await import('podsec/check')) as typeof import('../cli/library.js');
  const report = built.checkManifests([{ file: 'p.yaml', content: privileged('p') }], { level: 'baseline' });
  t.same([report.exitCode, report.resources[0]!.violations.map((v) => v.checkId)], [1, ['privileged']]);
  t.match(built.formatReport(report, 'text'), /privileged/);
});
