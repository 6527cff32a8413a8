// Custom rules whose paths name fields a Pod does not have read nothing: the CLI warns of them,
// at the path, with the field meant.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import t from 'tap';
import { run as check } from '../cli/commands/check.js';
import { run as explain } from '../cli/commands/explain.js';
import type { CliIO } from '../cli/io.js';
import { createEvaluator, type RuleProblem } from '../engine/index.js';
import { bundledRulesDir } from '../engine/load.js';
import { ruleFieldWarnings } from '../engine/rule-fields.js';
import { compliantPod, projectRoot } from './helpers/shared.js';

const RULE = `schemaVersion: 1
id: pullPolicy
level: restricted
title: Pull policy
summary: Containers must not use imagePullPolicy Never.
standard: https://example.com/pull-policy
versions:
  - since: v1.0
    findings:
      containers:
        in: "#containers"
        when: { path: "$.imagePulPolicy", operator: equal, value: Never }
        at: "$.securityContxt"
        record: { path: "$.imagePullPolicy" }
      aliases:
        in: "#pod"
        when: { fact: pod, path: "$.spec.hostAliasses", operator: present, value: true }
      mounts:
        in: "#containers"
        values: ["$.volumeMounts[*].mountPth"]
        when: { fact: value, operator: equal, value: /x }
      annotated:
        in: "#containers"
        when: { fact: pod, path: "$.metadata.annotations['example.com/{name}']", operator: present, value: true }
      owned:
        in: "#pod"
        when: { fact: pod, path: "$.metadata.ownerReferences[0].kind", operator: equal, value: Job }
    message:
      reason: never pull
      detail: '{{setters containers}} {{values containers}}'
`;

/** The library's warnings for a rules directory, their files relative to it. */
function warningsOf(dir: string): RuleProblem[] {
  return createEvaluator({ rulesDirs: [dir] }).warnings.map((w) => ({ ...w, file: relative(dir, resolve(w.file)) }));
}

/** A rules directory holding one baseline rule file. */
function oneBaselineRule(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fields-'));
  mkdirSync(join(dir, 'baseline'));
  writeFileSync(join(dir, 'baseline', file), text);
  return dir;
}

function rulesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fields-'));
  mkdirSync(join(dir, 'restricted'));
  writeFileSync(join(dir, 'restricted', 'pullPolicy.yaml'), RULE);
  return dir;
}

t.test('each misspelt field is reported at its path, with the field meant', async (t) => {
  const dir = rulesDir();
  const warnings = warningsOf(dir);
  t.same(warnings.map((w) => [w.file, w.line, w.column, w.hint]), [
    ['restricted/pullPolicy.yaml', 12, 23, 'did you mean "imagePullPolicy"?'],
    ['restricted/pullPolicy.yaml', 13, 13, 'did you mean "securityContext"?'],
    ['restricted/pullPolicy.yaml', 17, 34, 'did you mean "hostAliases"?'],
    ['restricted/pullPolicy.yaml', 20, 18, 'did you mean "mountPath"?'],
  ]);
  t.match(warnings[0]!.message, /^"\$\.imagePulPolicy" reads spec\.initContainers\[\*\]\.imagePulPolicy, but spec\.initContainers\[\*\] has no field "imagePulPolicy" \(Kubernetes 1\.\d+'s API\), so it reads nothing$/);
});

t.test('the bundled rules and the custom-rule fixture name only real fields', async (t) => {
  t.same(warningsOf(join(projectRoot, 'test', 'fixtures', 'custom-rules')), []);
  const bundled = createEvaluator();
  t.same(bundled.warnings, [], 'bundled rule files are not linted when loaded');
  // Linted here as if they were a user's: every rule file, scopes.yaml and defaulting.yaml.
  t.same(ruleFieldWarnings(bundled.table, join(projectRoot, 'no-such-dir'), [bundledRulesDir()], (f) => f), [], 'the bundled rules, scopes and defaults name real fields');
});

t.test('custom scopes.yaml and defaulting.yaml paths are checked too', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fields-'));
  mkdirSync(join(dir, 'baseline'));
  writeFileSync(join(dir, 'baseline', 'noLatestTag.yaml'), readFileSync(join(projectRoot, 'test', 'fixtures', 'custom-rules', 'baseline', 'noLatestTag.yaml'), 'utf8'));
  writeFileSync(join(dir, 'scopes.yaml'), 'schemaVersion: 1\nscopes:\n  mounts:\n    paths: ["$.spec.containers[*].volumeMount[*]"]\n    name: "$.nme"\n    label: { singular: mount, plural: mounts, names: true }\n');
  writeFileSync(join(dir, 'defaulting.yaml'), 'schemaVersion: 1\ndefaults:\n  - id: pull\n    objects: [pod]\n    in: "$.spec.containers[*]"\n    when: { path: "$.imagePulPolicy", operator: present, value: false }\n    set: [{ key: imagePullPolicy, value: Always }, { path: "$.securityContext.runAsNonRot", value: true }]\n');
  const warnings = warningsOf(dir);
  t.same(warnings.map((w) => [w.file, w.line, w.hint]), [
    ['scopes.yaml', 4, 'did you mean "volumeMounts"?'],
    ['defaulting.yaml', 6, 'did you mean "imagePullPolicy"?'],
    ['defaulting.yaml', 7, 'did you mean "runAsNonRoot"?'],
  ]);
});

t.test('check and explain print the warnings on stderr and go on', async (t) => {
  const rules = rulesDir();
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fields-'));
  writeFileSync(join(dir, 'pod.yaml'), compliantPod('web'));
  const run = async (cmd: (argv: string[], io: CliIO) => Promise<number>, argv: string[]) => {
    let out = '';
    let err = '';
    const io: CliIO = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) }, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: dir };
    return { code: await cmd(argv, io), out, err };
  };
  const c = await run(check, ['--rules-dir', rules, 'pod.yaml']);
  t.equal(c.code, 0, 'the pod is judged');
  t.match(c.out, /1 passed/);
  t.match(c.err, /^warning: \S*restricted\/pullPolicy\.yaml:12:23: "\$\.imagePulPolicy" reads .* \(did you mean "imagePullPolicy"\?\)\n/);
  t.equal(c.err.split('\n').filter(Boolean).length, 4);
  t.match(c.out, /1 passed, 0 failed \(0 violations\), 0 not evaluated, 0 errors, 4 warnings/, 'counted in the summary');
  // A JSON or SARIF reader sees no stderr: the report has them too, first, where each is written.
  const j = await run(check, ['--rules-dir', rules, '--format', 'json', 'pod.yaml']);
  t.equal(j.err, c.err);
  const report = JSON.parse(j.out);
  t.equal(report.summary.warnings, 4);
  t.match(report.warnings[0], { file: /restricted\/pullPolicy\.yaml$/, line: 12, column: 23, message: /^"\$\.imagePulPolicy" reads /, hint: /did you mean "imagePullPolicy"\?/ });
  t.notOk('index' in report.warnings[0], 'no document index: a rule file is not an input');
  const e = await run(explain, ['pullPolicy', '--rules-dir', rules]);
  t.equal(e.code, 0);
  t.equal(e.err, c.err, 'explain warns the same');
  t.equal((await run(check, ['pod.yaml'])).err, '', 'no rules directory, no warning');
});

t.test('equality with a quantity field is warned of: it compares the text, not the amount', async (t) => {
  const dir = oneBaselineRule('sized.yaml', `schemaVersion: 1
id: sized
level: baseline
title: Sized
summary: Quantities compared.
standard: https://example.com/sized
versions:
  - since: v1.0
    findings:
      cpu:
        in: "#containers"
        when: { path: "$.resources.limits.cpu", operator: equal, value: "1" }
      memory:
        in: "#containers"
        when: { path: "$.resources.requests.memory", operator: notIn, value: ["1Gi", "2Gi"] }
      bounded:
        in: "#containers"
        when: { path: "$.resources.limits.cpu", operator: greaterThan, value: "1" }
      named:
        in: "#containers"
        when: { path: "$.name", operator: equal, value: "1" }
    message:
      reason: sized
`);
  const warnings = warningsOf(dir);
  t.same(warnings.map((w) => [w.line, w.message.replace(/ \(Kubernetes 1\.\d+'s API\)$/, '')]), [
    [12, '"$.resources.limits.cpu" reads spec.initContainers[*].resources.limits.cpu, a quantity, which "equal" compares as written: 1, "1" and "1000m" are one amount to the API server but differ here'],
    [15, '"$.resources.requests.memory" reads spec.initContainers[*].resources.requests.memory, a quantity, which "notIn" compares as written: 1, "1" and "1000m" are one amount to the API server but differ here'],
  ], 'greaterThan reads amounts; a string field compares text as meant');
  t.match(warnings[0]!.hint, /greaterThanInclusive and lessThanInclusive together/);
});

t.test('a path that one of the types a scope reaches has is not warned of', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-fields-'));
  mkdirSync(join(dir, 'baseline'));
  // targetContainerName exists on ephemeral containers only; sysctls on the pod's securityContext only.
  writeFileSync(join(dir, 'baseline', 'targets.yaml'), RULE.replace('id: pullPolicy', 'id: targets').replace('level: restricted', 'level: baseline')
    .replace('"$.imagePulPolicy"', '"$.targetContainerName"').replace('"$.securityContxt"', '"$.securityContext"').replace('"$.spec.hostAliasses"', '"$.spec.hostAliases"').replace('"$.volumeMounts[*].mountPth"', '"$.volumeMounts[*].mountPath"')
    .replace('      aliases:\n        in: "#pod"', '      sysctls:\n        in: ["#pod", "#containers"]\n        when: { path: "$.securityContext.sysctls", operator: present, value: true }\n      aliases:\n        in: "#pod"'));
  t.same(warningsOf(dir), []);
});

t.test('a known field compared with a value of another type is warned of: the condition is fixed whatever the pod', async (t) => {
  const dir = oneBaselineRule('typed.yaml', `schemaVersion: 1
id: typed
level: baseline
title: Typed
summary: Comparisons of each kind.
standard: https://example.com/typed
versions:
  - since: v1.0
    sets:
      users: ["0"]
    findings:
      host:
        in: "#pod"
        when: { fact: pod, path: "$.spec.hostNetwork", operator: equal, value: "true" }
      root:
        in: "#containers"
        when: { path: "$.securityContext.runAsUser", operator: in, value: { set: users } }
      priv:
        in: "#containers"
        when: { path: "$.securityContext.privileged", operator: matchesNone, value: ["tr*"] }
      caps:
        in: "#containers"
        values: ["$.securityContext.capabilities.add[*]"]
        when: { fact: value, operator: equal, value: 5 }
      fine:
        in: "#containers"
        when:
          all:
            - { path: "$.securityContext.runAsUser", operator: in, value: [0, 1] }
            - { path: "$.ports[0].containerPort", operator: notEqual, value: 80 }
            - { path: "$.securityContext.capabilities.drop", operator: contains, value: ALL }
            - { fact: pod, path: "$.metadata.annotations['a']", operator: startsWith, value: x }
    message:
      reason: typed
      detail: '{{setters root}}'
`);
  const warnings = warningsOf(dir);
  t.same(warnings.map((w) => [w.line, w.message.replace(/ \(Kubernetes 1\.\d+'s API\)$/, '')]), [
    [14, '"$.spec.hostNetwork" reads spec.hostNetwork: it is a boolean, so "equal" with the string "true" never holds'],
    [17, '"$.securityContext.runAsUser" reads spec.initContainers[*].securityContext.runAsUser: it is an integer, so "in" with the string "0" never holds'],
    [20, '"$.securityContext.privileged" reads spec.initContainers[*].securityContext.privileged: it is a boolean, not a string, so "matchesNone" always holds'],
    [24, '"$" reads spec.initContainers[*].securityContext.capabilities.add[*]: it is a string, so "equal" with the number 5 never holds'],
  ]);
  t.match(warnings[0]!.hint, /true, not "true"/);
});

t.test('a numeric comparison warns only of a field that cannot hold a number or a quantity', async (t) => {
  const dir = oneBaselineRule('sizes.yaml', `schemaVersion: 1
id: sizes
level: baseline
title: Sizes
summary: Sizes.
standard: https://example.com/sizes
versions:
  - since: v1.0
    findings:
      containers:
        in: "#containers"
        when:
          any:
            - { path: "$.resources.limits.cpu", operator: greaterThan, value: 2 }
            - { path: "$.securityContext.runAsUser", operator: lessThan, value: 1000 }
            - { fact: pod, path: "$.metadata.labels['replicas']", operator: greaterThanInclusive, value: 3 }
            - { path: "$.securityContext.privileged", operator: lessThanInclusive, value: 1 }
            - { path: "$.resources", operator: greaterThan, value: "1Gi" }
    message: { reason: sizes, detail: '{{setters containers}}' }
`);
  t.same(warningsOf(dir).map((w) => [w.line, w.message.replace(/ \(Kubernetes 1\.\d+'s API\)$/, '')]), [
    [17, '"$.securityContext.privileged" reads spec.initContainers[*].securityContext.privileged: it is a boolean, not a number or a quantity, so "lessThanInclusive" never holds'],
    [18, '"$.resources" reads spec.initContainers[*].resources: it is an object, not a number or a quantity, so "greaterThan" never holds'],
  ]);
});

t.test('a set is compared as the version has it: inherited from an earlier one, or added to', async (t) => {
  const dir = oneBaselineRule('pull.yaml', `schemaVersion: 1
id: pull
level: baseline
title: Pull
summary: Pull policies.
standard: https://example.com/pull
versions:
  - since: v1.0
    sets:
      policies: [Always]
    findings:
      containers:
        in: "#containers"
        when: { path: "$.imagePullPolicy", operator: notIn, value: { set: policies } }
    message: { reason: pull, detail: '{{setters containers}}' }
  - since: v1.20
    findings:
      containers:
        in: "#containers"
        when: { path: "$.imagePullPolicy", operator: notIn, value: { set: policies } }
  - since: v1.30
    sets:
      policies: { add: [1] }
    findings:
      containers:
        in: "#containers"
        when: { path: "$.securityContext.runAsUser", operator: in, value: { set: policies } }
`);
  const warnings = warningsOf(dir);
  t.same(warnings.map((w) => [w.line, w.message.replace(/ \(Kubernetes 1\.\d+'s API\)$/, '')]), [], 'an inherited set of strings fits a string field; one with a number fits an integer field');
  writeFileSync(join(dir, 'baseline', 'pull.yaml'), readFileSync(join(dir, 'baseline', 'pull.yaml'), 'utf8').replace('{ add: [1] }', '{ remove: [Always], add: ["1"] }'));
  t.same(warningsOf(dir).map((w) => [w.line, w.message.replace(/ \(Kubernetes 1\.\d+'s API\)$/, '')]), [
    [27, '"$.securityContext.runAsUser" reads spec.initContainers[*].securityContext.runAsUser: it is an integer, so "in" with the string "1" never holds'],
  ]);
});
