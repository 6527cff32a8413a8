// `podsec test`: rule test case files, run in-process.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import { parse } from 'yaml';
import { run as test } from '../cli/commands/test.js';
import type { CliIO } from '../cli/io.js';
import { projectRoot } from './helpers/shared.js';
import { createEvaluator } from '../engine/index.js';

const customRules = join(projectRoot, 'test', 'fixtures', 'custom-rules');
const customTests = join(projectRoot, 'test', 'fixtures', 'custom-rules-tests');
/** The newest policy version the bundled rules know: what a newer one listed is run as. */
const NEWEST = createEvaluator().newestVersion;

async function podsecTest(argv: string[], cwd = projectRoot, terminal: { isTTY?: boolean; env?: Record<string, string> } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin: (async function* () {})(), env: terminal.env ?? {}, isTTY: terminal.isTTY ?? false, cwd };
  const code = await test(argv, io);
  return { code, out, err };
}

const PRIVILEGED_POD = '{ spec: { containers: [{ name: a, securityContext: { privileged: true } }] } }';

t.test("the bundled rules' own cases all hold, counted as their files give them", async (t) => {
  const files = readdirSync(join(projectRoot, 'test', 'cases')).filter((f) => f.endsWith('.yaml'));
  const cases = files.map((f) => (parse(readFileSync(join(projectRoot, 'test', 'cases', f), 'utf8')) as { cases: { versions: string[] }[] }).cases);
  const runs = cases.flat().reduce((n, c) => n + c.versions.length, 0);
  const r = await podsecTest(['test/cases']);
  t.equal(r.code, 0, r.err);
  // A version newer than the rules know is run as the newest, and said once.
  const newest = Number(createEvaluator().newestVersion.slice(3));
  const newer = [...new Set(cases.flat().flatMap((c) => c.versions).filter((v) => v !== 'latest' && Number(v.slice(3)) > newest))].sort();
  t.ok(newer.length > 0, 'the bundled cases run a version beyond the newest');
  t.equal(r.err, newer.map((v) => `note: ${v} is newer than the newest policy version the rules know, v1.${newest}: cases there are evaluated as v1.${newest}, as Kubernetes does\n`).join(''));
  t.equal(r.out.split('\n').filter((l) => / all hold$/.test(l)).length, files.length, 'one line a file');
  t.match(r.out, `\n${files.length} files, ${cases.flat().length} cases, ${runs} runs: ${runs} held, 0 failed\n`);
  const quiet = await podsecTest(['-q', 'test/cases']);
  t.equal(quiet.out, `${files.length} files, ${cases.flat().length} cases, ${runs} runs: ${runs} held, 0 failed\n`, '--quiet: the summary alone');
});

t.test("a rules directory's checks, tested at their level and at restricted", async (t) => {
  const r = await podsecTest(['--rules-dir', 'test/fixtures/custom-rules', 'test/fixtures/custom-rules-tests']);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, 'test/fixtures/custom-rules-tests/noLatestTag.yaml  noLatestTag: 5 cases, 6 runs, all hold\n\n1 file, 5 cases, 6 runs: 6 held, 0 failed\n');
  const without = await podsecTest(['test/fixtures/custom-rules-tests/noLatestTag.yaml']);
  t.equal(without.code, 2);
  t.equal(without.err, 'error: test/fixtures/custom-rules-tests/noLatestTag.yaml:2:8: no check "noLatestTag" in the rules loaded (name a check "podsec rules" lists; a check of your own needs --rules-dir)\n');
});

t.test('a failing case: where it is, at which level and version, what was expected and what the check said', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: privileged
cases:
  - name: names the wrong container
    versions: [v1.0, latest]
    pod: ${PRIVILEGED_POD}
    expect: { reason: privileged, detail: 'container "b" must not set securityContext.privileged=true' }
  - name: expects a pass
    level: restricted
    versions: [latest]
    pod: ${PRIVILEGED_POD}
    expect: pass
  - name: the reason alone is compared when no detail is given
    versions: [latest]
    pod: ${PRIVILEGED_POD}
    expect: { reason: privileged }
  - name: a wrong reason fails without a detail too
    versions: [latest]
    pod: ${PRIVILEGED_POD}
    expect: { reason: privileged container }
  - name: expects a violation where the check finds none
    versions: [latest]
    pod: { spec: { containers: [{ name: a }] } }
    expect: { reason: privileged, detail: 'container "a" must not set securityContext.privileged=true' }
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(r.err, '');
  t.equal(r.out, [
    'cases.yaml  privileged: 5 cases, 6 runs, 5 failed',
    '  FAIL  cases.yaml:3:5  names the wrong container [baseline:v1.0]',
    '        expected: privileged (container "b" must not set securityContext.privileged=true)',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    '  FAIL  cases.yaml:3:5  names the wrong container [baseline:latest]',
    '        expected: privileged (container "b" must not set securityContext.privileged=true)',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    '  FAIL  cases.yaml:7:5  expects a pass [restricted:latest]',
    '        expected: passes',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    '  FAIL  cases.yaml:16:5  a wrong reason fails without a detail too [baseline:latest]',
    '        expected: privileged container (any detail)',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    '  FAIL  cases.yaml:20:5  expects a violation where the check finds none [baseline:latest]',
    '        expected: privileged (container "a" must not set securityContext.privileged=true)',
    '        got:      passes',
    '',
    '1 file, 5 cases, 6 runs: 1 held, 5 failed',
    '',
  ].join('\n'));
});

t.test('fields, when a case gives them: the offending fields in order, as reports write them', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: privileged
cases:
  - name: both containers, in visit order
    versions: [latest]
    pod: { spec: { initContainers: [{ name: i, securityContext: { privileged: true } }], containers: [{ name: a, securityContext: { privileged: true } }] } }
    expect: { reason: privileged, fields: ["spec.initContainers[0].securityContext.privileged", "spec.containers[0].securityContext.privileged"] }
  - name: the parent is not the field
    versions: [latest]
    pod: ${PRIVILEGED_POD}
    expect: { reason: privileged, detail: 'container "a" must not set securityContext.privileged=true', fields: ["spec.containers[0].securityContext"] }
  - name: an order of its own is not the check's
    versions: [latest]
    pod: { spec: { initContainers: [{ name: i, securityContext: { privileged: true } }], containers: [{ name: a, securityContext: { privileged: true } }] } }
    expect: { reason: privileged, fields: ["spec.containers[0].securityContext.privileged", "spec.initContainers[0].securityContext.privileged"] }
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(r.out, [
    'cases.yaml  privileged: 3 cases, 3 runs, 2 failed',
    '  FAIL  cases.yaml:7:5  the parent is not the field [baseline:latest]',
    '        expected: privileged (container "a" must not set securityContext.privileged=true)',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    '        fields expected: spec.containers[0].securityContext',
    '        fields got:      spec.containers[0].securityContext.privileged',
    '  FAIL  cases.yaml:11:5  an order of its own is not the check\'s [baseline:latest]',
    '        expected: privileged (any detail)',
    '        got:      privileged (containers "i", "a" must not set securityContext.privileged=true)',
    '        fields expected: spec.containers[0].securityContext.privileged, spec.initContainers[0].securityContext.privileged',
    '        fields got:      spec.initContainers[0].securityContext.privileged, spec.containers[0].securityContext.privileged',
    '',
    '1 file, 3 cases, 3 runs: 1 held, 2 failed',
    '',
  ].join('\n'));
});

t.test('a check that does not run at a version finds nothing there: a case can show where it starts', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: hostProbesAndHostLifecycle
cases:
  - name: not checked before v1.34
    versions: [v1.33]
    pod: { spec: { containers: [{ name: a, livenessProbe: { httpGet: { host: example.com, port: 80 } } }] } }
    expect: pass
  - name: checked from v1.34
    versions: [v1.34]
    pod: { spec: { containers: [{ name: a, livenessProbe: { httpGet: { host: example.com, port: 80 } } }] } }
    expect: { reason: probe or lifecycle host }
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 0, r.out);
  t.match(r.out, '2 cases, 2 runs: 2 held, 0 failed');
});

t.test('invalid case files: every problem with file, line and column; the valid files still run', async (t) => {
  const dir = t.testdir({
    'a-bad.yaml': `check: privileged
cases:
  - name: typo
    verions: [latest]
    pod: { spec: { containers: [{ name: a }] } }
    expect: pas
  - name: versions and a workload
    versions: [1.25, v1.05]
    pod: { kind: Deployment, spec: { containers: [{ name: a }] } }
    expect: { reason: privileged, detial: x }
`,
    'b-unknown.yaml': 'check: privilegd\ncases:\n  - { name: x, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass }\n',
    'c-level.yaml': 'check: runAsNonRoot\ncases:\n  - { name: x, level: baseline, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass }\n',
    'd-syntax.yaml': 'check: [\n',
    'e-empty.yaml': '',
    'f-good.yaml': `check: privileged\ncases:\n  - { name: ok, versions: [latest], pod: ${PRIVILEGED_POD}, expect: { reason: privileged } }\n`,
  });
  const r = await podsecTest(['.'], dir);
  t.equal(r.code, 2, 'a problem wins over a pass');
  t.equal(r.out, [
    'a-bad.yaml  not run: 7 problems (below)',
    'b-unknown.yaml  not run: 1 problem (below)',
    'c-level.yaml  not run: 1 problem (below)',
    'd-syntax.yaml  not run: 1 problem (below)',
    'e-empty.yaml  not run: 1 problem (below)',
    'f-good.yaml  privileged: 1 case, 1 run, all hold',
    '',
    '6 files, 1 case, 1 run: 1 held, 0 failed, 11 problems',
    '',
  ].join('\n'));
  t.equal(r.err, [
    'error: a-bad.yaml:3:5: cases[0] is missing "versions" (is "verions" meant to be "versions"? Write versions: …)',
    'error: a-bad.yaml:4:5: unknown key "verions" in cases[0] (did you mean "versions"?)',
    'error: a-bad.yaml:6:13: cases[0].expect must be "pass" (write pass, or the violation: { reason: …, detail: … })',
    'error: a-bad.yaml:8:16: cases[1].versions[0] must be of type string (write latest, or a policy version like v1.25 (no leading zeros, no patch number))',
    'error: a-bad.yaml:8:22: cases[1].versions[1] is "v1.05", which has the wrong form (write latest, or a policy version like v1.25 (no leading zeros, no patch number))',
    'error: a-bad.yaml:9:18: cases[1].pod.kind must be "Pod" (give the pod itself: a workload\'s pod template (its spec.template: metadata and spec), with defaulting: template)',
    'error: a-bad.yaml:10:35: unknown key "detial" in cases[1].expect (did you mean "detail"?)',
    'error: b-unknown.yaml:1:8: no check "privilegd" in the rules loaded (did you mean "privileged"? A check of your own needs --rules-dir)',
    'error: c-level.yaml:3:23: runAsNonRoot is a restricted check: at baseline it never runs (remove level:, or write level: restricted)',
    'error: d-syntax.yaml:2:1: YAML syntax error: a list in [ ] that is not closed, or has a line indented no further than its key (close it with "]", and indent the lines inside it further than the key it belongs to)',
    'error: e-empty.yaml:1:1: the file is empty (write test cases (check, cases))',
    '',
  ].join('\n'));
});

t.test('a problem of one case leaves that case out: the file\'s other cases run', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: privileged\ncases:\n  - { name: ok, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass }\n  - { name: bad, versions: [latest], pod: { spec: { containers: [{ name: a }], hostNetwork: "true" } }, expect: pass }\n  - { name: also ok, versions: [latest], pod: ${PRIVILEGED_POD}, expect: { reason: privileged } }\n`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2, 'a problem still fails the run');
  t.equal(r.out, 'cases.yaml  privileged: 2 cases, 2 runs, all hold\n\n1 file, 2 cases, 2 runs: 2 held, 0 failed, 1 problem\n');
  t.match(r.err, /^error: cases\.yaml:4:\d+: cases\[1\]\.pod\.spec\.hostNetwork must be a boolean/);
});

t.test('a case key written beside cases: is sent into the cases', async (t) => {
  const dir = t.testdir({ 'cases.yaml': `check: runAsNonRoot\nlevel: restricted\nversions: [latest]\ncases:\n  - { name: a, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass }\n` });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2, 'a case file with problems is not run');
  t.equal(r.err, [
    'error: cases.yaml:2:1: unknown key "level" in the file ("level" is a key of each item of "cases": move it into the items that need it, or remove it)',
    'error: cases.yaml:3:1: unknown key "versions" in the file ("versions" is a key of each item of "cases": move it into the items that need it, or remove it)',
    '',
  ].join('\n'));
});

t.test("a case's pod: a misspelt field or one of the wrong type is an error, since the check would read it as absent", async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: privileged
cases:
  - name: typed
    versions: [latest]
    pod:
      spec:
        containers:
          - name: a
            securityContex: { privileged: true }
          - name: b
            securityContext: { privileged: "true" }
    expect: pass
  - name: a key like none of a Pod's may be meant (a volume source newer than the checks)
    versions: [latest]
    defaulting: none
    pod: { spec: { containers: [{ name: a }], volumes: [{ name: v, fancy: {} }] } }
    expect: pass
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: cases.yaml:9:13: cases[0].pod.spec.containers[0].securityContex is not a field of a Pod, so no check reads it (did you mean "securityContext"?)',
    'error: cases.yaml:11:44: cases[0].pod.spec.containers[1].securityContext.privileged must be a boolean (true or false), not the string "true" (write the type the field takes: the API server would refuse this pod)',
    '',
  ].join('\n'));
});

t.test('a field at the wrong level, a pod the API server refuses, a number JSON cannot hold: errors where they are', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: hostNamespaces
cases:
  - name: misplaced
    versions: [latest]
    pod: { spec: { containers: [{ name: a, hostNetwork: true, privileged: true }] } }
    expect: pass
  - name: refused
    versions: [latest]
    pod: { spec: { containers: [], initContainers: [{ image: x }, null] } }
    expect: pass
  - name: infinite
    versions: [latest]
    pod: { spec: { containers: [{ name: a, ports: [{ containerPort: 80, hostPort: .inf }] }] } }
    expect: pass
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: cases.yaml:5:44: cases[0].pod.spec.containers[0].hostNetwork is not a field there, so no check reads it (move it to spec.hostNetwork)',
    'error: cases.yaml:5:63: cases[0].pod.spec.containers[0].privileged is not a field there, so no check reads it (move it to spec.containers[0].securityContext.privileged)',
    'error: cases.yaml:9:32: cases[1].pod.spec.containers: Required value (the API server refuses a pod without containers) (add one: containers: [{ name: a }])',
    'error: cases.yaml:9:53: cases[1].pod.spec.initContainers[0].name: Required value (the API server refuses a container without a name) (give it a name: messages name containers by it)',
    'error: cases.yaml:9:67: cases[1].pod.spec.initContainers[1].name: Required value (the API server refuses a container without a name) (give it a name: messages name containers by it)',
    'error: cases.yaml:13:83: cases[2].pod.spec.containers[0].ports[0].hostPort is Infinity, which JSON cannot hold (write a finite number)',
    '',
  ].join('\n'));
});

t.test('a misplaced field is sent to the nearest place it belongs; merge keys and unknown keys are errors, save a volume type', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: hostNamespaces
cases:
  - name: misplaced
    versions: [latest]
    pod: { spec: { containers: [{ name: a, runAsUser: 0 }], initContainers: [{ name: i, securityContext: { hostProcess: true } }] } }
    expect: pass
  - name: merge and unknown
    versions: [latest]
    pod:
      metadata: null
      spec:
        <<: { hostNetwork: true }
        hostNet: true
        containers: [{ name: a, sc: { privileged: true }, securityContext: { runAsUser: 9223372036854775808 } }]
        volumes: [{ name: v, fancy: {} }]
    expect: pass
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: cases.yaml:5:44: cases[0].pod.spec.containers[0].runAsUser is not a field there, so no check reads it (move it to spec.containers[0].securityContext.runAsUser)',
    'error: cases.yaml:5:108: cases[0].pod.spec.initContainers[0].securityContext.hostProcess is not a field there, so no check reads it (move it to spec.initContainers[0].securityContext.windowsOptions.hostProcess)',
    'error: cases.yaml:12:9: cases[1].pod.spec["<<"]: merge keys are not read in case files (YAML 1.2), so no check would see what it merges (write the fields out)',
    'error: cases.yaml:13:9: cases[1].pod.spec.hostNet is not a field of a Pod, so no check reads it (remove it, or write the field meant)',
    'error: cases.yaml:14:33: cases[1].pod.spec.containers[0].sc is not a field of a Pod, so no check reads it (remove it, or write the field meant)',
    'error: cases.yaml:14:89: cases[1].pod.spec.containers[0].securityContext.runAsUser is too large to be read exactly (write an integer from -9007199254740991 to 9007199254740991)',
    '',
  ].join('\n'), 'metadata: null is no metadata, as the API server reads it; a volume type podsec does not know may be meant');
});

t.test('YAML as people write it: "---" around the one document, an anchor used many times', async (t) => {
  const reused = Array.from({ length: 150 }, (_, i) => `  - { name: c${i}, versions: *v, pod: *p, expect: pass }`).join('\n');
  const dir = t.testdir({
    'framed.yaml': `---\ncheck: privileged\ncases:\n  - { name: x, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass }\n---\n`,
    'anchors.yaml': `check: privileged\ncases:\n  - { name: first, versions: &v [latest], pod: &p { spec: { containers: [{ name: a }] } }, expect: pass }\n${reused}\n`,
  });
  const r = await podsecTest(['framed.yaml', 'anchors.yaml'], dir);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, 'framed.yaml  privileged: 1 case, 1 run, all hold\nanchors.yaml  privileged: 151 cases, 151 runs, all hold\n\n2 files, 152 cases, 152 runs: 152 held, 0 failed\n');
  // A tag the value does not fit would make it a string: the case would test another pod.
  writeFileSync(join(dir, 'tagged.yaml'), 'check: runAsUser\ncases:\n  - { name: x, versions: [latest], pod: { spec: { securityContext: { runAsUser: !!float 0 }, containers: [{ name: a }] } }, expect: pass }\n');
  const tagged = await podsecTest(['tagged.yaml'], dir);
  t.equal(tagged.code, 2);
  t.equal(tagged.err, 'error: tagged.yaml:3:81: the tag !!float does not apply to this value, so it would be read as a string (remove the tag, and write the value as it is meant)\n');
});

t.test('one mistake, one error: a field the type check refuses is not also missing, infinite or misplaced twice; a pod field goes to the pod', async (t) => {
  const dir = t.testdir({
    'cases.yaml': `check: hostNamespaces
cases:
  - name: once each
    versions: [latest]
    pod: { metadata: x, spec: { hostNetwork: .inf, runAsUser: 0, containers: x } }
    expect: pass
  - name: spec forgotten
    versions: [latest]
    pod: { containers: [{ name: a }] }
    expect: pass
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: cases.yaml:5:22: cases[0].pod.metadata must be a mapping, not the string "x" (write the type the field takes: the API server would refuse this pod)',
    'error: cases.yaml:5:46: cases[0].pod.spec.hostNetwork must be a boolean (true or false), not the number Infinity (write the type the field takes: the API server would refuse this pod)',
    'error: cases.yaml:5:52: cases[0].pod.spec.runAsUser is not a field there, so no check reads it (move it to spec.securityContext.runAsUser)',
    'error: cases.yaml:5:78: cases[0].pod.spec.containers must be a list, not the string "x" (write the type the field takes: the API server would refuse this pod)',
    'error: cases.yaml:9:10: cases[1].pod is missing "spec" (add spec: …)',
    'error: cases.yaml:9:12: cases[1].pod.containers is not a field there, so no check reads it (move it to spec.containers)',
    '',
  ].join('\n'));
});

t.test('past ten field problems in a case, one line says there are more', async (t) => {
  const containers = Array.from({ length: 12 }, (_, i) => `{ name: c${i}, securityContext: { privileged: "yes" } }`).join(', ');
  const dir = t.testdir({ 'cases.yaml': `check: privileged\ncases:\n  - { name: x, versions: [latest], pod: { spec: { containers: [${containers}] } }, expect: pass }\n` });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 2);
  const lines = r.err.trimEnd().split('\n');
  t.equal(lines.length, 11);
  t.equal(lines.filter((l) => / must be a boolean \(true or false\), not the string "yes" /.test(l)).length, 10);
  t.equal(lines[10], 'error: cases.yaml:3:593: cases[0].pod has more fields that are misspelt, misplaced or of the wrong type than those shown (fix those first, and run again)', 'at the last one shown');
});

t.test('a rule file or a manifest given as cases is one error that says what it is; a file of cases that also holds schemaVersion is not left out', async (t) => {
  const dir = t.testdir({
    'rule.yaml': readFileSync(join(customRules, 'baseline', 'noLatestTag.yaml'), 'utf8'),
    'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: a }] }\n',
    both: { 'cases.yaml': `schemaVersion: 1\ncheck: privileged\ncases:\n  - { name: x, versions: [latest], pod: ${PRIVILEGED_POD}, expect: pass }\n` },
  });
  const r = await podsecTest(['rule.yaml', 'pod.yaml', 'both'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: rule.yaml:2:1: this is a rule file (or scopes.yaml or defaulting.yaml), not test cases (load its rules directory with --rules-dir; a case file has check: and cases:)',
    'error: pod.yaml:1:1: this is a Kubernetes manifest (kind "Pod"), not test cases (podsec check judges manifests; a case file has check: and cases:, with a pod in each case)',
    'error: both/cases.yaml:1:1: unknown key "schemaVersion" in the file (remove it, or use one of: check, cases)',
    '',
  ].join('\n'));
});

t.test('a file that is not UTF-8, or nests too deeply, is an error that says so', async (t) => {
  const deep = `check: privileged\ncases:\n  - { name: x, versions: [latest], pod: { spec: { containers: [{ name: a }] } }, expect: pass, x: ${'['.repeat(3000)}${']'.repeat(3000)} }\n`;
  const dir = t.testdir({ 'latin.yaml': Buffer.from('check: privileged\ncases:\n  - { name: "caf\xe9", versions: [latest], pod: { spec: {} }, expect: pass }\n', 'latin1'), 'deep.yaml': deep });
  const r = await podsecTest(['latin.yaml', 'deep.yaml'], dir);
  t.equal(r.code, 2);
  t.match(r.err, /^error: latin\.yaml:3:17: the file is not UTF-8: a byte sequence here is no UTF-8 character \(save the file as UTF-8\)\n/);
  t.match(r.err, /\nerror: deep\.yaml:3:\d+: collections are nested too deeply to read here \(nest fewer levels\)\n$/);
});

t.test('versions: one newer than the rules know runs as the newest, said once; a check that does not run there says so', async (t) => {
  const newest = createEvaluator().newestVersion;
  const dir = t.testdir({
    'cases.yaml': `check: runAsUser
cases:
  - name: root is refused
    versions: [v1.99, v1.22]
    pod: { spec: { securityContext: { runAsUser: 0 }, containers: [{ name: a }] } }
    expect: { reason: runAsUser=0 }
`,
  });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(r.out, [
    'cases.yaml  runAsUser: 1 case, 2 runs, 1 failed',
    '  FAIL  cases.yaml:3:5  root is refused [restricted:v1.22]',
    '        expected: runAsUser=0 (any detail)',
    '        got:      passes (the check does not run at restricted:v1.22)',
    '',
    '1 file, 1 case, 2 runs: 1 held, 1 failed',
    '',
  ].join('\n'));
  t.equal(r.err, `note: v1.99 is newer than the newest policy version the rules know, ${newest}: cases there are evaluated as ${newest}, as Kubernetes does\n`);
  writeFileSync(join(dir, 'cases.yaml'), readFileSync(join(dir, 'cases.yaml'), 'utf8').replace('[v1.99, v1.22]', '[v1.99]').replace('runAsUser=0', 'runAsUser=1'));
  const as = await podsecTest(['cases.yaml'], dir);
  t.match(as.out, `  FAIL  cases.yaml:3:5  root is refused [restricted:v1.99, evaluated as ${newest}]\n`);
});

t.test('directories: searched recursively, YAML in any case; rule files and manifests in them are left out and listed; none found is an error', async (t) => {
  const dir = t.testdir({
    'my-rules': { baseline: { 'noLatestTag.yaml': readFileSync(join(customRules, 'baseline', 'noLatestTag.yaml'), 'utf8') } },
    tests: {
      deeper: { 'noLatestTag.yml': readFileSync(join(customTests, 'noLatestTag.yaml'), 'utf8') },
      'LOUD.YAML': `check: privileged\ncases:\n  - { name: upper-case extension, versions: [latest], pod: ${PRIVILEGED_POD}, expect: pass }\n`,
      'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { containers: [{ name: a }] }\n',
      'app.yaml': readFileSync(join(projectRoot, 'examples', 'shop-frontend.yaml'), 'utf8'),
      'notes.txt': 'not yaml',
    },
    empty: { 'README.md': '# nothing here' },
  });
  const r = await podsecTest(['--rules-dir', 'my-rules', '.'], dir);
  t.equal(r.code, 1, 'the upper-case file is run, and fails');
  t.equal(r.out, [
    'tests/LOUD.YAML  privileged: 1 case, 1 run, 1 failed',
    '  FAIL  tests/LOUD.YAML:3:5  upper-case extension [baseline:latest]',
    '        expected: passes',
    '        got:      privileged (container "a" must not set securityContext.privileged=true)',
    'tests/deeper/noLatestTag.yml  noLatestTag: 5 cases, 6 runs, all hold',
    '',
    '2 files, 6 cases, 7 runs: 6 held, 1 failed',
    '',
  ].join('\n'));
  t.equal(r.err, 'note: not case files, left out: my-rules/baseline/noLatestTag.yaml (a rule file), tests/app.yaml (Kubernetes manifests), tests/pod.yaml (a Kubernetes manifest)\n');
  t.ok(readFileSync(join(dir, 'tests', 'app.yaml'), 'utf8').includes('\n---\n'), 'app.yaml holds several documents');
  const named = await podsecTest(['tests/app.yaml'], dir);
  t.equal(named.err, 'error: tests/app.yaml:1:1: these are Kubernetes manifests (several documents), not test cases (podsec check judges manifests; a case file has check: and cases:, with a pod in each case)\n');
  // Named, a rule file is an error (test/test-command's "given as cases" test); found alone, it is no test.
  const rulesOnly = await podsecTest(['--rules-dir', 'my-rules', 'my-rules'], dir);
  t.equal(rulesOnly.code, 2);
  t.equal(rulesOnly.err, [
    'error: no test case files among the files found (a case file has check: and cases:, as podsec test --help shows)',
    'note: not case files, left out: my-rules/baseline/noLatestTag.yaml (a rule file)',
    '',
  ].join('\n'));
  // A file reached twice (named, and under a directory given; or through a link) runs once.
  symlinkSync(join(dir, 'tests', 'deeper'), join(dir, 'tests', 'linked'));
  const twice = await podsecTest(['--rules-dir', 'my-rules', 'tests/deeper/noLatestTag.yml', 'tests/deeper', 'tests/linked'], dir);
  t.equal(twice.out, 'tests/deeper/noLatestTag.yml  noLatestTag: 5 cases, 6 runs, all hold\n\n1 file, 5 cases, 6 runs: 6 held, 0 failed\n');
  // A link to nothing in a directory is a file that cannot be read, said in words.
  symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'tests', 'dangling.yaml'));
  const dangling = await podsecTest(['--rules-dir', 'my-rules', 'tests/'], dir);
  t.match(dangling.err, /^error: tests\/dangling\.yaml:1:1: cannot read the file: no such file or directory \(check that it exists and is readable\)\n/m);
  const none = await podsecTest(['empty', 'missing.yaml'], dir);
  t.equal(none.code, 2);
  t.equal(none.err, [
    'error: empty: no YAML files in this directory (a case file is a .yaml or .yml file with check: and cases:, as podsec test --help shows)',
    'error: missing.yaml: no such file or directory (name a case file, or a directory of them)',
    '',
  ].join('\n'));
});

t.test('text from the files is shown escaped', async (t) => {
  const dir = t.testdir({ 'cases.yaml': `check: privileged\ncases:\n  - { name: "forged\\nFAIL  line\\u202e", versions: [latest], pod: ${PRIVILEGED_POD}, expect: pass }\n` });
  const r = await podsecTest(['cases.yaml'], dir);
  t.equal(r.code, 1);
  t.match(r.out, '  FAIL  cases.yaml:3:5  forged\\nFAIL  line\\u202e [baseline:latest]\n');
});

t.test('colour: on a terminal or with FORCE_COLOR or --color always, not with NO_COLOR or --color never', async (t) => {
  const dir = t.testdir({
    'a.yaml': `check: privileged\ncases:\n  - { name: fails, versions: [latest], pod: ${PRIVILEGED_POD}, expect: pass }\n`,
    'b.yaml': `check: privileged\ncases:\n  - { name: holds, versions: [latest], pod: ${PRIVILEGED_POD}, expect: { reason: privileged } }\n`,
  });
  const painted = 'a.yaml  privileged: 1 case, 1 run, \x1b[31m1 failed\x1b[0m\n  \x1b[31mFAIL\x1b[0m  a.yaml:3:5  fails [baseline:latest]\n';
  const plain = 'a.yaml  privileged: 1 case, 1 run, 1 failed\n  FAIL  a.yaml:3:5  fails [baseline:latest]\n';
  t.match((await podsecTest(['a.yaml', 'b.yaml'], dir, { isTTY: true })).out, painted);
  t.match((await podsecTest(['a.yaml', 'b.yaml'], dir, { isTTY: true })).out, 'b.yaml  privileged: 1 case, 1 run, \x1b[32mall hold\x1b[0m\n');
  t.match((await podsecTest(['a.yaml'], dir, { env: { FORCE_COLOR: '1' } })).out, painted);
  t.match((await podsecTest(['--color', 'always', 'a.yaml'], dir)).out, painted);
  t.match((await podsecTest(['a.yaml'], dir, { isTTY: true, env: { NO_COLOR: '1' } })).out, plain);
  t.match((await podsecTest(['--color', 'never', 'a.yaml'], dir, { isTTY: true })).out, plain);
  t.match((await podsecTest(['a.yaml'], dir)).out, plain, 'a pipe gets none');
  await t.rejects(podsecTest(['--color', 'sometimes', 'a.yaml'], dir), { name: 'UsageError', message: '--color must be auto, always or never, not "sometimes"' });
});

t.test('usage errors', async (t) => {
  await t.rejects(podsecTest([]), { name: 'UsageError', message: 'names no case files' });
  await t.rejects(podsecTest(['-']), { name: 'UsageError', message: 'reads case files, not standard input' });
  await t.rejects(podsecTest(['']), { name: 'UsageError', message: 'a path is empty' }, 'an unset variable is no directory');
  await t.rejects(podsecTest(['--rules', 'x', 'test/cases']), { name: 'UsageError', message: /unknown flag --rules/ });
  const help = await podsecTest(['--help']);
  t.equal(help.code, 0);
  t.match(help.out, /^Usage: podsec test \[flags\] PATH\.\.\./);
});

t.test("the help's example case file is valid and holds against the README's rule", async (t) => {
  const help = (await podsecTest(['--help'])).out;
  const example = /\nA case file names one check and lists its cases:\n\n((?: {2}[^\n]*\n)+)/.exec(help)![1]!.replace(/^ {2}/gm, '');
  const dir = t.testdir({});
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'tests', 'example.yaml'), example);
  const r = await podsecTest(['--rules-dir', customRules, 'tests'], dir);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, '1 file, 2 cases, 3 runs: 3 held, 0 failed');
});

const testReportSchema = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'test-report.schema.json'), 'utf8'));
const validateTestReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(testReportSchema);

/** A directory with a case file that holds, one that fails, one with a problem, and a rule file beside them. */
function mixedResults(t: Test): string {
  return t.testdir({
    'holds.yaml': `check: privileged\ncases:\n  - name: a privileged container fails\n    versions: [latest]\n    pod: ${PRIVILEGED_POD}\n    expect: { reason: privileged }\n`,
    'fails.yaml': `check: privileged\ncases:\n  - name: 'expects <a> "pass" & fails'\n    versions: [v1.0, v1.99]\n    pod: ${PRIVILEGED_POD}\n    expect: pass\n`,
    'broken.yaml': `check: privilegd\ncases:\n  - name: a\n    versions: [latest]\n    pod: ${PRIVILEGED_POD}\n    expect: pass\n`,
    'rule.yaml': 'schemaVersion: 1\nid: x\n',
  });
}

t.test('--format json: the report schemas/test-report.schema.json describes, with every run and problem', async (t) => {
  const dir = mixedResults(t);
  const r = await podsecTest(['--format', 'json', '.'], dir);
  t.equal(r.code, 2, 'a problem wins over a failure');
  const report = JSON.parse(r.out);
  t.ok(validateTestReport(report), JSON.stringify(validateTestReport.errors));
  t.same(report.summary, { files: 3, cases: 2, runs: 3, held: 1, failed: 2, problems: 1 });
  t.equal(report.exitCode, 2);
  t.same(report.files.map((f: { file: string; ran: boolean; check: string | null }) => [f.file, f.ran, f.check]), [
    ['broken.yaml', false, null], ['fails.yaml', true, 'privileged'], ['holds.yaml', true, 'privileged'],
  ]);
  t.same(report.leftOut, [{ file: 'rule.yaml', what: 'a rule file' }]);
  t.same(report.problems, [{ file: 'broken.yaml', line: 1, column: 8, pointer: '/check', message: 'no check "privilegd" in the rules loaded', hint: 'did you mean "privileged"? A check of your own needs --rules-dir' }]);
  const failing = report.files[1].runs[1];
  t.same(failing, {
    name: 'expects <a> "pass" & fails', line: 3, column: 5, level: 'baseline', version: 'v1.99', evaluatedVersion: NEWEST, checkRuns: true, ok: false,
    expected: { pass: true },
    actual: { reason: 'privileged', detail: 'container "a" must not set securityContext.privileged=true', fields: ['spec.containers[0].securityContext.privileged'] },
  });
  t.same(report.files[2].runs[0].expected, { pass: false, reason: 'privileged' }, 'an expected violation as the case gives it');
  // Problems and notes are said on stderr too, for a CI log.
  t.match(r.err, 'error: broken.yaml:1:8: no check "privilegd"');
  t.match(r.err, 'note: v1.99 is newer than the newest policy version');
  t.match(r.err, 'note: not case files, left out: rule.yaml (a rule file)');
  const holds = await podsecTest(['--format', 'json', 'holds.yaml'], dir);
  t.equal(holds.code, 0);
  t.ok(validateTestReport(JSON.parse(holds.out)));
  t.equal(JSON.parse(holds.out).exitCode, 0);
});

/** JUnit XML as objects: attributes as properties, character references read. */
function readJunit(xml: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
}

// XML 1.0 holds no other characters, not even as references.
const NOT_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

t.test('--format junit: well-formed JUnit XML, a suite per file and a test case per run; problems are errors', async (t) => {
  const dir = mixedResults(t);
  const r = await podsecTest(['--format', 'junit', '.'], dir);
  t.equal(r.code, 2);
  t.equal(XMLValidator.validate(r.out), true);
  t.notMatch(r.out, NOT_XML);
  const xml = readJunit(r.out);
  const suites = xml.testsuites;
  t.same([suites.name, suites.tests, suites.failures, suites.errors], ['podsec test', '4', '2', '1']);
  t.same(suites.testsuite.map((s: { name: string; tests: string; failures: string; errors: string }) => [s.name, s.tests, s.failures, s.errors]), [
    ['broken.yaml', '1', '0', '1'], ['fails.yaml', '2', '2', '0'], ['holds.yaml', '1', '0', '0'],
  ]);
  const [broken, fails, holds] = suites.testsuite;
  t.same(holds.testcase[0], { classname: 'privileged', name: 'a privileged container fails [baseline:latest]', file: 'holds.yaml', line: '3', time: '0' });
  // dorny/test-reporter reads each time with parseFloat, and shows NaN where there is none.
  const times = [suites.time, ...suites.testsuite.flatMap((s: { time: string; testcase: { time: string }[] }) => [s.time, ...s.testcase.map((c) => c.time)])];
  t.ok(times.every((time) => !Number.isNaN(parseFloat(time))), 'a time everywhere');
  const newer = fails.testcase[1];
  // Named by the version listed: the one evaluated changes when the rules learn a newer one, and a new name is a new test.
  t.equal(newer.name, 'expects <a> "pass" & fails [baseline:v1.99]', 'names are escaped, and read back as written');
  t.equal(newer.failure.type, 'mismatch');
  t.equal(newer.failure.message, 'expected: passes; got: privileged (container "a" must not set securityContext.privileged=true)');
  t.equal(newer.failure['#text'], `expected: passes\ngot:      privileged (container "a" must not set securityContext.privileged=true)\nevaluated as ${NEWEST}, the newest version the rules know`);
  t.same(broken.testcase[0].error, {
    type: 'problem', message: 'no check "privilegd" in the rules loaded',
    '#text': 'broken.yaml:1:8: no check "privilegd" in the rules loaded (did you mean "privileged"? A check of your own needs --rules-dir)',
  });
  t.same([broken.testcase[0].name, broken.testcase[0].classname, broken.testcase[0].line], ['problem at /check', 'podsec', '1']);
});

t.test('--format junit: names with characters XML cannot hold, and problems of no case file', async (t) => {
  const dir = t.testdir({
    'odd.yaml': `check: privileged\ncases:\n  - name: "bell \\a, tab \\t, line\\nbreak, \\uFFFE, ]]> and \\U0001F600"\n    versions: [latest]\n    pod: ${PRIVILEGED_POD}\n    expect: pass\n`,
  });
  const r = await podsecTest(['--format', 'junit', 'odd.yaml', 'missing.yaml'], dir);
  t.equal(XMLValidator.validate(r.out), true);
  t.notMatch(r.out, NOT_XML);
  const xml = readJunit(r.out);
  const [odd, missing] = xml.testsuites.testsuite;
  t.equal(odd.testcase[0].name, 'bell \\u0007, tab \t, line\\nbreak, \\ufffe, ]]> and \u{1F600} [baseline:latest]', 'escaped as the text report escapes them, and what XML cannot hold');
  t.equal(missing.name, 'missing.yaml');
  t.match(missing.testcase[0].error.message, /^no such file/);
  // GitLab keys a test case by suite, class and name, and keeps one of those that share it.
  const twice = readJunit((await podsecTest(['--format', 'junit', 'missing.yaml', 'missing.yaml'], dir)).out).testsuites.testsuite[0];
  t.same(twice.testcase.map((c: { name: string }) => c.name), ['problem', 'problem #2'], 'names distinct within a suite');
});

t.test('--output writes the results to a file and sums them up on stderr; it may not replace a case file', async (t) => {
  const dir = mixedResults(t);
  const r = await podsecTest(['--format', 'junit', '--output', 'results.xml', 'holds.yaml', 'fails.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(r.out, '');
  t.equal(r.err, `note: v1.99 is newer than the newest policy version the rules know, ${NEWEST}: cases there are evaluated as ${NEWEST}, as Kubernetes does\npodsec test: 3 runs: 1 held, 2 failed (results written to results.xml)\n`);
  t.match(readFileSync(join(dir, 'results.xml'), 'utf8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="podsec test" tests="3" failures="2" errors="0" skipped="0" time="0">/);
  const text = await podsecTest(['-o', 'results.txt', 'holds.yaml'], dir);
  t.equal(text.code, 0);
  t.equal(readFileSync(join(dir, 'results.txt'), 'utf8'), 'holds.yaml  privileged: 1 case, 1 run, all hold\n\n1 file, 1 case, 1 run: 1 held, 0 failed\n');
  await t.rejects(podsecTest(['-o', 'holds.yaml', '.'], dir), { name: 'UsageError', message: '--output holds.yaml is the case file holds.yaml: the results would replace it' });
  symlinkSync('holds.yaml', join(dir, 'link.xml'));
  await t.rejects(podsecTest(['-o', 'link.xml', 'holds.yaml'], dir), { name: 'UsageError', message: '--output link.xml is the case file holds.yaml: the results would replace it' }, 'through a link');
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'scopes.yaml'), 'schemaVersion: 1\nscopes: {}\n');
  await t.rejects(podsecTest(['--rules-dir', 'rules', '-o', 'rules/out.xml', 'holds.yaml'], dir), { name: 'UsageError', message: '--output rules/out.xml is inside the --rules-dir rules: the results would be written among its rules' });
  await t.rejects(podsecTest(['-o', 'out/', '.'], dir), { name: 'UsageError', message: '--output out/ names a directory, not a file' });
  await t.rejects(podsecTest(['--format', 'xml', '.'], dir), { name: 'UsageError', message: '--format must be text, json or junit, not "xml"' });
  const unwritable = await podsecTest(['-o', 'no/such/dir/r.xml', 'holds.yaml'], dir);
  t.equal(unwritable.code, 2);
  t.match(unwritable.err, 'podsec test: cannot write the results to no/such/dir/r.xml');
  t.match(unwritable.err, 'check that its directory exists');
});

t.test('a short flag takes its value after "=" as kubectl reads it, as in check: -o=FILE is FILE, not "=FILE"', async (t) => {
  const dir = mixedResults(t);
  const r = await podsecTest(['-f=junit', '-o=results.xml', 'holds.yaml'], dir);
  t.equal(r.code, 0, r.err);
  t.equal(r.out, '');
  t.match(readFileSync(join(dir, 'results.xml'), 'utf8'), /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="podsec test" tests="1" failures="0"/);
  t.notOk(readdirSync(dir).includes('=results.xml'), 'no file named "=results.xml"');
  await t.rejects(podsecTest(['-q=yes', 'holds.yaml'], dir), { name: 'UsageError', message: '-q (--quiet) takes no value' });
  t.match((await podsecTest(['--', '-o=x'], dir)).err, /-o=x/, 'after --, a path');
  t.equal((await podsecTest(['-o', '-', 'holds.yaml'], dir)).out, 'holds.yaml  privileged: 1 case, 1 run, all hold\n\n1 file, 1 case, 1 run: 1 held, 0 failed\n', '-o - is standard output');
});

t.test('two cases of one name, and a version listed twice, are problems', async (t) => {
  const dir = t.testdir({
    'dup.yaml': `check: privileged\ncases:\n  - name: same\n    versions: [latest, v1.0, latest]\n    pod: ${PRIVILEGED_POD}\n    expect: { reason: privileged }\n  - name: same\n    versions: [latest]\n    pod: ${PRIVILEGED_POD}\n    expect: { reason: privileged }\n`,
  });
  const r = await podsecTest(['dup.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: dup.yaml:4:30: cases[0].versions lists "latest" twice (remove one: each version runs the case once)',
    'error: dup.yaml:7:11: cases[1] has the name of cases[0] (line 3): "same" (give each case a name of its own)',
    '',
  ].join('\n'));
});

t.test('a case file of binary data, or with a control character, says so where it is', async (t) => {
  const dir = t.testdir({ 'bin.yaml': '\x00\x01binary', 'ctl.yaml': 'check: privileged\ncases:\n  - name: "a\x01"\n' });
  const r = await podsecTest(['bin.yaml', 'ctl.yaml'], dir);
  t.equal(r.code, 2);
  t.equal(r.err, [
    'error: bin.yaml:1:1: the file holds binary data (a NUL byte here), not YAML text (name a YAML file)',
    'error: ctl.yaml:3:13: a control character (U+0001) here, which YAML text may not hold (remove it, or write it as an escape in a double-quoted string ("\\x01"))',
    '',
  ].join('\n'));
});

t.test('rules that do not load: results that say why, where a file or a parser waits for them', async (t) => {
  const dir = t.testdir({
    'holds.yaml': `check: privileged\ncases:\n  - name: a\n    versions: [latest]\n    pod: ${PRIVILEGED_POD}\n    expect: { reason: privileged }\n`,
    rules: { baseline: { 'x.yaml': 'schemaVersion: 1\nid: x\nlevel: baseline\ntitle: [unclosed\n' } },
    'results.xml': 'the previous run\'s results',
  });
  const json = await podsecTest(['--format', 'json', '--rules-dir', 'rules', 'holds.yaml'], dir);
  t.equal(json.code, 2);
  const report = JSON.parse(json.out);
  t.ok(validateTestReport(report), JSON.stringify(validateTestReport.errors));
  t.same([report.exitCode, report.files, report.summary.runs], [2, [], 0], 'no case runs');
  t.match(report.problems, [{ file: /rules\/baseline\/x\.yaml$/, line: 5, column: 1, message: /^YAML syntax error/ }]);
  t.equal(json.err.match(/x\.yaml:5:1/g)?.length, 1, 'each problem told once on stderr');
  const junit = await podsecTest(['--format', 'junit', '-o', 'results.xml', '--rules-dir', 'rules', 'holds.yaml'], dir);
  t.equal(junit.code, 2);
  const xml = readFileSync(join(dir, 'results.xml'), 'utf8');
  t.equal(XMLValidator.validate(xml), true, 'the stale file is replaced');
  t.match(readJunit(xml).testsuites, { errors: '1', failures: '0' });
  const text = await podsecTest(['--rules-dir', 'rules', 'holds.yaml'], dir);
  t.same([text.code, text.out], [2, ''], 'text on standard output: the problems on stderr alone');
});
