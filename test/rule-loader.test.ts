// Loading user rule directories: good files extend or replace the bundled checks; broken files
// are reported all at once, with file, line, column, what is wrong and what to write instead.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import t from 'tap';
import { createEvaluator, RuleLoadError, type RuleProblem } from '../engine/index.js';
import { RESERVED_CHECK_IDS } from '../engine/load.js';
import { defaultingSchema, PATTERN_HINTS, ruleSchema, scopesSchema } from '../engine/schema.js';
import { NAMESPACE_RULE } from '../cli/report/model.js';
import { projectRoot } from './helpers/shared.js';

const customDir = join(projectRoot, 'test', 'fixtures', 'custom-rules');
const good = readFileSync(join(customDir, 'baseline', 'noLatestTag.yaml'), 'utf8');
const CASES = readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules-tests', 'noLatestTag.yaml'), 'utf8');

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-rules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The problems of loading rulesDirs, with paths relative to root. */
function problemsOf(rulesDirs: string[], root: string): string[] {
  try {
    createEvaluator({ rulesDirs });
    return [];
  } catch (e) {
    if (!(e instanceof RuleLoadError)) throw e;
    const strip = (text: string) => text.split(root + '/').join('');
    return e.problems.map((p: RuleProblem) => strip(`${p.file.slice(p.file.indexOf(root) + root.length + 1)}:${p.line}:${p.column}: ${p.message} | ${p.hint}`));
  }
}

function load(files: Record<string, string>): { dir: string; problems: string[] } {
  const dir = write(files);
  return { dir, problems: problemsOf([dir], dir) };
}

t.test('a custom rule adds a check to its level', async (t) => {
  const evaluator = createEvaluator({ rulesDirs: [customDir] });
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:latest' }, { name: 'b', image: 'nginx' }, { name: 'c', image: 'nginx:1.27' }, { name: 'd', image: 'reg:5000/nginx' }, { name: 'e', image: 'reg:5000/team/nginx:1.27' }, { name: 'f', image: 'reg:5000/nginx@sha256:0a1b' }] } };
  const r = evaluator.evaluate(pod, { level: 'baseline' });
  t.same(r.violations.map((v) => [v.checkId, v.reason, v.detail]), [['noLatestTag', 'unpinned image', 'containers "a", "b", "d" must pin "nginx", "nginx:latest", "reg:5000/nginx" to a tag or digest']]);
  t.ok(evaluator.resolvePolicy('restricted', 'latest').checks.some((c) => c.id === 'noLatestTag'), 'restricted includes the new baseline check');
  t.notOk(createEvaluator().resolvePolicy('baseline', 'latest').checks.some((c) => c.id === 'noLatestTag'), 'bundled tables unchanged');
});

t.test('a bundled directory without scopes.yaml is told so once, not once per scope its rules name', async (t) => {
  // A rules directory passed as bundledDir by mistake.
  const dir = write({ 'baseline/noLatestTag.yaml': good });
  let problems: RuleProblem[] = [];
  try {
    createEvaluator({ bundledDir: dir });
  } catch (e) {
    if (!(e instanceof RuleLoadError)) throw e;
    problems = e.problems;
  }
  t.same(problems.map((p) => [relative(dir, p.file), p.message, p.hint]), [['scopes.yaml', 'missing scopes file', 'the bundled rules directory must contain scopes.yaml']]);
});

t.test('hidden files in a level folder are not rules: an editor\'s lock or backup, or one kept out', async (t) => {
  const { dir } = load({ [`baseline/noLatestTag.yaml`]: good, 'baseline/.hidden.yaml': 'not: [a rule' });
  // Emacs's lock while the rule is edited: a link to nothing.
  symlinkSync('user@host.1234:1700000000', join(dir, 'baseline', '.#noLatestTag.yaml'));
  t.same(problemsOf([dir], dir), []);
  const r = createEvaluator({ rulesDirs: [dir] }).evaluate({ metadata: {}, spec: { containers: [{ name: 'a', image: 'x:latest' }] } }, { level: 'baseline' });
  t.same(r.violations.map((v) => v.reason), ['unpinned image'], 'the rule itself is read');
});

t.test('a field two findings of one rule both flag is one location', async (t) => {
  const rule = `schemaVersion: 1
id: imagePolicy
level: baseline
title: Image policy
summary: Images come from our registry, without the latest tag.
standard: https://example.com/images
versions:
  - since: v1.0
    findings:
      latest:
        in: "#containers"
        when: { path: "$.image", operator: matchesAny, value: ["*:latest"] }
        record: { path: "$.image" }
      foreign:
        in: "#containers"
        when: { path: "$.image", operator: matchesNone, value: ["reg.example.com/*"] }
        record: { path: "$.image" }
    message:
      reason: image policy
      detail:
        join: "; "
        parts:
          - when: [latest]
            text: '{{setters latest}} must not use {{values latest}}'
          - when: [foreign]
            text: '{{setters foreign}} must pull from reg.example.com, not {{values foreign}}'
`;
  const { dir, problems } = load({ 'baseline/imagePolicy.yaml': rule });
  t.same(problems, []);
  const r = createEvaluator({ rulesDirs: [dir] }).evaluate({ metadata: {}, spec: { containers: [{ name: 'a', image: 'nginx:latest' }, { name: 'b', image: 'reg.example.com/b:latest' }] } }, { level: 'baseline' });
  const v = r.violations.find((x) => x.checkId === 'imagePolicy')!;
  t.equal(v.detail, 'containers "a", "b" must not use "nginx:latest", "reg.example.com/b:latest"; container "a" must pull from reg.example.com, not "nginx:latest"');
  t.same(v.fields, [['spec', 'containers', 0, 'image'], ['spec', 'containers', 1, 'image']], 'each image once');
});

t.test('a custom rule replaces a bundled one by id', async (t) => {
  const replacement = good.replace(/noLatestTag/g, 'privileged').replace('unpinned image', 'custom privileged');
  const { dir, problems } = load({ 'baseline/privileged.yaml': replacement });
  t.same(problems, []);
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  const r = evaluator.evaluate({ metadata: {}, spec: { containers: [{ name: 'a', image: 'x:latest', securityContext: { privileged: true } }] } }, { level: 'baseline' });
  t.same(r.violations.map((v) => v.reason), ['custom privileged']);
});

const edit = (from: string | RegExp, to: string) => good.replace(from, to);
const F = 'baseline/noLatestTag.yaml';
// Two version entries; the second changes a set the first declares.
const twoVersions = good.replace('["*:latest"]', '{ set: tags }').replace('    findings:', '    sets:\n      tags: ["*:latest"]\n    findings:') + '  - since: v1.30\n    sets:\n      tags: { add: ["*:dev"] }\n';
const FIRST_ENTRY = 'later entries inherit them; the first one has nothing to inherit from';
const cases: [string, Record<string, string>, string[]][] = [
  ['id differs from file name', { [F]: edit('id: noLatestTag', 'id: other') }, [`${F}:3:5: id "other" does not match the file name "noLatestTag.yaml" | rename the file to other.yaml, or set id: noLatestTag`]],
  ['id differs from a file name that is no id', { 'baseline/no-latest-tag.yaml': good }, ['baseline/no-latest-tag.yaml:3:5: id "noLatestTag" does not match the file name "no-latest-tag.yaml" | rename the file to noLatestTag.yaml']],
  ['level differs from folder', { 'restricted/noLatestTag.yaml': good }, ['restricted/noLatestTag.yaml:4:8: level "baseline" does not match the folder "restricted/" | move the file to baseline/, or set level: restricted']],
  ['YAML syntax error', { [F]: edit('title: Pinned images', 'title: [unclosed') }, [`${F}:6:1: YAML syntax error: a list in [ ] that is not closed, or has a line indented no further than its key | close it with "]", and indent the lines inside it further than the key it belongs to`]],
  ['duplicate key', { [F]: edit('title: Pinned images', 'title: a\ntitle: b') }, [`${F}:6:1: YAML syntax error: key "title" is given twice in this mapping | remove one of the two entries`]],
  ['unknown key', { [F]: edit('    message:', '    mesage: x\n    message:') }, [`${F}:22:5: unknown key "mesage" in versions[0] | remove it, or use one of: since, note, overrides, exemptWhen, sets, findings, message`]],
  ['a required key misspelt', { [F]: edit('title: Pinned images', 'titel: Pinned images') }, [`${F}:2:1: the file is missing "title" | is "titel" meant to be "title"? Write title: …`, `${F}:5:1: unknown key "titel" in the file | did you mean "title"?`]],
  ['unknown operator', { [F]: edit('operator: matchesAny', 'operator: matches') }, [`${F}:15:44: versions[0].findings.containers.when.any[0].operator must be one of the allowed values, not "matches" | write one of: contains, doesNotContain, equal, greaterThan, greaterThanInclusive, hasAnyKey, hasNoKey, hasOnlyKeys, in, lessThan, lessThanInclusive, matchesAny, matchesNone, notEqual, notIn, present, startsWith`]],
  ['malformed version', { [F]: edit('since: v1.0', 'since: v1.05') }, [`${F}:9:12: versions[0].since is "v1.05", which has the wrong form | write a policy version like v1.25 (no leading zeros, no patch number)`]],
  ['.inf as a default', { [F]: edit('default: ""', 'default: .inf') }, [`${F}:21:45: versions[0].findings.containers.record.default is .inf, which is not a number a rule can hold | write a finite number`]],
  ['version as a number', { [F]: edit('since: v1.0', 'since: 1.25') }, [`${F}:9:12: versions[0].since must be of type string | write a policy version like v1.25 (no leading zeros, no patch number)`]],
  ['far-future version', { [F]: twoVersions.replace('since: v1.30', 'since: v1.100000000') }, [`${F}:27:12: since v1.100000000 is beyond v1.999, the newest policy version a rule may name | write the Kubernetes minor version the change comes with (about three a year; v1.999 at most)`]],
  ['versions out of order', { [F]: good + '  - since: v1.30\n  - since: v1.20\n' }, [`${F}:26:12: versions must be strictly increasing: v1.20 comes after v1.30 | order the entries by "since", oldest first, each version once`]],
  ['a version given twice', { [F]: good + '  - since: v1.30\n  - since: v1.30\n' }, [`${F}:26:12: versions must be strictly increasing: since v1.30 is given twice (versions[1] and versions[2]) | merge the two entries into one, or give this one the version it is meant for`]],
  ['unknown scope', { [F]: edit('"#containers"', '"#containerz"') }, [`${F}:12:13: unknown scope "#containerz" | use one of: #pod, #containers, #volumes, #annotations`]],
  ['unknown value set', { [F]: edit('["*:latest"]', '{ set: tags }') }, [`${F}:15:63: unknown value set "tags" | declare it under "sets" in this version or an earlier one`]],
  ['template names no finding', { [F]: edit('{{setters containers}}', '{{setters images}}') }, [`${F}:24:15: "{{setters images}}" names no finding "images" | use one of: containers`]],
  ...['values', 'list', 'sorted'].map((fn): [string, Record<string, string>, string[]] => [`{{${fn}}} of a finding that records nothing`, { [F]: edit('        record: { path: "$.image", default: "" }\n', '').replace('{{values containers}}', `{{${fn} containers}}`) }, [
    `${F}:23:15: "{{${fn} containers}}" shows the values of finding "containers", which records none | add record: { path: "$.field" } to finding containers (the field whose value to show), or name its subjects with {{setters containers}}`,
  ]]),
  ['{{plural values}} of a finding that records nothing', { [F]: edit('        record: { path: "$.image", default: "" }\n', '').replace('reason: unpinned image', 'reason: \'{{plural values containers "image" "images"}}\'') }, [
    `${F}:22:15: "{{plural values containers "image" "images"}}" shows the values of finding "containers", which records none | add record: { path: "$.field" } to finding containers (the field whose value to show), or name its subjects with {{setters containers}}`,
    // The detail's problem too, at once: it is compiled apart from the reason.
    `${F}:23:15: "{{values containers}}" shows the values of finding "containers", which records none | add record: { path: "$.field" } to finding containers (the field whose value to show), or name its subjects with {{setters containers}}`,
  ]],
  ['unknown template function', { [F]: edit('{{values containers}}', '{{quoted containers}}') }, [`${F}:24:15: unknown template function "quoted" | use one of: setters, values, sorted, list, plural, parts`]],
  ['unsupported path syntax', { [F]: edit('{ path: "$.image", operator: matchesAny', '{ path: "$..image", operator: matchesAny') }, [`${F}:15:23: invalid path "$..image": recursive descent ("..") is not supported; spell the path out | write "$" followed by .key, ['quoted.key'] (or ["quoted.key"]), [N] (an index), [*] or .* (every item), where {name} in a key stands for the subject's name, such as "$.securityContext.privileged"`]],
  ['malformed path', { [F]: edit('record: { path: "$.image",', 'record: { path: "$.image[0:1]",') }, [`${F}:21:25: invalid path "$.image[0:1]": slices ([0:1]) are not supported | walk every item with [*], or name one with [N]`]],
  ['wildcard in a condition path', { [F]: edit('{ path: "$.image", operator: matchesAny', '{ path: "$.ports[*].name", operator: matchesAny') }, [`${F}:15:23: a condition path cannot contain wildcards ("$.ports[*].name") | walk lists with a finding's "in" or "values" instead`]],
  ['overrides in a baseline rule', { [F]: edit('  - since: v1.0\n', '  - since: v1.0\n    overrides: [privileged]\n') }, [`${F}:10:16: only restricted checks may override other checks | remove "overrides", or move the rule to restricted/`]],
  ['override of an unknown check', { 'restricted/noLatestTag.yaml': edit('level: baseline', 'level: restricted').replace('  - since: v1.0\n', '  - since: v1.0\n    overrides: [nope]\n') }, ['restricted/noLatestTag.yaml:10:17: overrides unknown check "nope" | name a baseline check id']],
  ['override of a restricted check', { 'restricted/noLatestTag.yaml': edit('level: baseline', 'level: restricted').replace('  - since: v1.0\n', '  - since: v1.0\n    overrides: [runAsNonRoot]\n') }, ['restricted/noLatestTag.yaml:10:17: "runAsNonRoot" is not a baseline check | a restricted check may override only baseline checks']],
  ['first version without findings', { [F]: edit(/    findings:[\s\S]*(?=    message:)/, '') }, [`${F}:9:5: the first version entry must define "findings" | ${FIRST_ENTRY}`]],
  ['first version without message: no false follow-on errors', { [F]: twoVersions.replace(/    message:\n.*\n.*\n/, '') }, [`${F}:9:5: the first version entry must define "message" | ${FIRST_ENTRY}`]],
  ['first version without findings and message: both said', { [F]: twoVersions.replace(/    findings:[\s\S]*?(?=  - since: v1.30)/, '') }, [`${F}:9:5: the first version entry must define "findings" | ${FIRST_ENTRY}`, `${F}:9:5: the first version entry must define "message" | ${FIRST_ENTRY}`]],
  ['operator value of the wrong type', { [F]: edit('["*:latest"]', '5') }, [`${F}:15:63: operator "matchesAny" needs a list of strings or { set: NAME } as its value (got a number) | write a list of strings or { set: NAME }, for example value: ["a", "b*"]`]],
  ['operator value: a list item of the wrong type', { [F]: edit('["*:latest"]', '["*:latest", 5]') }, [`${F}:15:63: operator "matchesAny" needs a list of strings or { set: NAME } as its value (got a list holding a number) | write a list of strings or { set: NAME }, for example value: ["a", "b*"]`]],
  ['operator value: a list for a single value', { [F]: edit('operator: matchesAny, value: ["*:latest"]', 'operator: equal, value: [a, b]') }, [`${F}:15:58: operator "equal" needs one string, number or boolean as its value (got a list) | write one string, number or boolean, for example value: RuntimeDefault`]],
  ['numeric operator: a value that is no quantity', { [F]: edit('operator: matchesAny, value: ["*:latest"]', 'operator: greaterThan, value: "2 cores"') }, [`${F}:15:64: operator "greaterThan": "2 cores" is neither a number nor a Kubernetes quantity | write a number (2, 1.5) or a quantity such as "500m" or "128Mi"`]],
  ['numeric operator: a value of the wrong type', { [F]: edit('operator: matchesAny, value: ["*:latest"]', 'operator: lessThan, value: true') }, [`${F}:15:61: operator "lessThan" needs a number or a quantity as its value (got a boolean) | write a number or a quantity, for example value: "500m"`]],
  ['exemptWhen leaf without a fact', { [F]: edit('  - since: v1.0\n', '  - since: v1.0\n    exemptWhen: { path: "$.spec.os.name", operator: equal, value: windows }\n') }, [`${F}:10:17: this condition names no fact, so it reads "element" (the subject), which is not available here | add fact: pod`]],
  ['exemptWhen leaf with a fact it does not have', { [F]: edit('  - since: v1.0\n', '  - since: v1.0\n    exemptWhen: { fact: element, path: "$.spec.os.name", operator: equal, value: windows }\n') }, [`${F}:10:25: fact "element" is not available here | use one of: pod`]],
  ['operator value: a fact reference', { [F]: edit('["*:latest"]', '{ fact: pod, path: "$.metadata.name" }') }, [`${F}:15:63: comparing to another fact is not supported (value: { fact: … }) | compare with a constant, a list or { set: NAME }`]],
  ['binary rule file', { [F]: '\x00\x01\x02' }, [`${F}:1:1: the file holds binary data (a NUL byte here), not YAML text | name a YAML file`]],
  ['control character in a rule file', { [F]: edit('title: Pinned images', 'title: Pinned\x1b[31m images') }, [`${F}:5:14: a control character (U+001B) here, which YAML text may not hold | remove it, or write it as an escape in a double-quoted string ("\\x01")`]],
  ['empty rule file', { [F]: '# nothing yet\n' }, [`${F}:1:1: the file is empty | write a rule (schemaVersion, id, level, title, summary, standard, versions)`]],
  ['empty scopes file', { [F]: good, 'scopes.yaml': '' }, ['scopes.yaml:1:1: the file is empty | write the scopes (schemaVersion, scopes)']],
  ['rule file outside a level folder', { 'noLatestTag.yaml': good }, ['noLatestTag.yaml:1:1: rule file outside a level folder | move it into baseline/ or restricted/ (the folder names the level)']],
  ['manifests given as the rules directory', { [F]: good, 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', 'app.yaml': 'apiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n' }, [
    'app.yaml:1:1: Kubernetes manifest in the rules directory | a rules directory holds baseline/ and restricted/ with rule files; manifests are checked with podsec check --rules-dir DIR PATH (are the two swapped?)',
    'pod.yaml:1:1: Kubernetes manifest in the rules directory | a rules directory holds baseline/ and restricted/ with rule files; manifests are checked with podsec check --rules-dir DIR PATH (are the two swapped?)',
  ]],
  ['test cases in the rules directory: told apart from rules', { [F]: good, 'cases.yaml': CASES, 'baseline/cases.yaml': CASES }, [
    'cases.yaml:1:1: test case file in the rules directory | keep test cases outside the rules directory, and run them with podsec test --rules-dir DIR CASES',
    'baseline/cases.yaml:2:1: this is a test case file, not a rule | keep test cases outside the rules directory, and run them with podsec test --rules-dir DIR CASES',
  ]],
  ['misnamed level folder', { 'Restricted/x.yaml': good, 'restriced/y.yaml': good, 'basline/z.yml': good }, [
    'Restricted:1:1: folder "Restricted/" is not a level folder, so its rule files are not read | did you mean restricted/? Rename the folder (the folder names the level)',
    'basline:1:1: folder "basline/" is not a level folder, so its rule files are not read | did you mean baseline/? Rename the folder (the folder names the level)',
    'restriced:1:1: folder "restriced/" is not a level folder, so its rule files are not read | did you mean restricted/? Rename the folder (the folder names the level)',
  ]],
  ['unknown folder with rule files', { [F]: good, 'foo/x.yaml': good, 'notes/README.md': 'not read', '.git/config.yaml': '' }, ['foo:1:1: folder "foo/" is not a level folder, so its rule files are not read | move its rule files into baseline/ or restricted/ (the folder names the level), and keep other YAML (examples, tests) outside the rules directory']],
  ['scopes file with the .yml extension', { [F]: good, 'scopes.yml': '' }, ['scopes.yml:1:1: "scopes.yml" is not read | rename it to scopes.yaml']],
  // The scopes such a file defines are not also called unknown where rules use them.
  ['a scope defined in scopes.yml', { [F]: edit('"#containers"', '"#images"'), 'scopes.yml': 'schemaVersion: 1\nscopes:\n  images: { path: "$.spec.containers[*]", name: "$.name" }\n' }, ['scopes.yml:1:1: "scopes.yml" is not read | rename it to scopes.yaml']],
  ['a scope defined in a scopes.yaml YAML cannot read', { [F]: edit('"#containers"', '"#images"'), 'scopes.yaml': 'schemaVersion: 1\nscopes: [unclosed\n' }, ['scopes.yaml:3:1: YAML syntax error: a list in [ ] that is not closed, or has a line indented no further than its key | close it with "]", and indent the lines inside it further than the key it belongs to']],
  ['missing required key', { [F]: edit(/summary: .*\n/, '') }, [`${F}:2:1: the file is missing "summary" | add summary: …`]],
  ['every problem at once, across files', { [F]: edit('level: baseline', 'level: basline').replace('since: v1.0', 'since: 1.0'), 'baseline/second.yaml': good.replace(/noLatestTag/g, 'second').replace('"#containers"', '"#nope"') }, [
    `${F}:4:8: level must be one of the allowed values, not "basline" | write one of: baseline, restricted`,
    `${F}:9:12: versions[0].since must be of type string | write a policy version like v1.25 (no leading zeros, no patch number)`,
    'baseline/second.yaml:12:13: unknown scope "#nope" | use one of: #pod, #containers, #volumes, #annotations',
  ]],
];

for (const [name, files, expected] of cases) {
  t.test(`broken rule file: ${name}`, async (t) => {
    const { problems } = load(files);
    t.same([...problems].sort(), [...expected].sort());
  });
}

t.test('a rule may name versions up to v1.999', async (t) => {
  const { dir, problems } = load({ [F]: twoVersions.replace('since: v1.30', 'since: v1.999') });
  t.same(problems, []);
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  t.equal(evaluator.newestVersion, 'v1.999');
  t.equal(evaluator.evaluate({ spec: { containers: [{ name: 'a', image: 'x:dev' }] } }, { level: 'baseline', version: 'v1.999' }).forbiddenReason, 'unpinned image');
});

t.test('findings restated without a finding the inherited message names: said at the entry that dropped it', async (t) => {
  // v1.30 restates the findings under another name; the message is written in v1.0.
  const renamed = good + '  - since: v1.30\n    findings:\n      images:\n        in: "#containers"\n        when: { path: "$.image", operator: matchesAny, value: ["*:dev"] }\n';
  const problem = `${F}:27:7: the message this entry inherits names finding "containers", which these findings do not define: an entry's "findings" replace the inherited ones as a whole | restate finding "containers" here, or restate the message in this entry`;
  t.same(load({ [F]: renamed }).problems, [problem]);
  // A later entry inheriting both is not reported again, nor at the message.
  t.same(load({ [F]: renamed + '  - since: v1.31\n    note: later\n' }).problems, [problem]);
});

t.test('a restated message replaces the inherited one as a whole', async (t) => {
  const { dir, problems } = load({ [F]: twoVersions + '    message:\n      reason: pinned to dev\n' });
  t.same(problems, []);
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  const pod = { spec: { containers: [{ name: 'a', image: 'x:latest' }] } };
  t.same(evaluator.evaluate(pod, { level: 'baseline', version: 'v1.29' }).violations.map((v) => [v.reason, v.detail]), [['unpinned image', 'container "a" must pin "x:latest" to a tag or digest']]);
  t.same(evaluator.evaluate(pod, { level: 'baseline', version: 'v1.30' }).violations.map((v) => [v.reason, v.detail]), [['pinned to dev', '']], 'no inherited detail');
});

t.test('a broken table never half-loads', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-rules-'));
  mkdirSync(join(dir, 'baseline'));
  writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), good);
  writeFileSync(join(dir, 'baseline', 'broken.yaml'), 'schemaVersion: 1\nid: broken\n');
  t.throws(() => createEvaluator({ rulesDirs: [dir] }), RuleLoadError);
});

t.test('a bundled check is replaced only from its own level', async (t) => {
  const asRestricted = good.replace(/noLatestTag/g, 'privileged').replace('level: baseline', 'level: restricted');
  t.same(load({ 'restricted/privileged.yaml': asRestricted }).problems, [
    'restricted/privileged.yaml:3:5: "privileged" is a bundled baseline check: this restricted file would remove it from baseline | to replace it, put the file in baseline/ with level: baseline; to add a restricted check, choose another id',
  ]);
});

t.test('the same check id in two rules directories is an error', async (t) => {
  const root = write({ 'org/baseline/noLatestTag.yaml': good, 'team/baseline/noLatestTag.yaml': good, 'team/baseline/privileged.yaml': good.replace(/noLatestTag/g, 'privileged') });
  t.same(problemsOf([join(root, 'org'), join(root, 'team')], root), [
    'team/baseline/noLatestTag.yaml:3:5: check "noLatestTag" is also defined in org/baseline/noLatestTag.yaml, in an earlier rules directory | keep one of the two files, or choose another id: only a bundled check may be replaced by id',
  ], 'replacing a bundled check is still fine');
});

t.test('a rules directory may add scopes, not replace them', async (t) => {
  const scopes = (...ids: string[]) => ['schemaVersion: 1', 'scopes:', ...ids.flatMap((id) => [`  ${id}:`, '    paths: ["$.spec.containers[*]"]', '    name: "$.name"', '    label: { singular: container, plural: containers, names: true }']), ''].join('\n');
  const { dir, problems } = load({ 'scopes.yaml': scopes('regular'), [F]: edit('"#containers"', '"#regular"') });
  t.same(problems, []);
  t.equal(createEvaluator({ rulesDirs: [dir] }).evaluate({ spec: { initContainers: [{ name: 'i', image: 'x' }], containers: [{ name: 'a', image: 'x' }] } }, { level: 'baseline' }).forbiddenDetail, 'unpinned image (container "a" must pin "x" to a tag or digest)');
  t.same(load({ 'scopes.yaml': scopes('regular', 'containers') }).problems, [
    'scopes.yaml:7:3: scope "containers" already exists (bundled, in rules/scopes.yaml) | choose another name: a rules directory may add scopes, not replace them',
  ]);
  const root = write({ 'org/scopes.yaml': scopes('regular'), 'team/scopes.yaml': scopes('regular') });
  t.same(problemsOf([join(root, 'org'), join(root, 'team')], root), [
    'team/scopes.yaml:3:3: scope "regular" already exists (defined in org/scopes.yaml), and this is a copy of it | delete it here: a rules directory\'s scopes.yaml holds only the scopes it adds (none: delete the file)',
  ]);
});

t.test('a rules directory named twice is read once', async (t) => {
  const { dir } = load({ [F]: good });
  const link = join(mkdtempSync(join(tmpdir(), 'podsec-link-')), 'rules');
  symlinkSync(dir, link);
  const evaluator = createEvaluator({ rulesDirs: [dir, dir + '/', relative(process.cwd(), dir), link, join(projectRoot, 'rules')] });
  t.equal(evaluator.resolvePolicy('baseline').checks.filter((c) => c.id === 'noLatestTag').length, 1);
});

t.test('a rules directory without rules', async (t) => {
  const empty = (files: Record<string, string>) => load(files).problems.map((p) => p.replace(/^[^:]*:/, '<dir>:'));
  const expected = ['<dir>:1:1: rules directory holds no rules: no baseline/ or restricted/ rule files, scopes.yaml or defaulting.yaml | add rule files as baseline/<id>.yaml or restricted/<id>.yaml, or pass the directory that holds them'];
  t.same(empty({}), expected);
  t.same(empty({ 'baseline/README.md': 'no rules yet' }), expected);
});

t.test('a rules directory that does not exist, or is a file: a bad argument', async (t) => {
  t.throws(() => createEvaluator({ rulesDirs: ['/nonexistent/podsec-rules'] }), { name: 'PodsecArgumentError', message: 'rules directory /nonexistent/podsec-rules does not exist' });
  const given = join('no-such-dir', 'my-rules');
  t.throws(() => createEvaluator({ rulesDirs: [given] }), {
    name: 'PodsecArgumentError',
    message: `rules directory "${given}" does not exist (looked for ${join(process.cwd(), given)}: a relative path is resolved against the current working directory)`,
  });
  const file = join(customDir, 'baseline', 'noLatestTag.yaml');
  t.throws(() => createEvaluator({ rulesDirs: [file] }), { name: 'PodsecArgumentError', message: `rules directory ${file} is not a directory` });
  t.throws(() => createEvaluator({ rulesDirs: [relative(process.cwd(), file)] }), { name: 'PodsecArgumentError', message: `rules directory "${relative(process.cwd(), file)}" is not a directory: ${file}` });
});

t.test('a rules directory adds API-server defaults: {name} in conditions, nested fields set by path', async (t) => {
  const defaults = (set: string) => [
    'schemaVersion: 1',
    'defaults:',
    '  - id: privilegedFromAnnotation',
    '    objects: [pod]',
    '    in: "$.spec.containers[*]"',
    '    name: "$.name"',
    '    when: { fact: pod, path: "$.metadata.annotations[\'example.com/privileged-{name}\']", operator: equal, value: "yes" }',
    `    set: [${set}]`,
    '',
  ].join('\n');
  const { dir, problems } = load({ 'defaulting.yaml': defaults('{ path: "$.securityContext.privileged", value: true }') });
  t.same(problems, []);
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  const pod = { metadata: { annotations: { 'example.com/privileged-b': 'yes' } }, spec: { containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 5 } }] } };
  const before = JSON.stringify(pod);
  const r = evaluator.evaluate(pod, { level: 'baseline' });
  t.same(r.violations.map((v) => [v.checkId, v.detail, v.fields]), [['privileged', 'container "b" must not set securityContext.privileged=true', [['spec', 'containers', 1, 'securityContext', 'privileged']]]]);
  t.equal(JSON.stringify(pod), before, 'the input is not modified');
  t.equal(evaluator.evaluate(pod, { level: 'baseline', defaulting: 'template' }).allowed, true, 'only the objects the default names get it');

  t.same(load({ 'defaulting.yaml': defaults('{ path: "$.ports[*].hostPort", value: 1 }') }).problems,
    ['defaulting.yaml:8:19: "path" can only name object fields (no wildcards, indexes or {…}) | spell out the field, for example "$.securityContext.appArmorProfile"']);
  t.same(load({ 'defaulting.yaml': defaults('{ key: privileged, path: "$.privileged", value: true }') }).problems,
    ['defaulting.yaml:8:11: defaults[0].set[0] gives "key" and "path": only one of "key" or "path" may be given | keep one of key, path']);
  t.same(load({ 'defaulting.yaml': defaults('{ value: true }') }).problems, ['defaulting.yaml:8:11: defaults[0].set[0] needs "key" or "path" | add key: … or path: …']);
  // A key that would set what the element inherits rather than a field of it.
  t.same(load({ 'defaulting.yaml': defaults('{ key: __proto__, value: { privileged: true } }') }).problems,
    ['defaulting.yaml:8:18: "__proto__" cannot be used as a field name | name a field of the element, for example appArmorProfile']);

  // Every broken default is reported, each at its own key.
  const two = defaults('{ path: "$.securityContext.privileged", value: true }').replace('    name: "$.name"\n', '') +
    defaults('{ path: "$.securityContext.privileged", value: true }').split('\n').slice(2).join('\n').replace('id: privilegedFromAnnotation', 'id: second').replace('name: "$.name"', 'name: "$.na me"');
  t.same(load({ 'defaulting.yaml': two }).problems.map((p) => p.replace(/ \|.*/, '')), [
    'defaulting.yaml:6:30: this path uses {name}, but the default does not say where its elements\' names are',
    'defaulting.yaml:11:11: invalid path "$.na me": a space after "$.na"',
  ]);
  t.match(load({ 'defaulting.yaml': two }).problems[0], /\| add name: "\$\.name"/);

  // A default of another rules directory is not replaced silently; a bundled one may be.
  const { dir: other } = load({ 'defaulting.yaml': defaults('{ path: "$.securityContext.privileged", value: true }'), 'baseline/noLatestTag.yaml': good });
  let clash: string[] = [];
  try {
    createEvaluator({ rulesDirs: [dir, other] });
  } catch (e) {
    clash = (e as RuleLoadError).problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  }
  t.match(clash, [/^3:9: default "privilegedFromAnnotation" is also defined in \S*defaulting\.yaml, in an earlier rules directory$/]);
  t.equal(clash.length, 1);
});

/** A baseline rule "probe" with one finding over the containers, found `when`. */
const probeRule = (when: string, record = '') => `schemaVersion: 1
id: probe
level: baseline
title: Probe
summary: A test rule.
standard: https://example.com/probe
versions:
  - since: v1.0
    findings:
      containers:
        in: "#containers"
        when: ${when}${record ? `\n        record: ${record}` : ''}
    message:
      reason: probe
      detail: '{{${record ? 'list' : 'setters'} containers}}'
`;

t.test('paths read what they name: keys made with the subject name, and indexes into lists only', async (t) => {
  const verdict = (when: string, pod: object): boolean => {
    const { dir, problems } = load({ 'baseline/probe.yaml': probeRule(when) });
    t.same(problems, [], when);
    const evaluator = createEvaluator({ rulesDirs: [dir] });
    const policy = evaluator.resolvePolicy('baseline', 'latest');
    const check = policy.checks.find((c) => c.id === 'probe')!;
    // The fused policy function, the check's own generated code and the interpreted closures agree.
    const fused = evaluator.evaluate(pod, { level: 'baseline', defaulting: 'none' }).violations.some((v) => v.checkId === 'probe');
    t.equal(check.fails(pod), fused, `${when}: generated check and fused policy agree`);
    t.equal(check.failsInterpreted(pod), fused, `${when}: interpreted closures agree`);
    return fused;
  };
  const pod = (annotations: Record<string, string>, image = 'nginx') => ({ metadata: { annotations }, spec: { containers: [{ name: 'n', image }] } });
  // Two keys around the name whose prefix and suffix differ only in where a "|" sits.
  const both = `{ any: [{ fact: pod, path: "$.metadata.annotations['a|b{name}c']", operator: equal, value: "on" }, { fact: pod, path: "$.metadata.annotations['a{name}b|c']", operator: equal, value: "on" }] }`;
  t.equal(verdict(both, pod({ 'anb|c': 'on' })), true, 'the second key is read in its own right');
  t.equal(verdict(both, pod({ 'a|bnc': 'on' })), true, 'so is the first');
  t.equal(verdict(both, pod({ 'a|bmc': 'on' })), false, 'another subject\'s key is not this one\'s');
  // The prefix and suffix may share characters: "abc" starts with "ab" and ends with "bc", but holds no name between them.
  t.equal(verdict(`{ fact: pod, path: "$.metadata.annotations['ab{name}bc']", operator: equal, value: "on" }`, { metadata: { annotations: { abc: 'on' } }, spec: { containers: [{ name: '', image: 'nginx' }] } }), false, 'a key shorter than prefix and suffix together is no subject\'s');
  // [0] of a string is no list item.
  t.equal(verdict(`{ fact: pod, path: "$.metadata.annotations['p/{name}'][0]", operator: equal, value: "x" }`, pod({ 'p/n': 'xyz' })), false);
  t.equal(verdict(`{ path: "$.image[0]", operator: equal, value: "n" }`, pod({})), false);
  t.equal(verdict(`{ path: "$.args[0]", operator: equal, value: "-v" }`, { spec: { containers: [{ name: 'n', args: ['-v'] }] } }), true, 'a list item is read');
});

t.test('null and absent values: generated code, fused policy and closures agree; defaults fill what is absent', async (t) => {
  const evaluate = (when: string, pod: object, record = '') => {
    const { dir, problems } = load({ 'baseline/probe.yaml': probeRule(when, record) });
    t.same(problems, [], when);
    const evaluator = createEvaluator({ rulesDirs: [dir] });
    const check = evaluator.resolvePolicy('baseline', 'latest').checks.find((c) => c.id === 'probe')!;
    const result = evaluator.evaluate(pod, { level: 'baseline', defaulting: 'none' });
    const fused = result.violations.some((v) => v.checkId === 'probe');
    t.equal(check.fails(pod), fused, `${when}: generated check and fused policy agree`);
    t.equal(check.failsInterpreted(pod), fused, `${when}: interpreted closures agree`);
    return { fused, detail: result.violations.find((v) => v.checkId === 'probe')?.detail };
  };
  const containers = (...items: unknown[]) => ({ spec: { containers: items } });
  // A key set to null is no key: as Go decodes it, the field is unset.
  const noKey = '{ path: "$.securityContext", operator: hasNoKey, value: [privileged, runAsUser] }';
  t.equal(evaluate(noKey, containers({ name: 'a', securityContext: { privileged: null } })).fused, true, 'hasNoKey: a key set to null is not set');
  t.equal(evaluate(noKey, containers({ name: 'a', securityContext: { privileged: false } })).fused, false, 'hasNoKey: a key set to false is set');
  // A condition's default stands in for an absent field.
  const withDefault = '{ path: "$.securityContext.runAsNonRoot", operator: equal, value: false, default: false }';
  t.equal(evaluate(withDefault, containers({ name: 'a' })).fused, true, 'default: an absent field reads as the default');
  t.equal(evaluate(withDefault, containers({ name: 'a', securityContext: { runAsNonRoot: true } })).fused, false, 'default: a set field reads as itself');
  // Null list items are no subjects.
  const notBad = '{ path: "$.image", operator: notEqual, value: "good" }';
  t.equal(evaluate(notBad, containers(null, { name: 'a', image: 'good' })).fused, false, 'a null container is not visited');
  // A record's default stands in for an absent field in the message.
  const recorded = evaluate('{ path: "$.image", operator: equal, value: "bad" }', containers({ name: 'a', image: 'bad' }, { name: 'b', image: 'bad', securityContext: { procMount: 'Unmasked' } }), '{ path: "$.securityContext.procMount", default: "Default" }');
  t.equal(recorded.detail, 'Default, Unmasked', 'record default: the absent field is recorded as the default');
});

t.test('valueDefault stands in for an absent last field named by a quoted key as by a plain one', async (t) => {
  const rule = (valuePath: string) => probeRule('{ fact: value, operator: equal, value: 7 }')
    .replace('        when:', `        values: ["${valuePath}"]\n        valueDefault: 7\n        when:`)
    .replace("'{{setters containers}}'", "'{{list containers}}'");
  for (const [valuePath, field] of [["$.ports[*]['host-x']", 'host-x'], ['$.ports[*].hostPort', 'hostPort']] as const) {
    const { dir, problems } = load({ 'baseline/probe.yaml': rule(valuePath) });
    t.same(problems, [], valuePath);
    const evaluator = createEvaluator({ rulesDirs: [dir] });
    const check = evaluator.resolvePolicy('baseline', 'latest').checks.find((c) => c.id === 'probe')!;
    const pod = { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }] }] } };
    const result = evaluator.evaluate(pod, { level: 'baseline', defaulting: 'none' }).violations.find((v) => v.checkId === 'probe');
    t.same(result && { detail: result.detail, fields: result.fields }, { detail: '7', fields: [['spec', 'containers', 0, 'ports', 0, field]] }, `${valuePath}: the absent field counts as 7`);
    t.equal(check.fails(pod), true, `${valuePath}: generated check agrees`);
    t.equal(check.failsInterpreted(pod), true, `${valuePath}: interpreted closures agree`);
  }
});

t.test('a "__proto__" key in a default\'s value is a field like any other, not the prototype of what it sets', async (t) => {
  const { dir, problems } = load({
    'defaulting.yaml': 'schemaVersion: 1\ndefaults:\n  - id: protoValue\n    objects: [pod]\n    in: "$.spec.containers[*]"\n    when: { path: "$.image", operator: equal, value: x }\n    set: [{ key: securityContext, value: { __proto__: { privileged: true } } }]\n',
  });
  t.same(problems, []);
  const r = createEvaluator({ rulesDirs: [dir] }).evaluate({ spec: { containers: [{ name: 'c', image: 'x' }] } }, { level: 'baseline' });
  t.equal(r.allowed, true, 'securityContext.privileged is not inherited from it');
});

t.test('a default id given twice in one file', async (t) => {
  const def = (id: string) => `  - id: ${id}\n    objects: [pod]\n    in: "$.spec.containers[*]"\n    when: { path: "$.name", operator: equal, value: x }\n    set: [{ key: image, value: y }]\n`;
  t.same(load({ 'defaulting.yaml': `schemaVersion: 1\ndefaults:\n${def('same')}${def('same')}` }).problems, ['defaulting.yaml:8:9: default "same" is defined twice in this file | keep one default per id']);
});

t.test('a policy of more checks than one fused function takes is judged check by check, with the same result', async (t) => {
  const { MAX_FUSED_CHECKS } = await import('../engine/fuse.js');
  const plain = createEvaluator();
  const fusedCount = plain.resolvePolicy('baseline', 'latest').checks.length;
  const extra = MAX_FUSED_CHECKS + 1 - fusedCount;
  const files: Record<string, string> = {};
  for (let i = 0; i < extra; i++) {
    files[`baseline/pinned${i}.yaml`] = good.replace('id: noLatestTag', `id: pinned${i}`).replace('reason: unpinned image', `reason: unpinned image ${i}`);
  }
  const many = createEvaluator({ rulesDirs: [write(files)] });
  const policy = many.resolvePolicy('baseline', 'latest');
  t.equal(policy.checks.length, MAX_FUSED_CHECKS + 1, 'one check more than a fused function takes');
  t.equal(policy.failMask, undefined, 'not fused');
  t.equal(policy.verdicts.length, policy.checks.length, 'a verdict per check');
  t.equal(plain.resolvePolicy('baseline', 'latest').verdicts.length, 0, 'a fused policy needs no verdict per check');
  const pod = { spec: { hostNetwork: true, containers: [{ name: 'app', image: 'app:latest', securityContext: { privileged: true } }] } };
  const result = many.evaluate(pod, { level: 'baseline' });
  const standard = plain.evaluate(pod, { level: 'baseline' });
  const added = (v: { checkId: string }) => /^pinned\d+$/.test(v.checkId);
  t.same(result.violations.filter((v) => !added(v)), standard.violations, 'the bundled checks fail as in the fused policy, with the same words and fields');
  t.same(result.violations.filter(added).map((v) => `${v.checkId}: ${v.reason}`).sort(), Array.from({ length: extra }, (_, i) => `pinned${i}: unpinned image ${i}`).sort(), 'and so does each added check');
  t.same(result.violations.map((v) => v.checkId), policy.checks.filter((c) => result.violations.some((v) => v.checkId === c.id)).map((c) => c.id), 'in the order of the policy\'s checks');
  const clean = { spec: { containers: [{ name: 'app', image: 'app:1.0' }] } };
  t.equal(many.evaluate(clean, { level: 'baseline' }).allowed, true, 'a pod breaking nothing passes');
});

t.test("the rule schema's since takes what the loader takes: v1.0 to v1.999", async (t) => {
  const since = new RegExp(ruleSchema.properties.versions.items.properties.since.pattern);
  for (const [text, ok] of [['v1.0', true], ['v1.37', true], ['v1.999', true], ['v1.1000', false], ['v1.05', false], ['v2.0', false]] as const) {
    t.equal(since.test(text), ok, text);
  }
  // As the second entry of a rule (the first is v1.0).
  t.same(load({ [F]: twoVersions.replace('since: v1.30', 'since: v1.999') }).problems, []);
  t.equal(load({ [F]: twoVersions.replace('since: v1.30', 'since: v1.1000') }).problems.length, 1);
});

t.test('every problem of a file is reported at once, not one per attempt', async (t) => {
  // Name, level, two findings and an exemption each wrong on their own.
  const text = good.replace('id: noLatestTag', 'id: wrongName').replace('level: baseline', 'level: restricted')
    .replace('        in: "#containers"', '        in: "#containerz"')
    .replace('    message:', '      second:\n        in: "#pod"\n        when: { path: "$.spec.hostPID", operator: equal, value: { set: nope } }\n    exemptWhen: { path: "$.spec.containers[{name}]", operator: present, value: true }\n    message:');
  const { problems } = load({ [F]: text });
  t.same(problems.map((p) => p.replace(/ \|.*$/, '')), [
    `${F}:3:5: id "wrongName" does not match the file name "noLatestTag.yaml"`,
    `${F}:4:8: level "restricted" does not match the folder "baseline/"`,
    `${F}:12:13: unknown scope "#containerz"`,
    `${F}:24:65: unknown value set "nope"`,
    `${F}:25:25: this path uses {name}, but "exemptWhen" is about the whole pod: there is no subject to name`,
  ]);
  // An override is checked in a file that does not compile, too.
  const R = 'restricted/noLatestTag.yaml';
  const broken = load({ [R]: good.replace('level: baseline', 'level: restricted').replace('  - since: v1.0\n', '  - since: v1.0\n    overrides: [nope]\n').replace('        in: "#containers"', '        in: "#containerz"') });
  t.same(broken.problems.map((p) => p.replace(/ \|.*$/, '')), [`${R}:10:17: overrides unknown check "nope"`, `${R}:13:13: unknown scope "#containerz"`], 'in line order');
});

t.test('overrides in a baseline rule are said once, where written; a scope of a broken scopes file is not also "unknown"', async (t) => {
  const twice = good.replace('  - since: v1.0\n', '  - since: v1.0\n    overrides: [privileged]\n') + '  - since: v1.30\n    message: { reason: later, detail: x }\n';
  t.same(load({ [F]: twice }).problems.map((p) => p.replace(/ \|.*$/, '')), [`${F}:10:16: only restricted checks may override other checks`]);
  const scopes = 'schemaVersion: 1\nscopes:\n  mine:\n    paths: ["$.spec.containers[*]"]\n    name: "$.name"\n    label: { singular: container, plural: containers }\n';
  t.same(load({ [F]: good.replace('"#containers"', '"#mine"'), 'scopes.yaml': scopes }).problems.map((p) => p.replace(/ \|.*$/, '')), ['scopes.yaml:6:12: scopes.mine.label is missing "names"']);
});

t.test('a scope that names its subjects needs a name; "at" with "values" is refused as "record" is', async (t) => {
  const scopes = 'schemaVersion: 1\nscopes:\n  nameless:\n    paths: ["$.spec.containers[*]"]\n    label: { singular: container, plural: containers, names: true }\n';
  t.same(load({ [F]: good.replace('"#containers"', '"#nameless"'), 'scopes.yaml': scopes }).problems.map((p) => p.replace(/ \|.*$/, '')), [
    'scopes.yaml:5:62: messages would name its subjects, but the scope gives them no name (so each would be shown as "")',
  ]);
  const at = good.replace('        record: { path: "$.image", default: "" }\n', '        values: ["$.image"]\n        at: "$.image"\n').replace(/when:\n[\s\S]*?(?=        values:)/, 'when: { fact: value, operator: matchesAny, value: ["*:latest"] }\n');
  t.same(load({ [F]: at }).problems.map((p) => p.replace(/ \|.*$/, '')), [`${F}:15:13: a finding with "values" points reports at each value it finds`]);
});

t.test('a rule file that is not UTF-8 is a problem where the bytes are, not a title with U+FFFD in it', async (t) => {
  const { problems } = load({ [F]: Buffer.from(good.replace('title: Pinned images', 'title: Pinned \xefmages'), 'latin1') as unknown as string });
  t.same(problems, [`${F}:5:15: the file is not UTF-8: a byte sequence here is no UTF-8 character | save the file as UTF-8`]);
});

t.test('a test case file in flow style beside the level folders is still told apart', async (t) => {
  const { problems } = load({ [F]: good, 'cases.yaml': '{ check: noLatestTag, cases: [] }\n' });
  t.same(problems.map((p) => p.replace(/ \|.*$/, '')), ['cases.yaml:1:1: test case file in the rules directory']);
});

t.test('unknown keys do not hide the other problems of their file: one run lists them all', async (t) => {
  const text = edit('title: Pinned images', 'title: Pinned images\ncolour: red').replace('    message:', '    notes: x\n    message:').replace("reason: unpinned image", 'reason: "{{values nope}}"');
  const { problems } = load({ [F]: text });
  t.match(problems, [/:6:1: unknown key "colour" in the file/, /:\d+:5: unknown key "notes" in versions\[0\]/, /"\{\{values nope\}\}" names no finding "nope"/]);
  t.equal(problems.length, 3);
  // Any other problem of shape still stops the file there: what it holds cannot be read further.
  const shape = load({ [F]: text.replace('level: baseline', 'level: 5') }).problems;
  t.match(shape.join('\n'), /unknown key "colour"[\s\S]*level/, 'the shape problems are told');
  t.notMatch(shape.join('\n'), /names no finding/);
});

t.test('a tag that does not apply is a problem at the value, not a string read in silence', async (t) => {
  const { problems } = load({ [F]: good.replace('level: baseline', 'level: !!int baseline') });
  t.same(problems, [`${F}:4:8: the tag !!int does not apply to this value, so it would be read as a string | remove the tag, and write the value as it is meant`]);
});

t.test('YAML aliases that expand too far are a problem in the file, not a crash', async (t) => {
  const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n';
  const { problems } = load({ [F]: bomb });
  t.same(problems, [`${F}:2:8: the aliases (*name) expand to far more data than the file holds | write the values out instead of nesting aliases`]);
  // Many uses of a value that holds no alias expand to no more than they say.
  const reused = good.replace('record: { path: "$.image", default: "" }', `record: { path: "$.image", default: &d "" }\n        x: [${Array(500).fill('*d').join(', ')}]`);
  t.match(load({ [F]: reused }).problems, [/unknown key "x"/], 'read: only the schema objects to the key');
});

t.test('removing a value a set does not hold is an error, not a silent no-op', async (t) => {
  const text = twoVersions.replace('tags: { add: ["*:dev"] }', 'tags: { remove: ["*:lates"] }');
  const { problems } = load({ [F]: text });
  t.equal(problems.length, 1);
  t.match(problems[0], /^baseline\/noLatestTag\.yaml:\d+:\d+: set "tags" does not hold "\*:lates", so removing it changes nothing \| remove only values the set holds here: "\*:latest"$/);
  t.same(load({ [F]: twoVersions.replace('tags: { add: ["*:dev"] }', 'tags: { remove: ["*:latest"] }') }).problems, [], 'a value it holds is removed');
});

t.test('rule files in a level folder that would not be read are errors', async (t) => {
  const { problems } = load({ [F]: good, 'baseline/Other.YAML': good.replace(/noLatestTag/g, 'Other'), 'baseline/drafts/draft.yaml': good, 'baseline/notes.txt': 'x', 'baseline/pinned.json': '{}' });
  t.same(problems, [
    'baseline/Other.YAML:1:1: rule file whose extension is not lowercase, so it is not read | rename it to Other.yaml',
    'baseline/drafts:1:1: folder "baseline/drafts/" is inside a level folder, so its rule files are not read | move its rule files up into baseline/, and keep other YAML (examples, tests) outside the rules directory',
    'baseline/pinned.json:1:1: rule file in JSON is not read: rule files end in .yaml | rename it to pinned.yaml (JSON is valid YAML, so its content can stay as it is)',
  ]);
});

t.test('a rule cannot take the id reports give invalid Namespace labels', async (t) => {
  t.ok(RESERVED_CHECK_IDS.has(NAMESPACE_RULE.id));
  const { problems } = load({ 'baseline/namespaceLabels.yaml': good.replace(/noLatestTag/g, 'namespaceLabels') });
  t.same(problems, ['baseline/namespaceLabels.yaml:3:5: check id "namespaceLabels" is reserved: reports use it for invalid Namespace labels | choose another id, and rename the file to match']);
});

t.test('a wildcard in the name path of a scope or a default is a problem in the file, not a crash', async (t) => {
  const scopes = ['schemaVersion: 1', 'scopes:', '  env:', '    paths: ["$.spec.containers[*].env[*]"]', '    name: "$.valueFrom[*].name"', '    label: { singular: env, plural: envs, names: true }', ''].join('\n');
  t.same(load({ 'scopes.yaml': scopes }).problems, [
    'scopes.yaml:5:11: a name path cannot contain wildcards ("$.valueFrom[*].name") | name one field of the subject, such as "$.name", or write key',
  ]);
  const defaults = ['schemaVersion: 1', 'defaults:', '  - id: x', '    objects: [pod]', '    in: "$.spec.containers[*]"', '    name: "$.env[*].name"', '    when: { path: "$.image", operator: present, value: false }', '    set: [{ key: image, value: none }]', ''].join('\n');
  t.same(load({ 'defaulting.yaml': defaults }).problems, [
    'defaulting.yaml:6:11: a name path cannot contain wildcards ("$.env[*].name") | name one field of the element, such as "$.name"',
  ]);
});

t.test('a key that is not a valid name is one problem that names it, at the key', async (t) => {
  const { problems } = load({ [F]: edit('      containers:\n', '      bad-name:\n').replace(/\{\{(setters|values) containers\}\}/g, '{{$1 bad-name}}') });
  t.equal(problems.length, 1);
  t.match(problems[0], /^baseline\/noLatestTag\.yaml:11:7: "bad-name" in versions\[0\]\.findings is not a valid name \| use a name of letters, digits and underscores, starting with a letter$/);
});

t.test('a value a pattern rejects gets a hint in words, never the regular expression', async (t) => {
  const { problems } = load({ [F]: edit('in: "#containers"', 'in: "containers"').replace(/^standard: .*$/m, 'standard: example.com/policies') });
  t.same(problems.map((p) => p.replace(/^[^ ]+ /, '')), [
    'standard is "example.com/policies", which has the wrong form | write a link starting with https://',
    'versions[0].findings.containers.in is "containers", which has the wrong form | write "#" and a scope name, for example "#containers"',
  ]);
  // Every pattern of the schemas has its words (since: has its own hint).
  const patterns = new Set<string>();
  const walk = (node: unknown, key = ''): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string' && key !== 'since') patterns.add(v);
      walk(v, k);
    }
  };
  for (const schema of [ruleSchema, scopesSchema, defaultingSchema]) walk(schema);
  for (const pattern of patterns) t.ok(PATTERN_HINTS[pattern], `hint for ${pattern}`);
});

t.test('a copy of the bundled scopes.yaml is told to delete what it copied', async (t) => {
  const bundledScopes = readFileSync(join(projectRoot, 'rules', 'scopes.yaml'), 'utf8');
  const problems = load({ 'scopes.yaml': bundledScopes, [F]: good }).problems;
  t.equal(problems.length, 4);
  t.match(problems[0], /^scopes\.yaml:\d+:3: scope "pod" already exists \(bundled, in rules\/scopes\.yaml\), and this is a copy of it \| delete it here: a rules directory's scopes\.yaml holds only the scopes it adds \(none: delete the file\)$/);
  const changed = load({ 'scopes.yaml': bundledScopes.replace('label: { singular: pod,', 'label: { singular: Pod,'), [F]: good }).problems;
  t.match(changed[0], /scope "pod" already exists \(bundled, in rules\/scopes\.yaml\) \| choose another name/);
});

t.test('a rule file with a second YAML document says so in words', async (t) => {
  const lines = good.split('\n').length;
  t.same(load({ [F]: good + '---\nid: another\n' }).problems, [
    `${F}:${lines}:1: YAML syntax error: the file holds more than one YAML document: a "---" line starts another; keep one per file | fix the YAML syntax`,
  ]);
});

t.test('a oneOf alternative without "when" must be the last: those after it could never be shown', async (t) => {
  const detail = (alts: string) => good.replace(/detail: '.*'/, `detail: { oneOf: [${alts}] }`);
  const { problems } = load({ [F]: detail("{ text: 'any' }, { when: [containers], text: '{{setters containers}}' }") });
  t.equal(problems.length, 1);
  t.match(problems[0], /:\d+:\d+: this alternative has no "when", so it is always taken and the alternatives after it never are \| add "when" to it, or move it last \(the fallback\)$/);
  t.same(load({ [F]: detail("{ when: [containers], text: '{{setters containers}}' }, { text: 'any' }") }).problems, [], 'a fallback last is fine');
});

t.test('sets and scopes named like Object.prototype members are ordinary names', async (t) => {
  const uses = (name: string) => good.replace('["*:latest"]', `{ set: ${name} }`);
  for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
    const undeclared = load({ [F]: uses(name) }).problems;
    t.match(undeclared, [new RegExp(`unknown value set "${name}"`)], `undeclared set ${name}`);
    t.equal(undeclared.length, 1);
    const changed = load({ [F]: good.replace('    findings:', `    sets:\n      ${name}: { add: [x] }\n    findings:`) }).problems;
    t.match(changed, [new RegExp(`set "${name}" is changed with add/remove but was never declared`)]);
    t.equal(changed.length, 1);
    t.same(load({ [F]: uses(name).replace('    findings:', `    sets:\n      ${name}: ["*:latest"]\n    findings:`) }).problems, [], `declared set ${name}`);
    const undefinedScope = load({ [F]: edit('"#containers"', `"#${name}"`) }).problems;
    t.match(undefinedScope, [new RegExp(`unknown scope "#${name}"`)], `undefined scope ${name}`);
    t.equal(undefinedScope.length, 1);
    const scopes = ['schemaVersion: 1', 'scopes:', `  ${name}:`, '    paths: ["$.spec.containers[*]"]', '    name: "$.name"', '    label: { singular: container, plural: containers, names: true }', ''].join('\n');
    t.same(load({ 'scopes.yaml': scopes, [F]: edit('"#containers"', `"#${name}"`) }).problems, [], `scope ${name}`);
  }
});

t.test('a level "folder" that is a file is a problem, not a crash', async (t) => {
  const { problems } = load({ baseline: 'x', 'restricted/noLatestTag.yaml': good.replace('level: baseline', 'level: restricted') });
  t.same(problems, ['baseline:1:1: "baseline" is a file, not a folder, so no rules are read from it | make baseline/ a folder that holds the rule files (baseline/<id>.yaml)']);
  const dir = write({ 'restricted/noLatestTag.yaml': good.replace('level: baseline', 'level: restricted') });
  symlinkSync(join(dir, 'nothing-here'), join(dir, 'baseline'));
  t.same(problemsOf([dir], dir), ['baseline:1:1: "baseline" is a link to nothing, so no rules are read from it | point the link at a folder, or make baseline/ a folder that holds the rule files']);
});

t.test('finding keys that would be dropped or doubled silently are errors', async (t) => {
  const finding = (extra: string, from = 'in: "#containers"') => good.replace('        in: "#containers"\n', `        ${from}\n${extra}`);
  const only = (files: Record<string, string>) => load(files).problems.map((p) => p.replace(/^[^ ]+ /, ''));
  t.same(only({ [F]: finding('        at: "$.ports[*]"\n') }), ['"at" cannot contain wildcards ("$.ports[*]") | name one field of the subject; to point at each of many values, use "values"']);
  t.same(only({ [F]: finding('', 'in: ["#containers", "#pod", "#containers"]') }), ['scope "#containers" is listed twice | list each scope once']);
  t.same(only({ [F]: good.replace('record: { path: "$.image", default: "" }', 'record: { path: "$.image", otherwise: none }') }), ['"otherwise" needs "firstKeyOf" | remove it, or add "firstKeyOf" (for a value that is absent, use "default")']);
});

t.test('a scope path listed twice is an error', async (t) => {
  const scopes = ['schemaVersion: 1', 'scopes:', '  regular:', '    paths: ["$.spec.containers[*]", "$.spec.containers[*]"]', '    name: "$.name"', '    label: { singular: container, plural: containers, names: true }', ''].join('\n');
  t.same(load({ 'scopes.yaml': scopes }).problems, ['scopes.yaml:4:37: "$.spec.containers[*]" is listed twice, so its subjects would be visited twice | list each path once']);
});

t.test('{name} in a finding that walks a scope without names is an error, not an empty name', async (t) => {
  const annotation = `{ fact: pod, path: "$.metadata.annotations['example.com/{name}']", operator: present, value: true }`;
  const only = (text: string) => load({ [F]: text }).problems.map((p) => p.replace(/^[^ ]+ /, ''));
  const hint = 'spell the key out, or walk a scope whose subjects have names (such as #containers)';
  t.same(only(good.replace(/in: "#containers"\n        when:\n[\s\S]*?record: \{ path: "\$\.image", default: "" \}/, `in: ["#containers", "#pod"]\n        when: ${annotation}`)), [`this path uses {name}, but the subjects of "#pod" have no name | ${hint}`]);
  t.same(only(good.replace('record: { path: "$.image", default: "" }', `record: { fact: pod, path: "$.metadata.annotations['x/{name}']" }`).replace('in: "#containers"', 'in: "#pod"')), [`this path uses {name}, but the subjects of "#pod" have no name | ${hint}`]);
  t.same(only(good.replace(/when:\n[\s\S]*?record:/, `when: ${annotation}\n        record:`)), [], 'with #containers, {name} is the container name');
});

t.test('{name} in exemptWhen is an error: the condition is about the whole pod', async (t) => {
  const text = good + `  - since: v1.5\n    exemptWhen: { fact: pod, path: "$.metadata.annotations['x/{name}']", operator: present, value: true }\n`;
  t.same(load({ [F]: text }).problems.map((p) => p.replace(/^[^ ]+ /, '')), ['this path uses {name}, but "exemptWhen" is about the whole pod: there is no subject to name | spell the key out']);
});

t.test('a rules folder that cannot be listed is a problem that names it, not a crash', async (t) => {
  const fs = await import('node:fs');
  const dir = write({ 'baseline/noLatestTag.yaml': good });
  const locked = new Set([dir, join(dir, 'baseline')]);
  for (const folder of locked) {
    const { loadRuleTable } = await t.mockImport<typeof import('../engine/load.js')>('../engine/load.js', {
      'node:fs': {
        ...fs,
        readdirSync: (path: string, opts?: object) => {
          if (path === folder) throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
          return fs.readdirSync(path, opts as undefined);
        },
      },
    });
    const problems = (() => {
      try {
        loadRuleTable({ rulesDirs: [dir] });
        return [];
      } catch (e) {
        if (!(e instanceof RuleLoadError)) throw e;
        return e.problems.map((p) => `${p.file}: ${p.message} | ${p.hint}`);
      }
    })();
    t.same(problems, [`${folder}: cannot list the folder: permission denied | check that it is readable`], relative(dir, folder) || 'the rules directory');
  }
});

t.test('a check id that differs from another only in letter case is refused: ids are matched in any case', async (t) => {
  const bundledClash = load({ 'restricted/runasnonroot.yaml': good.replace(/noLatestTag/g, 'runasnonroot').replace('level: baseline', 'level: restricted') }).problems;
  t.same(bundledClash, ['restricted/runasnonroot.yaml:3:5: check id "runasnonroot" differs from "runAsNonRoot" (bundled, in rules/restricted/runAsNonRoot.yaml) only in letter case | to replace the bundled check, name the file runAsNonRoot.yaml with id: runAsNonRoot; to add a check, choose an id that differs in more than case']);
  const ownClash = load({ [F]: good, 'baseline/nolatesttag.yaml': good.replace(/noLatestTag/g, 'nolatesttag') }).problems;
  t.equal(ownClash.length, 1);
  t.match(ownClash[0], /^baseline\/(noLatestTag|nolatesttag)\.yaml:3:5: check id "\w+" differs from "\w+" \(defined in .*\) only in letter case \| choose an id that differs in more than case, and rename the file to match$/);
});

t.test('other files in a level folder are not read, and a warning says so', async (t) => {
  const dir = write({ [F]: good, 'baseline/pinned.yaml.disabled': good, 'baseline/README.md': '# notes', 'README.md': 'the root may hold docs' });
  const evaluator = createEvaluator({ rulesDirs: [dir] });
  t.same(evaluator.warnings.map((w) => `${relative(dir, w.file)}: ${w.message} | ${w.hint}`), [
    'baseline/README.md: "README.md" in baseline/ is not read: rule files end in .yaml | move it out of the rules directory (or start its name with a dot) if it is no rule; rename it to end in .yaml if it is one',
    'baseline/pinned.yaml.disabled: "pinned.yaml.disabled" in baseline/ is not read: rule files end in .yaml | move it out of the rules directory (or start its name with a dot) if it is no rule; rename it to end in .yaml if it is one',
  ]);
  t.ok(evaluator.resolvePolicy('baseline', 'latest').checks.some((c) => c.id === 'noLatestTag'), 'the rule beside them is read');
});

t.test('a level folder given as the rules directory is one problem that names its parent', async (t) => {
  const dir = write({ [F]: good });
  const problems = problemsOf([join(dir, 'baseline')], dir);
  t.equal(problems.length, 1);
  t.match(problems[0], /^baseline:1:1: ".*baseline" is a level folder itself: a rules directory holds baseline\/ and restricted\/ \| give the directory that holds it \(.+\) as the rules directory$/);
});

t.test('a Kubernetes manifest among the rules is one problem that says what it is', async (t) => {
  const { problems } = load({ [F]: good, 'baseline/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n' });
  t.same(problems, ['baseline/pod.yaml:1:1: this is a Kubernetes manifest (Pod), not a rule | keep manifests outside the rules directory, and check them with podsec check --rules-dir DIR FILE']);
});

t.test('"values" that "when" never reads is an error: they would only repeat one test', async (t) => {
  const text = good.replace('        record: { path: "$.image", default: "" }\n', '        values: ["$.image"]\n');
  const { problems } = load({ [F]: text });
  t.equal(problems.length, 1);
  t.match(problems[0], /^baseline\/noLatestTag\.yaml:21:17: "values" are walked, but "when" never reads them \(no condition has fact: value\) \| test each value in "when" with fact: value, or remove "values"$/);
});

t.test('a bundled rules directory given by the caller must be whole: no pod passes for want of a file', async (t) => {
  const bundled = join(projectRoot, 'rules');
  const copy = (drop: (dir: string) => void): string[] => {
    const dir = mkdtempSync(join(tmpdir(), 'podsec-bundled-'));
    cpSync(bundled, dir, { recursive: true });
    drop(dir);
    try {
      createEvaluator({ bundledDir: dir });
      return [];
    } catch (e) {
      if (!(e instanceof RuleLoadError)) throw e;
      return e.problems.map((p) => `${relative(dir, p.file)}: ${p.message}`);
    }
  };
  t.same(copy(() => {}), [], 'a whole copy loads');
  // Its stray files are warned of as a rules directory's are.
  const vendored = mkdtempSync(join(tmpdir(), 'podsec-bundled-'));
  cpSync(bundled, vendored, { recursive: true });
  writeFileSync(join(vendored, 'baseline', 'privileged.yaml.orig'), 'x');
  t.same(createEvaluator({ bundledDir: vendored }).warnings.map((w) => w.message), ['"privileged.yaml.orig" in baseline/ is not read: rule files end in .yaml']);
  t.same(copy((d) => rmSync(join(d, 'defaulting.yaml'))), ['defaulting.yaml: missing defaulting file']);
  t.same(copy((d) => rmSync(join(d, 'restricted'), { recursive: true })), ['restricted: missing restricted/ folder']);
  t.same(copy((d) => {
    renameSync(join(d, 'baseline'), join(d, 'Baseline'));
    rmSync(join(d, 'restricted'), { recursive: true });
  }), ['Baseline: folder "Baseline/" is not a level folder, so its rule files are not read', 'baseline: missing baseline/ folder', 'restricted: missing restricted/ folder']);
});
