import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import type { Report } from '../cli/report/model.js';
import { checkManifests, type CheckInput } from '../cli/check/run.js';
import { parseAdmissionConfig } from '../admission/config.js';
import { parseManifests } from '../cli/manifest/read.js';
import { createProgress, progressText, type ProgressEvent } from '../cli/progress.js';
import { createEvaluator } from '../engine/index.js';
import { jsonReport, OLD_COMMAND, withoutOldCommands } from '../cli/report/json.js';
import { main } from '../cli/main.js';
import { compliantPod } from './helpers/shared.js';
import type { CliIO } from '../cli/main.js';
import { cli } from './helpers/cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const reportSchema = JSON.parse(readFileSync(join(root, 'schemas/report.schema.json'), 'utf8'));
const validateReport = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(reportSchema);

async function json(args: string[], opts: Parameters<typeof cli>[1] = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await cli(['check', '--format', 'json', ...args], opts);
  const report = JSON.parse(r.stdout) as Report;
  if (!validateReport(report)) throw new Error('report does not match its schema: ' + JSON.stringify(validateReport.errors));
  return { code: r.code, report, stderr: r.stderr };
}

const GOOD_POD = compliantPod('good');

const BARE_POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: x
    image: nginx
`;

const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        securityContext:
          privileged: true
`;

t.test('exit codes: 0 when nothing is denied, 1 when something is, 2 for bad input', async (t) => {
  const dir = t.testdir({ 'good.yaml': GOOD_POD, 'bare.yaml': BARE_POD, 'bad.yaml': 'a: [\n' });
  t.equal((await cli(['check', join(dir, 'good.yaml')])).code, 0);
  t.equal((await cli(['check', join(dir, 'bare.yaml')])).code, 1);
  t.equal((await cli(['check', join(dir, 'bad.yaml')])).code, 2);
  // An input that cannot be evaluated wins over a denial.
  t.equal((await cli(['check', join(dir, 'bare.yaml'), join(dir, 'bad.yaml')])).code, 2);
});

t.test('the upstream message for a bare pod under restricted:latest', async (t) => {
  const { code, report } = await json(['-'], { stdin: BARE_POD });
  t.equal(code, 1);
  const r = report.resources[0]!;
  t.equal(r.policy.mode, 'enforce');
  t.equal(r.policy.evaluatedVersion, report.policy.newestVersion);
  t.equal(
    r.message,
    'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "x" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "x" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "x" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  t.same(r.violations.map((v) => v.checkId), ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  // Absent fields point at the nearest written ancestor: the container's "- name: x" line.
  const loc = r.violations[0]!.locations[0]!;
  t.match(loc, { path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', line: 7, present: false });
  t.equal(report.files[0], '<stdin>');
});

t.test('pod templates fail the run too, located at the offending field', async (t) => {
  const { code, report } = await json(['--level', 'baseline', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.equal(code, 1);
  const r = report.resources[0]!;
  t.match(r, { kind: 'Deployment', namespace: 'shop', name: 'web', subject: 'template', allowed: false });
  t.equal(r.policy.mode, 'warn');
  t.match(r.message, /^would violate PodSecurity "baseline:latest": privileged \(container "web" must not set securityContext.privileged=true\)$/);
  t.same(r.violations[0]!.locations, [{ path: 'spec.template.spec.containers[0].securityContext.privileged', line: 15, column: 11, present: true }]);
});

t.test('CronJob templates are read from spec.jobTemplate.spec.template', async (t) => {
  const { report } = await json(['--level', 'baseline', '-'], {
    stdin: `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: true
          containers: [{name: c, image: busybox}]
          restartPolicy: Never
`,
  });
  t.same(report.resources[0]!.violations[0]!.locations[0], { path: 'spec.jobTemplate.spec.template.spec.hostNetwork', line: 10, column: 11, present: true });
});

t.test('every pod-bearing kind is judged; other objects are listed as not evaluated', async (t) => {
  const tpl = '{metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}}';
  // A Job's pods run to completion: the API server refuses a template that would restart them always.
  const jobTpl = tpl.replace('spec: {', 'spec: {restartPolicy: Never, ');
  const docs = [
    `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}`,
    `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: a}\nspec: {template: ${tpl}}`,
    `apiVersion: v1\nkind: PodTemplate\nmetadata: {name: a}\ntemplate: ${tpl}`,
    ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((k) => `apiVersion: apps/v1\nkind: ${k}\nmetadata: {name: a}\nspec: {selector: {matchLabels: {app: a}}, template: ${tpl}}`),
    `apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec: {template: ${jobTpl}}`,
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: "@daily", jobTemplate: {spec: {template: ${jobTpl}}}}`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}`,
    `apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: ${tpl}}`,
    `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: a}\nspec: {template: ${tpl}}`,
    `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\nspec: {endpoints: []}`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {}`,
    `apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: a}\nspec: {privileged: false}`,
  ];
  const { report } = await json(['--level', 'baseline', '-'], { stdin: docs.join('\n---\n') });
  t.same(report.resources.map((r) => [r.kind, r.allowed]), [
    ['Pod', false], ['ReplicationController', false], ['PodTemplate', false], ['Deployment', false], ['ReplicaSet', false],
    ['StatefulSet', false], ['DaemonSet', false], ['Job', false], ['CronJob', false],
  ]);
  t.same(report.notEvaluated.map((n) => n.kind), ['ConfigMap', 'Deployment', 'Rollout', 'ServiceMonitor', 'NetworkPolicy', 'PodSecurityPolicy']);
  t.same(report.notEvaluated.map((n) => n.reason), [
    'ConfigMap: no pod spec',
    'Deployment in API group "example.com" is a custom resource, not Kubernetes\' Deployment (in apps or extensions), so podsec cannot tell where its pod spec is',
    // A custom resource's pod template is judged in the pods its controller makes: not "no pod spec".
    'Rollout: a custom resource (argoproj.io), which PodSecurity admission does not judge; it holds a pod spec at spec.template.spec: admission judges the pods its controller makes from it when they are created, which podsec cannot foresee',
    'ServiceMonitor: a custom resource (monitoring.coreos.com), which PodSecurity admission does not judge',
    'NetworkPolicy: no pod spec',
    'PodSecurityPolicy: the admission plugin PodSecurity replaced, removed in Kubernetes 1.25; no pod spec (podsec judges pods by the Pod Security Standards, not by it)',
  ]);
  t.equal(report.summary.checked, 9);
  t.equal(report.summary.notEvaluated, 6);
  // A built-in group has no dot: a pod-bearing kind in another one is no object kubectl applies.
  const wrongGroup = await json(['-'], { stdin: ['apps/v1', 'core/v1', 'v1/', 'policy/v1', 'v1'].map((v) => `apiVersion: ${v}\nkind: Job\nmetadata: {name: a}\nspec: {template: ${tpl}}`).join('\n---\n') });
  t.equal(wrongGroup.code, 2, 'refused, not passed');
  t.same(wrongGroup.report.errors.map((e) => [e.index, e.message, e.hint]), ['apps/v1', 'core/v1', 'v1/', 'policy/v1', 'v1'].map((v, i) => [i,
    `Job default/a: Kubernetes has no Job in version "${v}" (kubectl: no matches for kind "Job" in version "${v}")`, 'write apiVersion: batch/v1; podsec did not evaluate this object']));
  t.same(wrongGroup.report.notEvaluated, []);
  // A group's old versions served some of its kinds only: the others are refused there too.
  const neverServed: [string, string, string][] = [
    ['DaemonSet', 'apps/v1beta1', 'apps/v1'], ['ReplicaSet', 'apps/v1beta1', 'apps/v1'], ['StatefulSet', 'extensions/v1beta1', 'apps/v1'],
    ['Job', 'batch/v1beta1', 'batch/v1'], ['Job', 'batch/v2alpha1', 'batch/v1'], ['Deployment', 'extensions/v1beta2', 'apps/v1'],
  ];
  const refused = await json(['-'], { stdin: neverServed.map(([k, v]) => `apiVersion: ${v}\nkind: ${k}\nmetadata: {name: a}\nspec: {template: ${k === 'Job' ? jobTpl : tpl}}`).join('\n---\n') });
  t.equal(refused.code, 2);
  t.same(refused.report.resources, [], 'none judged');
  t.same(refused.report.errors.map((e) => [e.message, e.hint]), neverServed.map(([k, v, current]) => [
    `${k} default/a: Kubernetes has no ${k} in version "${v}" (kubectl: no matches for kind "${k}" in version "${v}")`, `write apiVersion: ${current}; podsec did not evaluate this object`]));
  // And the old versions that did serve them are judged as the current one.
  const older: [string, string][] = [['Deployment', 'apps/v1beta1'], ['StatefulSet', 'apps/v1beta2'], ['DaemonSet', 'extensions/v1beta1'], ['ReplicaSet', 'apps/v1beta2'], ['CronJob', 'batch/v1beta1']];
  const judged = await json(['--level', 'baseline', '-'], { stdin: older.map(([k, v]) => k === 'CronJob'
    ? `apiVersion: ${v}\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: "@daily", jobTemplate: {spec: {template: ${jobTpl}}}}`
    : `apiVersion: ${v}\nkind: ${k}\nmetadata: {name: a}\nspec: {selector: {matchLabels: {app: a}}, template: ${tpl}}`).join('\n---\n') });
  t.same(judged.report.errors, []);
  t.same(judged.report.resources.map((r) => [r.kind, r.allowed]), older.map(([k]) => [k, false]));
  // With a warning at the apiVersion: kubectl apply fails on clusters that no longer serve them.
  t.same(judged.report.warnings.map((w) => [w.line, w.message, w.hint]), older.map(([k, v], i) => {
    const current = k === 'CronJob' ? 'batch/v1' : 'apps/v1';
    const until = v === 'batch/v1beta1' ? 25 : 16;
    return [1 + 5 * i, `${k} default/a: Kubernetes 1.${until} stopped serving ${k} in ${v} (kubectl apply from then on: no matches for kind "${k}" in version "${v}"); judged as ${current}`, `write apiVersion: ${current}`];
  }));
  // A ReplicationController without a template: admission's extractor would let it through, but
  // validation refuses it first (ValidatePodTemplateSpecForRC), its selector too when it takes
  // none from template labels; `json` checks the schema.
  for (const [spec, line, selector] of [['', 1, true], ['spec: {replicas: 1}\n', 4, true], ['spec: {template: null, selector: {app: a}}\n', 4, false]] as const) {
    const rc = await json(['-'], { stdin: `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: r}\n${spec}` });
    t.same(rc.report.notEvaluated, [], spec);
    t.same(rc.report.errors.map((e) => [e.line, e.message]), [
      ...(selector ? [[line, 'ReplicationController default/r: spec.selector: Required value (the API server refuses the object)']] : []),
      [line, 'ReplicationController default/r: spec.template: Required value (the API server refuses a ReplicationController without a pod template)'],
    ], spec);
    t.equal(rc.code, 2);
  }
});

t.test('text report: the objects and errors of one List are listed in the order of their lines', async (t) => {
  const list = [
    'apiVersion: v1', 'kind: List', 'items:',
    '- apiVersion: v1', '  kind: ConfigMap', '  metadata: {name: cfg}',
    '- apiVersion: v1', '  kind: Pod', '  metadata: {name: p}', '  spec: {hostPID: true, containers: [{name: c, image: i}]}',
    '- apiVersion: v1', '  kind: Secret', '  metadata: {name: s}',
    '- apiVersion: v1', '  kind: Pod', '  metadata: {name: bad}', '  spec: {hostPID: "yes", containers: [{name: c, image: i}]}',
  ].join('\n') + '\n';
  const r = await cli(['check', '-l', 'baseline', 'list.yaml'], { cwd: t.testdir({ 'list.yaml': list }) });
  t.equal(r.code, 2);
  const entries = r.stdout.split('\n').filter((l) => /^ {2}(skip|FAIL|ok|error) /.test(l)).map((l) => l.trim().split(' (')[0]!.replace(/ {2,}/g, ' '));
  t.same(entries, ['skip ConfigMap cfg', 'FAIL Pod default/p', 'skip Secret s', 'error list.yaml:17:10'], 'by line, not grouped by outcome');
});

t.test('text report: each place a violation is found, at its line and column', async (t) => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: i\n    securityContext: {privileged: true}\n'
    + '  - name: b\n    image: i\n    securityContext:\n      privileged: true\n';
  const r = await cli(['check', '-l', 'baseline', 'two.yaml'], { cwd: t.testdir({ 'two.yaml': pod }) });
  t.equal(r.code, 1);
  t.same(r.stdout.split('\n').filter((l) => l.startsWith('        two.yaml:')), [
    '        two.yaml:8:23  privileged: privileged (containers "a", "b" must not set securityContext.privileged=true)',
    '        two.yaml:12:7  privileged: spec.containers[1].securityContext.privileged',
  ]);
});

t.test('Lists (kind: List and typed *List) are unpacked, with locations inside items', async (t) => {
  const { report } = await json(['--level', 'baseline', '-'], {
    stdin: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: PodList
  items:
  - kind: Pod
    apiVersion: v1
    metadata: {name: inner}
    spec:
      hostPID: true
      containers: [{name: c, image: i}]
- apiVersion: v1
  kind: Service
  metadata: {name: s}
`,
  });
  const r = report.resources[0]!;
  t.match(r, { kind: 'Pod', name: 'inner', source: { line: 7, items: [0, 0] } });
  t.same(r.source.items, [0, 0], 'the item path is the two list indexes, and no more');
  t.same(r.violations[0]!.locations[0], { path: 'spec.hostPID', line: 11, column: 7, present: true });
  t.same(report.notEvaluated.map((n) => n.kind), ['Service']);
});

t.test('an object with items is a list to kubectl, whatever its kind: its items are judged, not the object', async (t) => {
  // Observed with kubectl 1.32 (kubectl annotate --local -f FILE zz=1 -o name): its decoder looks
  // for an items field, not at the kind.
  const evil = '{apiVersion: v1, kind: Pod, metadata: {name: evil}, spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}}';
  const slip = await json(['--level', 'baseline', '-'], {
    stdin: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\nitems:\n- ${evil}\n`,
  });
  t.equal(slip.code, 1, 'the privileged pod kubectl applies fails the run');
  t.same(slip.report.resources.map((r) => [r.kind, r.name, r.allowed]), [['Pod', 'evil', false]]);
  t.same(slip.report.notEvaluated, [], 'the Deployment is not applied, so neither judged nor listed');
  t.match(slip.report.warnings, [{ line: 5, column: 1, message: 'Deployment d has an items field, so kubectl reads it as a list: it applies the 1 object in items and not the Deployment itself, and podsec judges what it applies' }]);
  t.equal(slip.report.warnings.length, 1);
  // A List needs no apiVersion.
  const bare = await json(['--level', 'baseline', '-'], { stdin: `kind: List\nitems:\n- ${evil}\n` });
  t.same([bare.report.resources.map((r) => r.name), bare.report.errors, bare.report.warnings], [['evil'], [], []]);
  // items: null holds nothing; the object is still not applied, so there is nothing to apply.
  const none = await json(['-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems: null\n' });
  t.same([none.code, none.report.resources, none.report.notEvaluated], [2, [], []]);
  t.match(none.report.errors, [{ message: 'no Kubernetes objects in the input: its lists have no items' }]);
  t.equal(none.report.errors.length, 1);
  t.match(none.report.warnings, [{ message: /^ConfigMap c has an items field, so kubectl reads it as a list: it applies the 0 objects in items/ }]);
  t.equal(none.report.warnings.length, 1);
  // A typed list's item takes kind and apiVersion from it only when it names neither.
  const typed = await json(['-'], {
    stdin: 'apiVersion: v1\nkind: PodList\nitems:\n- {metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}\n- {kind: Pod, metadata: {name: q}, spec: {containers: [{name: c, image: i}]}}\n',
  });
  t.same(typed.report.resources.map((r) => [r.kind, r.name]), [['Pod', 'p']]);
  t.match(typed.report.errors, [{ line: 5, message: "Pod has no apiVersion (kubectl: Object 'apiVersion' is missing)" }]);
  t.equal(typed.report.errors.length, 1);
  // Inside a list, an object is a list only when its items is a list (Unstructured.IsList):
  // with items: null kubectl applies it, so it is judged (was skipped: a privileged pod passed).
  const inner = await json(['--level', 'baseline', '--validate', 'warn', '-'], {
    stdin: `kind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: evil}\n  spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n  items: null\n`,
  });
  t.equal(inner.code, 1);
  t.same(inner.report.resources.map((r) => [r.kind, r.name, r.allowed]), [['Pod', 'evil', false]]);
  // A list inside a list: kubectl 1.32 refuses the outer list whole (`*unstructured.Unstructured
  // is not a list: no Items field in this object`), applying none of its objects. It is an error;
  // the inner list's items are judged as its own document would have them (kind from PodList).
  const nested = await json(['--level', 'baseline', '-'], {
    stdin: 'kind: List\nitems:\n- apiVersion: v1\n  kind: PodList\n  items:\n  - {metadata: {name: p}, spec: {hostPID: true, containers: [{name: c, image: i}]}}\n',
  });
  t.equal(nested.code, 2);
  t.same(nested.report.resources.map((r) => [r.kind, r.name, r.allowed]), [['Pod', 'p', false]]);
  t.match(nested.report.errors, [{ line: 5, column: 3, message: /^a list inside a list \(PodList, which has an items field\): kubectl refuses the list that holds it and applies none of its objects/ }]);
  t.equal(nested.report.errors.length, 1);
  // Even an empty one, or an object of another kind with an items list, and a passing sibling
  // does not make the run pass.
  for (const inner of ['apiVersion: v1\n  kind: List\n  items: []', 'apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cm}\n  items: []']) {
    const r = await json(['-'], { stdin: `kind: List\nitems:\n- ${compliantPod('ok').replace(/\n/g, '\n  ').trimEnd()}\n- ${inner}\n` });
    t.equal(r.code, 2, inner);
    t.same(r.report.resources.map((x) => [x.name, x.allowed]), [['ok', true]]);
    t.match(r.report.errors, [{ message: /^a list inside a list/ }]);
    t.equal(r.report.warnings.length, 0, 'the error says it all: no items-field warning besides');
  }
  // A List without items is an object of its own (kubectl: list/<unknown>).
  const empty = await json(['-'], { stdin: 'apiVersion: v1\nkind: List\n' });
  t.same(empty.report.notEvaluated.map((n) => n.kind), ['List']);
});

t.test("manifests are read as kubectl reads them (YAML 1.1 booleans, duplicate keys)", async (t) => {
  // yes/on are booleans to Kubernetes' YAML reader: these pods are privileged and host-networked.
  const { report } = await json(['--level', 'baseline', '-'], {
    stdin: `apiVersion: v1
kind: Pod
metadata: {name: yy}
spec:
  hostNetwork: on
  containers:
  - name: c
    image: i
    securityContext: {privileged: yes}
`,
  });
  t.same(report.resources[0]!.violations.map((v) => v.checkId), ['hostNamespaces', 'privileged']);
  // `name: y` is the boolean true to kubectl, so the object is malformed.
  const y = await json(['-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: y}\nspec: {}\n' });
  t.match(y.report.errors[0], { line: 3, message: 'Pod: metadata.name must be a string, not the boolean true' });
  // A key given twice: kubectl sends the last value (it converts YAML to JSON itself), with a warning here.
  const dup = await json(['--level', 'baseline', '-'], { stdin: `apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nmetadata: {name: e}\nspec: {containers: [{name: c, image: i}]}\n` });
  t.equal(dup.code, 0);
  t.match(dup.report.resources[0], { name: 'e', allowed: true });
  t.equal(dup.stderr, 'warning: <stdin>:4:1: key "metadata" is given twice in one mapping; the last value is used, as kubectl sends only that one (remove one of the two entries)\n');
  // The report carries it too, for CI tools that read the report and not stderr.
  t.same(dup.report.warnings, [{ file: '<stdin>', index: 0, line: 4, column: 1, message: 'key "metadata" is given twice in one mapping; the last value is used, as kubectl sends only that one', hint: 'remove one of the two entries' }]);
  t.equal(dup.report.summary.warnings, 1);
  t.equal(dup.report.errors.length, 0, 'a warning is no error');
  const text = await cli(['check', '--level', 'baseline', '-'], { stdin: `apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nmetadata: {name: e}\nspec: {containers: [{name: c, image: i}]}\n` });
  t.match(text.stdout, /, 0 errors, 1 warning\n$/);
  const github = await cli(['check', '--format', 'github', '--stdin-name', 'pod.yaml', '--level', 'baseline', '-'], { stdin: `apiVersion: v1\nkind: Pod\nmetadata: {name: d}\nmetadata: {name: e}\nspec: {containers: [{name: c, image: i}]}\n` });
  t.match(github.stdout, /^::warning file=pod\.yaml,line=4,col=1,title=podsec%3A warning::key "metadata" is given twice in one mapping; the last value is used, as kubectl sends only that one\. Hint: remove one of the two entries\n/m);
});

t.test('namespace-aware mode: labels set enforce, audit and warn as admission would', async (t) => {
  const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels}\n---\n`;
  // enforce=baseline: warn defaults to baseline too; a pod passing baseline passes.
  let r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: baseline') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.equal(r.code, 0);
  t.match(r.report.resources[0]!.policy, { mode: 'enforce', level: 'baseline', source: 'namespace', warn: { level: 'baseline' }, audit: { level: 'privileged' } });
  t.match(r.report.notEvaluated[0]!.reason, /enforce=baseline:latest, audit=privileged:latest, warn=baseline:latest/);
  // enforce=baseline, warn=restricted: the pod passes enforce and draws a warn finding.
  r = await json(['-'], {
    stdin: ns('    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/warn-version: v1.30') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop'),
  });
  t.equal(r.code, 1);
  t.match(r.report.resources[0]!, { policy: { mode: 'warn', level: 'restricted', version: 'v1.30', evaluatedVersion: 'v1.30' } });
  t.match(r.report.resources[0]!.message, /^would violate PodSecurity "restricted:v1\.30": /);
  // An invalid enforce level fails closed (restricted), and the Namespace itself is rejected.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: strict') + GOOD_POD.replace('name: good', 'name: good\n  namespace: shop') });
  t.equal(r.code, 1);
  const nsResult = r.report.resources.find((x) => x.kind === 'Namespace')!;
  t.equal(nsResult.message, 'Namespace "shop" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
  t.same(nsResult.violations[0]!.locations[0]!.line, 6);
  t.match(r.report.resources.find((x) => x.kind === 'Pod')!.policy, { level: 'restricted', mode: 'enforce' });
  // Objects in other namespaces keep the default, and --level overrides the labels.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: privileged') + BARE_POD });
  t.match(r.report.resources[0]!.policy, { namespace: undefined, source: 'default', level: 'restricted' });
  r = await json(['--level', 'baseline', '-'], { stdin: ns('    pod-security.kubernetes.io/enforce: restricted') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!.policy, { source: 'flags', level: 'baseline' });
  t.equal(r.code, 0);
  t.match(r.report.notEvaluated[0]!.reason, /its labels \(enforce=restricted:latest, .*\) are overridden by --level\/--version$/);
  // --version alone pins the version of every mode and keeps the namespace's levels.
  r = await json(['--version', 'v1.22', '-'], { stdin: ns('    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.30') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') + '---\n' + BARE_POD.replace('name: p', 'name: elsewhere') });
  t.match(r.report.resources.find((x) => x.name === 'p')!.policy, { source: 'namespace', level: 'baseline', version: 'v1.22', evaluatedVersion: 'v1.22', warn: { level: 'baseline', version: 'v1.22' }, audit: { level: 'privileged', version: 'v1.22' } });
  t.match(r.report.resources.find((x) => x.name === 'elsewhere')!.policy, { source: 'default', level: 'restricted', version: 'v1.22' });
  t.match(r.report.notEvaluated[0]!.reason, /its labels set the levels of its objects \(enforce=baseline:v1\.30, .*\); --version v1\.22 sets every mode's version$/);
  t.match(r.report.policy, { level: null, version: 'v1.22', default: { level: 'restricted', version: 'v1.22' } });
  // A misspelt label sets nothing (admission ignores it): the objects keep the default, with a warning.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enfroce: privileged\n    pod-security.kubernetes.io/foo: x') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
  t.match(r.report.notEvaluated[0]!.reason, /it has no PodSecurity labels/);
  t.same(r.stderr.split('\n').filter(Boolean), [
    'warning: <stdin>:6:5: Namespace shop: label "pod-security.kubernetes.io/enfroce" is not one PodSecurity admission reads, so it sets nothing (did you mean "pod-security.kubernetes.io/enforce"?)',
    'warning: <stdin>:7:5: Namespace shop: label "pod-security.kubernetes.io/foo" is not one PodSecurity admission reads, so it sets nothing (use enforce, enforce-version, audit, audit-version, warn, warn-version)',
  ]);
  // So does a key whose prefix is in other case or a few letters off; other prefixes are other tools'.
  r = await json(['-'], { stdin: ns('    Pod-Security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io.warn: baseline\n    pod-security.example.com/enforce: x\n    kubernetes.io/metadata.name: shop\n    pod-security.k8s.io/audit: baseline') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
  t.same(r.stderr.split('\n').filter(Boolean), [
    'warning: <stdin>:6:5: Namespace shop: label "Pod-Security.kubernetes.io/enforce" is not one PodSecurity admission reads, so it sets nothing (label keys are case-sensitive: write "pod-security.kubernetes.io/enforce")',
    'warning: <stdin>:7:5: Namespace shop: label "pod-security.kubernetes.io.warn" is not one PodSecurity admission reads, so it sets nothing (did you mean "pod-security.kubernetes.io/warn"?)',
    'warning: <stdin>:10:5: Namespace shop: label "pod-security.k8s.io/audit" is not one PodSecurity admission reads, so it sets nothing (the prefix is pod-security.kubernetes.io/: write "pod-security.kubernetes.io/audit")',
  ]);
  // A prefix in upper case is no DNS subdomain: the API server refuses the Namespace itself.
  t.equal(r.code, 2);
  t.match(r.report.errors, [{ line: 6, column: 5, message: /^Namespace shop: metadata\.labels: Invalid value: "Pod-Security\.kubernetes\.io\/enforce": prefix part a lowercase RFC 1123 subdomain must consist of / }]);
  // Written as annotations, the keys set nothing: said, as admission reads only labels.
  r = await json(['-'], { stdin: ns('    app: shop').replace('  labels:\n', '  annotations:\n    pod-security.kubernetes.io/enforce: privileged\n  labels:\n') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
  t.same(r.stderr.split('\n').filter(Boolean), [
    'warning: <stdin>:6:5: Namespace shop: "pod-security.kubernetes.io/enforce" is an annotation, and PodSecurity admission reads only labels, so it sets nothing (move it under metadata.labels)',
  ]);
  // Validation refuses a label the API server cannot store before admission reads any: the
  // Namespace is not created, and its labels set nothing.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: privileged\n    team: "a b"\n    pod-security.kubernetes.io/warn: " baseline"') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.equal(r.code, 2);
  t.match(r.report.resources[0]!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
  t.match(r.report.errors, [
    { line: 7, column: 5, kind: 'Namespace', name: 'shop', message: /^Namespace shop: metadata\.labels: Invalid value: "a b": a valid label must be /, hint: /its labels do not set the policy of its objects$/ },
    { line: 8, column: 5, message: /^Namespace shop: metadata\.labels: Invalid value: " baseline": / },
  ]);
  t.equal(r.report.errors.length, 2);
  // A Namespace read from a cluster was stored as it is.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: privileged\n    team: "a b"').replace('  name: shop\n', '  name: shop\n  uid: u1\n') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.equal(r.code, 0);
  // A Namespace without a name protects no object: said, not silently ignored.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce: privileged').replace('  name: shop\n', '  generateName: shop-\n') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
  t.match(r.report.notEvaluated[0]!.reason, /it has no name, so its labels \(enforce=privileged:latest, .*\) set the policy of no object here$/);
  t.match(r.stderr, /^warning: <stdin>:3:1: Namespace without a name: its PodSecurity labels set the policy of no object in the input \(give it metadata\.name, /m);
  // A version label alone is a PodSecurity label: the levels come from the cluster's defaults, as in admission.
  r = await json(['-'], { stdin: ns('    pod-security.kubernetes.io/enforce-version: v1.25') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources[0]!, { allowed: true, policy: { source: 'namespace', level: 'privileged', enforce: { level: 'privileged', version: 'v1.25' } } });
  // Admission never enforces on templates; when warn and audit are privileged, the template is
  // still judged as enforce will judge the pods it creates.
  const text = await cli(['check', '-'], { stdin: ns('    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn: privileged') + PRIVILEGED_DEPLOYMENT });
  t.equal(text.code, 1);
  t.match(text.stdout, /FAIL  Deployment shop\/web \(line \d+\) \[pod template, enforce restricted:latest\]\n        violates PodSecurity "restricted:latest": privileged /);
  const loose = await cli(['check', '-'], { stdin: ns('    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/warn: privileged') + PRIVILEGED_DEPLOYMENT });
  t.equal(loose.code, 0);
  t.match(loose.stdout, /ok    Deployment shop\/web \(line \d+\): privileged: nothing to check\n/);
  const cfg = t.testdir({ 'c.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions: {namespaces: [shop]}\n' });
  r = await json(['--config', join(cfg, 'c.yaml'), '-'], { stdin: ns('    pod-security.kubernetes.io/enforce: restricted') });
  t.match(r.report.notEvaluated[0]!.reason, /it is exempt \(--config exemptions\.namespaces\), so its labels \(enforce=restricted:latest, .*\) are ignored$/);
});

t.test("a null label, annotation or list item is judged as the empty string Go's decoder makes of it", async (t) => {
  // `enforce:` left empty by an unset chart value is an invalid level: fail closed, as admission does.
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce:\n    pod-security.kubernetes.io/warn: privileged\n---\n';
  let r = await json(['-'], { stdin: ns + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.equal(r.code, 1);
  t.equal(r.report.resources.find((x) => x.kind === 'Namespace')!.message,
    'Namespace "shop" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "": must be one of privileged, baseline, restricted');
  t.match(r.report.resources.find((x) => x.kind === 'Pod')!, { allowed: false, policy: { mode: 'enforce', level: 'restricted', source: 'namespace' } });
  // The same with an unknown field under --validate warn, which the strict look for warnings stops at.
  r = await json(['--validate', 'warn', '-'], { stdin: ns.replace('  name: shop\n', '  name: shop\n  bogus: 1\n') + BARE_POD.replace('name: p', 'name: p\n  namespace: shop') });
  t.match(r.report.resources.find((x) => x.kind === 'Namespace')!.message, /Invalid value: "": must be one of/);
  // A null seccomp annotation is "", which the API server's validation refuses in a new pod, and
  // which baseline v1.0 forbids in one read from a cluster; a null capability is "".
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: ~\nspec:\n  containers:\n  - name: c\n    image: x\n    securityContext:\n      capabilities:\n        add: [~]\n';
  r = await json(['--level', 'baseline', '--version', 'v1.0', '-'], { stdin: pod });
  t.equal(r.code, 2);
  t.same(r.report.errors.map((e) => [e.line, e.message]), [
    [6, 'Pod default/p: metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "": must be a valid seccomp profile (the API server refuses the object)'],
  ]);
  r = await json(['--level', 'baseline', '--version', 'v1.0', '-'], { stdin: pod.replace('  name: p\n', '  name: p\n  uid: 6f1c2d4e-0000-4000-8000-000000000003\n') });
  t.equal(r.code, 1);
  t.same(r.report.resources[0]!.violations.map((v) => [v.checkId, v.detail, v.locations[0]!.line]), [
    ['capabilities_baseline', 'container "c" must not include "" in securityContext.capabilities.add', 14],
    ['seccompProfile_baseline', 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod=""', 7],
  ]);
});

t.test('every failing mode is reported: audit findings beside a warning or a denial, each violation with its modes', async (t) => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: baseline\n    pod-security.kubernetes.io/audit: restricted\n---\n';
  const pod = BARE_POD.replace('name: p', 'name: p\n  namespace: shop');
  const privilegedPod = pod.replace('    image: nginx\n', '    image: nginx\n    securityContext: {privileged: true}\n');
  let r = await json(['-'], { stdin: ns + PRIVILEGED_DEPLOYMENT + '---\n' + pod + '---\n' + privilegedPod.replace('name: p', 'name: q') });
  const [web, p, q] = r.report.resources.filter((x) => x.kind !== 'Namespace');
  // The template: warn (baseline) and audit (restricted) both fail; the warning is what kubectl shows.
  t.match(web, { policy: { mode: 'warn', level: 'baseline' }, message: /^would violate PodSecurity "baseline:latest": privileged / });
  t.same(web!.evaluations.map((e) => [e.mode, e.level, e.allowed]), [['warn', 'baseline', false], ['audit', 'restricted', false]]);
  t.match(web!.evaluations[1]!.message, /^would violate PodSecurity "restricted:latest": privileged \(.*\), allowPrivilegeEscalation != false/);
  t.same(web!.violations.map((v) => [v.checkId, v.modes]), [
    ['privileged', ['warn', 'audit']], ['allowPrivilegeEscalation', ['audit']], ['capabilities_restricted', ['audit']], ['runAsNonRoot', ['audit']], ['seccompProfile_restricted', ['audit']],
  ]);
  // A pod that passes enforce and warn is still audited.
  t.match(p, { allowed: false, policy: { mode: 'audit', level: 'restricted' } });
  t.same(p!.evaluations.map((e) => [e.mode, e.allowed]), [['enforce', true], ['warn', true], ['audit', false]]);
  // A denied pod: no warning is evaluated (admission adds none to a denial), the audit is.
  t.match(q, { allowed: false, policy: { mode: 'enforce', level: 'baseline' }, message: /^violates PodSecurity "baseline:latest": privileged / });
  t.same(q!.evaluations.map((e) => [e.mode, e.allowed]), [['enforce', false], ['audit', false]]);
  t.equal(r.report.summary.violations, 5 + 4 + 5);
  // The text shows the other mode's message and marks what only it found.
  const text = await cli(['check', '-'], { stdin: ns + PRIVILEGED_DEPLOYMENT });
  t.match(text.stdout, /\[pod template, warn baseline:latest\]\n        would violate PodSecurity "baseline:latest": privileged .*\n        audit: would violate PodSecurity "restricted:latest": privileged /);
  t.match(text.stdout, /  privileged: privileged \(container "web" must not set securityContext\.privileged=true\)\n/);
  t.match(text.stdout, /  runAsNonRoot: runAsNonRoot != true \(.*\) \[audit restricted:latest\]\n/);
  // SARIF and GitHub name the modes of each violation.
  const sarif = JSON.parse((await cli(['check', '-f', 'sarif', '-'], { stdin: ns + PRIVILEGED_DEPLOYMENT })).stdout);
  const texts = sarif.runs[0].results.map((x: { message: { text: string } }) => x.message.text);
  t.match(texts[0], /, a finding under warn baseline:latest, audit restricted:latest\.$/);
  t.match(texts[1], /, a finding under audit restricted:latest\.$/);
  const gh = (await cli(['check', '-f', 'github', '-'], { stdin: ns + PRIVILEGED_DEPLOYMENT })).stdout;
  t.match(gh, /title=podsec privileged \(warn baseline%3Alatest%2C audit restricted%3Alatest\)::/);
  // Same level and version in every mode (--level): one violation list, every mode named.
  r = await json(['--level', 'baseline', '-'], { stdin: privilegedPod });
  t.same(r.report.resources[0]!.violations.map((v) => v.modes), [['enforce', 'audit']]);
  t.equal(r.report.summary.violations, 1);
});

t.test('namespace-aware mode: where the Namespace comes in the input does not matter', async (t) => {
  const evaluator = createEvaluator();
  const P = 'pod-security.kubernetes.io';
  const namespace = (name: string, labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${labels}\n`;
  const shop = namespace('shop', `    ${P}/enforce: baseline\n    ${P}/warn: restricted\n    ${P}/warn-version: v1.30`);
  const objects = [
    BARE_POD.replace('name: p', 'name: p1\n  namespace: shop'),
    BARE_POD.replace('name: p', 'name: p2'),
    `apiVersion: v1\nkind: List\nitems:\n- ${PRIVILEGED_DEPLOYMENT.trimEnd().split('\n').join('\n  ')}\n`,
    GOOD_POD.replace('name: good', 'name: good\n  namespace: shop'),
  ];
  // What matters of a verdict, leaving out where it was read.
  const verdicts = (inputs: CheckInput[]) => {
    const report = checkManifests(inputs, { evaluator });
    return report.resources
      .map((r) => ({ kind: r.kind, name: r.name, allowed: r.allowed, policy: r.policy, message: r.message, checks: r.violations.map((v) => v.checkId) }))
      .sort((a, b) => (a.kind + a.name).localeCompare(b.kind + b.name));
  };
  const first = verdicts([{ file: 'all.yaml', content: [shop, ...objects].join('---\n') }]);
  t.match(first.find((v) => v.name === 'p1'), { policy: { mode: 'warn', level: 'restricted', version: 'v1.30', source: 'namespace' } });
  t.match(first.find((v) => v.name === 'p2'), { policy: { source: 'default', level: 'restricted' } });
  const web = first.find((v) => v.name === 'web');
  t.match(web, { allowed: false, policy: { mode: 'warn', level: 'restricted', source: 'namespace' } });
  t.same(web?.checks, ['privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'], 'web fails these checks and no others');
  t.equal(first.length, 4);
  t.same(verdicts([{ file: 'all.yaml', content: [...objects, shop].join('---\n') }]), first, 'the Namespace last in the same file');
  t.same(verdicts([{ file: 'a.yaml', content: objects.join('---\n') }, { file: 'b.yaml', content: shop }]), first, 'the Namespace in a later file');
  t.same(verdicts([{ file: 'a.yaml', content: objects.slice(0, 2).join('---\n') }, { file: 'ns.yaml', content: shop }, { file: 'c.yaml', content: objects.slice(2).join('---\n') }]), first,
    'the Namespace between its objects');
  // A later definition of the Namespace replaces an earlier one for every object in it, as kubectl apply would.
  const loose = namespace('shop', `    ${P}/enforce: privileged`);
  t.same(verdicts([{ file: 'all.yaml', content: [loose, objects[0], shop, ...objects.slice(1)].join('---\n') }]), first, 'redefined after some objects');
  // The replaced definition is still reported: admission refuses one with invalid labels.
  const bogus = namespace('shop', `    ${P}/enforce: bogus`);
  const both = checkManifests([{ file: 'ns.yaml', content: [bogus, shop, loose].join('---\n') }], { evaluator });
  t.same(both.resources.map((r) => [r.source.index, r.kind, r.allowed]), [[0, 'Namespace', false]]);
  t.same(both.notEvaluated.map((n) => n.source.index), [1, 2]);
  t.match(both.notEvaluated[0]!.reason, /^Namespace: no pod spec; defined again in ns\.yaml document 3, which sets the policy of its objects in its place$/, 'documents counted from 1, as errors count them');
  t.match(both.notEvaluated[1]!.reason, /its labels set the policy of its objects \(enforce=privileged:latest/);
  t.equal(both.exitCode, 1);
  // Each definition with other PodSecurity labels than the one before is most likely another environment's: said.
  t.match(both.warnings, [
    { file: 'ns.yaml', index: 1, line: 12, column: 3, message: /^Namespace shop is defined again with other PodSecurity labels \(enforce=baseline, warn=restricted, warn-version=v1\.30; in ns\.yaml document 1: enforce=bogus\); this later definition sets the policy/ },
    { file: 'ns.yaml', index: 2, line: 21, column: 3, message: /\(enforce=privileged; in ns\.yaml document 2: enforce=baseline, warn=restricted, warn-version=v1\.30\)/, hint: 'check each environment\'s manifests in a run of their own, or make the definitions agree' },
  ]);
  t.equal(both.warnings.length, 2);
  const unlabelled = namespace('shop', '    team: a');
  const same = checkManifests([{ file: 'a.yaml', content: shop }, { file: 'b.yaml', content: shop.replace(`    ${P}/enforce: baseline`, `    ${P}/enforce: baseline\n    team: b`) }, { file: 'c.yaml', content: unlabelled }, { file: 'd.yaml', content: unlabelled }], { evaluator });
  t.same(same.warnings.map((w) => [w.file, w.message.replace(/\).*/, ')')]), [['c.yaml', 'Namespace shop is defined again with other PodSecurity labels (none; in b.yaml document 1: enforce=baseline, warn=restricted, warn-version=v1.30)']],
    'other labels, or the same PodSecurity labels in another order, are no conflict');
  // What counts is the policy the labels give, and only when the labels set it.
  const spelled = checkManifests([{ file: 'a.yaml', content: namespace('shop', `    ${P}/enforce: restricted`) }, { file: 'b.yaml', content: namespace('shop', `    ${P}/enforce: restricted\n    ${P}/enforce-version: latest`) }], { evaluator });
  t.same(spelled.warnings, [], 'enforce-version: latest is what no version label says');
  const levelled = checkManifests([{ file: 'a.yaml', content: shop }, { file: 'b.yaml', content: loose }], { evaluator, level: 'baseline' });
  t.same(levelled.warnings, [], '--level sets the policy, whatever the labels');
  t.match(same.notEvaluated[2]!.reason, /defined again in d\.yaml document 1, which sets the policy of its objects in its place$/);
  // JSON input is read again the same way.
  const asJson = objects.map((o) => JSON.stringify(parseManifests(o, 'o.yaml').documents[0]!.value)).join('\n');
  t.same(verdicts([{ file: 'a.json', content: asJson }, { file: 'b.yaml', content: shop }]), first, 'JSON objects before the Namespace');
});

t.test('a template that warn and audit pass but the namespace enforces more: its pods would be refused, a finding at enforce', async (t) => {
  const evaluator = createEvaluator();
  const P = 'pod-security.kubernetes.io';
  const ns = (labels: string[]) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: strict\n  labels:\n${labels.map((l) => `    ${P}/${l}\n`).join('')}`;
  const deployment = [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d, namespace: strict}', 'spec:', '  selector: {matchLabels: {a: b}}', '  template:',
    '    metadata: {labels: {a: b}}', '    spec:', '      containers:', '      - name: c', '        image: nginx', '',
  ].join('\n');
  const run = (...docs: string[]) => checkManifests([{ file: 'x.yaml', content: docs.join('---\n') }], { evaluator });
  const enforced = 'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

  // Admission accepts the object (it judges templates at warn and audit only) and refuses every pod it creates.
  for (const warn of ['baseline', 'privileged']) {
    const r = run(ns(['enforce: restricted', `warn: ${warn}`]), deployment);
    t.equal(r.exitCode, 1, `warn ${warn}: its pods would be refused, which fails the run`);
    t.match(r.resources, [{
      kind: 'Deployment', subject: 'template', allowed: false, message: enforced,
      policy: { mode: 'enforce', level: 'restricted', version: 'latest' },
      evaluations: [...(warn === 'baseline' ? [{ mode: 'warn', level: 'baseline', allowed: true }] : []), { mode: 'enforce', level: 'restricted', allowed: false, message: enforced }],
    }]);
    t.equal(r.resources.length, 1);
    t.equal(r.resources[0]!.evaluations.length, warn === 'baseline' ? 2 : 1, `warn ${warn}: no evaluations besides those matched`);
    t.same(r.resources[0]!.violations.map((v) => [v.checkId, v.modes]), [['allowPrivilegeEscalation', ['enforce']], ['capabilities_restricted', ['enforce']], ['runAsNonRoot', ['enforce']], ['seccompProfile_restricted', ['enforce']]]);
    t.match(r.resources[0]!.violations[0]!.locations, [{ line: 18, column: 7 }]);
    t.equal(r.resources[0]!.violations[0]!.locations.length, 1);
    t.same(r.warnings, []);
  }
  // Not judged apart when warn or audit judges at the enforce level already.
  const modes = (r: ReturnType<typeof run>) => r.resources[0]!.evaluations.map((e) => `${e.mode} ${e.level}`);
  t.same(modes(run(ns(['enforce: restricted']), deployment)), ['warn restricted'], 'warn defaults to enforce');
  t.same(modes(run(ns(['enforce: restricted', 'warn: baseline', 'audit: restricted']), deployment)), ['warn baseline', 'audit restricted'], 'audit judges at enforce');
  t.same(modes(run(ns(['enforce: restricted', `enforce-version: ${evaluator.newestVersion}`, 'warn: restricted']), deployment)), ['warn restricted'], 'latest and the newest version judge alike');
  t.same(modes(run(ns(['enforce: restricted', 'enforce-version: v1.25', 'warn: restricted']), deployment)), ['warn restricted', 'enforce restricted'], 'another version is judged apart');
  const passing = run(ns(['enforce: baseline', 'warn: privileged']), deployment);
  t.match(passing.resources, [{ allowed: true, policy: { mode: 'enforce', level: 'baseline' } }], 'its pods pass enforce');
  t.equal(passing.resources.length, 1);
  t.equal(passing.exitCode, 0);
  // A check both find is one violation, with both modes.
  const privileged = deployment.replace('image: nginx', 'image: nginx\n        securityContext: {privileged: true}');
  const both = run(ns(['enforce: baseline', 'warn: restricted']), privileged);
  t.match(both.resources, [{ allowed: false, policy: { mode: 'warn', level: 'restricted' } }], 'the message is what kubectl apply shows: the warning');
  t.equal(both.resources.length, 1);
  t.same(both.resources[0]!.violations.find((v) => v.checkId === 'privileged')!.modes, ['warn', 'enforce']);
  t.same(checkManifests([{ file: 'x.yaml', content: [ns(['enforce: restricted', 'warn: privileged']), deployment].join('---\n') }], { evaluator, level: 'baseline' }).resources[0]!.evaluations.map((e) => e.mode),
    ['warn', 'audit'], '--level judges every mode alike');
  // A user's exemption covers the workload, not the pods its controller creates: the object is exempt, with a warning.
  const config = `apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: restricted, warn: restricted}\nexemptions: {usernames: [alice]}\n`;
  const { parseAdmissionConfig } = await import('../admission/config.js');
  const exempt = checkManifests([{ file: 'x.yaml', content: deployment.replace('namespace: strict', 'namespace: team') }], { evaluator, config: parseAdmissionConfig(config), user: 'alice' });
  t.match(exempt.resources, [{ kind: 'Deployment', exempt: 'user', allowed: true }]);
  t.equal(exempt.resources.length, 1);
  t.match(exempt.warnings, [{ line: 10, column: 7, message: `Deployment team/d: pods made from its template would be refused: ${enforced}`, hint: /^the user is exempt \(--config exemptions\.usernames\), so the object itself is accepted, but its pods are created by a controller, which is not exempt;/ }]);
  t.equal(exempt.warnings.length, 1);
  // ... unless a runtime class exempts the pods themselves.
  const kata = checkManifests([{ file: 'x.yaml', content: deployment.replace('namespace: strict', 'namespace: team').replace('    spec:\n', '    spec:\n      runtimeClassName: kata\n') }],
    { evaluator, config: parseAdmissionConfig(config.replace('usernames: [alice]', 'usernames: [alice], runtimeClasses: [kata]')), user: 'alice' });
  t.match(kata.resources, [{ exempt: 'user' }]);
  t.equal(kata.resources.length, 1);
  t.same(kata.warnings, [], 'the pods are exempt by their runtime class');
  // Judged again under a Namespace that comes later: only the final judgement speaks.
  const late = run(deployment, ns(['enforce: restricted', 'warn: privileged']));
  t.match(late.resources, [{ kind: 'Deployment', allowed: false, policy: { mode: 'enforce' } }]);
  t.equal(late.resources.length, 1);
  const relaxed = run(ns(['enforce: restricted', 'warn: privileged']), deployment, ns(['enforce: baseline'])).resources;
  t.match(relaxed, [{ kind: 'Deployment', allowed: true }], 'no longer refused once the Namespace is defined again');
  t.equal(relaxed.length, 1);
  // No controller makes pods from a PodTemplate: it is judged as admission judges it, and nothing more.
  const podTemplate = ['apiVersion: v1', 'kind: PodTemplate', 'metadata: {name: pt, namespace: strict}', 'template:', '  spec:', '    containers:', '    - name: c', '      image: nginx', ''].join('\n');
  for (const warn of ['baseline', 'privileged']) {
    const r = run(ns(['enforce: restricted', `warn: ${warn}`]), podTemplate);
    t.match(r.resources, [{ kind: 'PodTemplate', subject: 'template', allowed: true }], `PodTemplate, warn ${warn}: accepted, as by admission`);
    t.equal(r.resources.length, 1);
    t.same(r.resources[0]!.evaluations.map((e) => e.mode), warn === 'baseline' ? ['warn'] : [], 'no enforce verdict');
    t.equal(r.exitCode, 0);
  }
  t.equal(run(ns(['enforce: restricted', 'warn: privileged']), deployment, podTemplate).exitCode, 1, 'the Deployment beside it still fails');
});

t.test('text: a failing mode at another level or version shows its message only when it finds something else', async (t) => {
  const P = 'pod-security.kubernetes.io';
  const input = (labels: string[]) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels.map((l) => `    ${P}/${l}\n`).join('')}---\n${PRIVILEGED_DEPLOYMENT}`;
  const same = await cli(['check', '-q', '-'], { stdin: input(['enforce: baseline', 'warn: restricted', 'warn-version: v1.35', 'audit: restricted']) });
  t.match(same.stdout, /\n  FAIL  Deployment shop\/web \(line 11\) \[pod template, warn restricted:v1\.35, audit restricted:latest\]\n        would violate PodSecurity "restricted:v1\.35": privileged /);
  t.notMatch(same.stdout, /\n        audit: /, 'no second copy of the same findings');
  const more = await cli(['check', '-q', '-'], { stdin: input(['enforce: privileged', 'warn: baseline', 'audit: restricted']) });
  t.match(more.stdout, /\[pod template, warn baseline:latest\]\n        would violate PodSecurity "baseline:latest": privileged \(container "web" must not set securityContext\.privileged=true\)\n        audit: would violate PodSecurity "restricted:latest": privileged \(/);
  // Every mode that found it is named, as in the JSON's modes: at one level and version, joined.
  const pod = await cli(['check', '-q', '--level', 'baseline', '-'], { stdin: PRIVILEGED_DEPLOYMENT + '---\n' + 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n' });
  t.match(pod.stdout, /\n  FAIL  Deployment shop\/web \(line 1\) \[pod template, warn\+audit baseline:latest\]\n/);
  t.match(pod.stdout, /\n  FAIL  Pod default\/p \(line \d+\) \[enforce\+audit baseline:latest\]\n/);
  // And a pass names every mode that passed it.
  const good = 'apiVersion: v1\nkind: Pod\nmetadata: {name: g}\nspec: {containers: [{name: c, image: i}]}\n';
  t.match((await cli(['check', '--level', 'baseline', '-'], { stdin: good })).stdout, /\n  ok    Pod default\/g \(line 1\): passes baseline:latest \[enforce\+warn\+audit\]\n/);
  const mixed = await cli(['check', '-'], { stdin: input(['enforce: baseline', 'warn: restricted', 'warn-version: v1.35', 'audit: restricted']).replace(PRIVILEGED_DEPLOYMENT, '') + GOOD_POD.replace('  name: good', '  name: good\n  namespace: shop') });
  t.match(mixed.stdout, /\n  ok    Pod shop\/good \(line \d+\): passes enforce baseline:latest, warn restricted:v1\.35, audit restricted:latest\n/);
});

t.test('--config: defaults and exemptions, v1 and v1beta1, strict', async (t) => {
  const dir = t.testdir({
    'v1.yaml': `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
  warn: baseline
exemptions:
  namespaces: [kube-system]
  runtimeClasses: [kata]
  usernames: [admin]
`,
    'beta.yaml': `apiVersion: pod-security.admission.config.k8s.io/v1beta1
kind: PodSecurityConfiguration
defaults: {enforce: restricted}
`,
    'typo.yaml': `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
exemptions:
  runtimeClassNames: [kata]
`,
  });
  const pods = [
    BARE_POD,
    BARE_POD.replace('name: p', 'name: sys\n  namespace: kube-system').replace('privileged', ''),
    PRIVILEGED_DEPLOYMENT.replace('      containers:', '      runtimeClassName: kata\n      containers:'),
  ].join('---\n');
  let r = await json(['--config', join(dir, 'v1.yaml'), '-'], { stdin: pods });
  t.equal(r.code, 0, 'the bare pod passes baseline; the others are exempt');
  t.same(r.report.resources.map((x) => [x.name, x.exempt ?? null, x.policy.source]), [['p', null, 'config'], ['sys', 'namespace', 'config'], ['web', 'runtimeClass', 'config']]);
  t.equal(r.report.summary.exempt, 2);
  // A namespace privileged in every mode is allowed before the runtime class is looked at, as upstream.
  const open = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/warn: privileged\n    pod-security.kubernetes.io/audit: privileged\n---\n';
  r = await json(['--config', join(dir, 'v1.yaml'), '-'], { stdin: open + PRIVILEGED_DEPLOYMENT.replace('namespace: shop', 'namespace: lab').replace('      containers:', '      runtimeClassName: kata\n      containers:') });
  t.match(r.report.resources[0]!, { name: 'web', exempt: undefined, allowed: true, policy: { source: 'namespace', level: 'privileged' } });
  r = await json(['--config', join(dir, 'v1.yaml'), '--user', 'admin', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.equal(r.report.resources[0]!.exempt, 'user');
  const exemptText = await cli(['check', '--config', join(dir, 'v1.yaml'), '--user', 'admin', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.match(exemptText.stdout, /0 resources checked, 0 passed, 0 failed \(0 violations\), 1 exempt/);
  t.notMatch(exemptText.stdout, /none of the objects is of a kind PodSecurity admission judges/, 'an exempt object had a pod spec');
  r = await json(['--config', join(dir, 'beta.yaml'), '-'], { stdin: BARE_POD });
  t.equal(r.code, 1);
  t.match(r.report.resources[0]!.policy, { mode: 'enforce', level: 'restricted' });
  const bad = await cli(['check', '--config', join(dir, 'typo.yaml'), '-'], { stdin: BARE_POD });
  t.equal(bad.code, 2);
  t.match(bad.stderr, /^podsec check: invalid configuration file .*typo\.yaml:4:3: unknown field "exemptions.runtimeClassNames"; did you mean "runtimeClasses"\?/);
  // The hint says how to write the value, where the message alone does not.
  const hints: [string, RegExp][] = [
    ['defaults: {enforce-version: 1.29}', /hint: quote the version and write its v: "v1\.29"/],
    ['exemptions: {namespaces: kube-system}', /hint: write a list, even of one item: \[name\]/],
    ['defaults: {enforce: Baseline}', /hint: write privileged, baseline or restricted, in lower case/],
  ];
  for (const [body, hint] of hints) {
    writeFileSync(join(dir, 'h.yaml'), `apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n${body}\n`);
    t.match((await cli(['check', '--config', join(dir, 'h.yaml'), '-'], { stdin: BARE_POD })).stderr, hint, body);
  }
});

t.test('--config: a labelled Namespace that is exempt gets admission\'s warning, which names the modes set and not privileged', async (t) => {
  const dir = t.testdir({
    'c.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\nexemptions: {namespaces: [kube-system]}\n',
  });
  const ns = (labels: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n  labels:\n${labels}\n`;
  const r = await json(['--config', join(dir, 'c.yaml'), '-'], {
    stdin: ns('    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.0\n    pod-security.kubernetes.io/audit: privileged\n    pod-security.kubernetes.io/warn: baseline'),
  });
  t.equal(r.code, 0, 'a warning, not a finding');
  t.match(r.report.warnings, [{ line: 5, column: 3, kind: 'Namespace', name: 'kube-system', message: 'namespace "kube-system" is exempt from Pod Security, and the policy (enforce=restricted:v1.0, warn=baseline:latest) will be ignored' }]);
  t.equal(r.report.warnings.length, 1);
  // None when the labels give the configured defaults, or nothing but privileged, as upstream.
  for (const labels of ['    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: privileged', '    pod-security.kubernetes.io/enforce: privileged\n    pod-security.kubernetes.io/warn: privileged', '    app: x']) {
    t.same((await json(['--config', join(dir, 'c.yaml'), '-'], { stdin: ns(labels) })).report.warnings, [], labels);
  }
  // Defined again, it is an update: warned of only where its enforce gets stricter, as admission does.
  const restricted = ns('    pod-security.kubernetes.io/enforce: restricted');
  const again = async (second: string) => (await json(['--config', join(dir, 'c.yaml'), '-'], { stdin: `${restricted}---\n${second}` })).report.warnings.filter((w) => /is exempt from Pod Security/.test(w.message)).map((w) => w.index);
  t.same(await again(restricted), [0], 'the same labels again: no second warning');
  t.same(await again(ns('    pod-security.kubernetes.io/enforce: baseline')), [0], 'relaxed at the same version: none');
  t.same(await again(ns('    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.30')), [0, 1], 'another version: warned again');
  t.same(await again(ns('    pod-security.kubernetes.io/enforce: Restricted')), [0], 'refused for its labels: no exemption warning');
});

t.test('--config: an AdmissionConfiguration, as the API server reads it', async (t) => {
  const dir = t.testdir({
    conf: {
      'admission.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: pod-security.yaml\n  extra: 1\n',
      'pod-security.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: restricted}\n',
      'other.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: EventRateLimit\n  path: eventconfig.yaml\n',
    },
  });
  // A relative path is the AdmissionConfiguration's neighbour, whatever the working directory.
  const r = await json(['--config', join('conf', 'admission.yaml'), '-'], { stdin: BARE_POD, cwd: dir });
  t.equal(r.code, 1);
  t.match(r.report.resources[0]!.policy, { mode: 'enforce', level: 'restricted' });
  t.equal(r.stderr, `warning: ${join('conf', 'admission.yaml')}:6:3: unknown field "plugins[0].extra"; allowed fields here: name, path, configuration\n`);
  const other = await json(['--config', join(dir, 'conf', 'other.yaml'), '-'], { stdin: BARE_POD });
  t.equal(other.code, 0, 'no PodSecurity entry: the defaults, privileged');
  t.match(other.stderr, /^warning: .*other\.yaml:3:1: no plugin entry is named "PodSecurity": the API server gives the PodSecurity plugin the defaults/);
  t.match(r.report.warnings, [{ file: join('conf', 'admission.yaml'), line: 6, column: 3, message: 'unknown field "plugins[0].extra"; allowed fields here: name, path, configuration' }], 'the report has the warning too');
  t.equal(r.report.summary.warnings, 1);
  // A path: that names no file says so in words, and where a relative one is looked for.
  const gone = t.testdir({ 'admission.yaml': 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: pss.yaml\n' });
  const g = await cli(['check', '--config', join(gone, 'admission.yaml'), '-'], { stdin: BARE_POD });
  t.equal(g.code, 2);
  t.equal(g.stderr, `podsec check: invalid configuration file ${join(gone, 'admission.yaml')}:5:3: plugins[0].path: cannot read ${join(gone, 'pss.yaml')}: no such file or directory\n`
    + `hint: check the PodSecurity plugin's path: in ${join(gone, 'admission.yaml')} (a relative path is taken from the directory of ${join(gone, 'admission.yaml')}, not the current one)\n`);
});

t.test('bad input: each is reported with file, document and line; nothing crashes or passes silently', async (t) => {
  const deep = 'apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  const dir = t.testdir({
    'two.yaml': `apiVersion: v1\nkind: Pod\nmetadata: {name: first}\nspec: {containers: [{name: c, image: i}]}\n---\nkind: [\n---\n${GOOD_POD}`,
    'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]),
    'bomb.yaml': bomb.join('\n') + '\n',
    'deep.yaml': deep,
    'huge.yaml': GOOD_POD + '#'.repeat(3 * 1024 * 1024) + '\n',
    'strtrue.yaml': GOOD_POD.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n      privileged: "true"'),
    'containers-map.yaml': PRIVILEGED_DEPLOYMENT.replace(/containers:[\s\S]*$/, 'containers: {}\n'),
    'nokind.yaml': 'apiVersion: v1\nmetadata: {name: x}\n',
    'nameless.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - ~\n  - name: b\n',
    'typed.yaml': 'apiVersion: v1\nkind: [Pod]\n---\napiVersion: true\nkind: Pod\n---\napiVersion: v1\nkind: ~\n',
    'scalar.yaml': 'just a string\n',
    // Fields no check reads count too: the API server would reject these.
    'placeholder.yaml': PRIVILEGED_DEPLOYMENT.replace('spec:\n  selector', 'spec:\n  replicas: <REPLICAS>\n  selector'),
    'grace.yaml': GOOD_POD.replace('spec:\n', 'spec:\n  terminationGracePeriodSeconds: "30"\n'),
    'fraction.yaml': GOOD_POD.replace('spec:\n', 'spec:\n  terminationGracePeriodSeconds: 1.5\n'),
    'v2.yaml': BARE_POD.replace('apiVersion: v1', 'apiVersion: v2'),
  });
  const { code, report } = await json(['--max-file-size', '2', dir]);
  t.equal(code, 2);
  const errs = (file: string) => report.errors.filter((e) => e.file.endsWith('/' + file));
  t.match(errs('two.yaml'), [{ index: 1, line: 6, column: 7, message: /"\[" is not closed/ }]);
  t.equal(errs('two.yaml').length, 1);
  t.same(report.resources.filter((r) => r.source.file.endsWith('two.yaml')).map((r) => r.name), ['first', 'good'], 'the other documents are still checked');
  t.match(errs('binary.yaml')[0], { message: /binary|UTF-8|control character/i, line: Number });
  t.match(errs('bomb.yaml')[0], { message: /alias/i, line: Number });
  t.match(errs('deep.yaml')[0], { message: /deep|nesting/i });
  t.match(errs('huge.yaml')[0], { message: /larger than the limit of 2 MB/, hint: /--max-file-size/ });
  t.match(errs('strtrue.yaml'), [{ line: 14, column: 7, kind: 'Pod', name: 'good', message: 'Pod default/good: spec.containers[0].securityContext.privileged must be a boolean (true or false), not the string "true"', hint: /without quotes/ }]);
  t.equal(errs('strtrue.yaml').length, 1);
  t.match(errs('containers-map.yaml'), [{ line: 11, message: /spec\.template\.spec\.containers must be a list, not a mapping/ }]);
  t.equal(errs('containers-map.yaml').length, 1);
  t.match(errs('nokind.yaml'), [{ index: 0, line: 1, message: /no kind/ }]);
  t.equal(errs('nokind.yaml').length, 1);
  t.same(errs('nameless.yaml').map((e) => [e.line, e.message]), [
    [6, 'Pod default/x: spec.containers[0].name: Required value (the API server refuses a container without a name)'],
    [6, 'Pod default/x: spec.containers[0].image: Required value (the API server refuses a container without an image)'],
    [7, 'Pod default/x: spec.containers[1].image: Required value (the API server refuses a container without an image)'],
  ], 'a null container is an empty one: no name, no image');
  t.match(errs('typed.yaml'), [
    { index: 0, line: 2, column: 1, message: 'kind must be a string, not ["Pod"]', hint: /write kind as a string/ },
    { index: 1, line: 4, column: 1, message: 'Pod: apiVersion must be a string, not the boolean true', hint: /write apiVersion as a string/ },
    { index: 2, line: 8, message: "object has no kind (kubectl: Object 'Kind' is missing)", hint: /add "kind:"/ },
  ]);
  t.equal(errs('typed.yaml').length, 3);
  t.match(errs('scalar.yaml'), [{ message: /not a Kubernetes object/ }]);
  t.equal(errs('scalar.yaml').length, 1);
  t.match(errs('placeholder.yaml'), [{ line: 7, column: 3, message: 'Deployment shop/web: spec.replicas must be an integer, not the string "<REPLICAS>"' }]);
  t.equal(errs('placeholder.yaml').length, 1);
  t.match(errs('grace.yaml'), [{ line: 6, column: 3, message: 'Pod default/good: spec.terminationGracePeriodSeconds must be an integer, not the string "30"', hint: /without quotes/ }]);
  t.equal(errs('grace.yaml').length, 1);
  t.same(errs('fraction.yaml').map((e) => e.message), ['Pod default/good: spec.terminationGracePeriodSeconds must be an integer, not the number 1.5']);
  t.notOk(report.resources.some((r) => ['good'].includes(r.name) && r.source.file.endsWith('strtrue.yaml')), 'a wrongly typed object is not judged');
  t.match(errs('v2.yaml'), [{ line: 1, column: 1, kind: 'Pod', message: 'Pod default/p: Kubernetes has no Pod in version "v2" (kubectl: no matches for kind "Pod" in version "v2")', hint: /write apiVersion: v1/ }]);
  t.equal(errs('v2.yaml').length, 1);
  const missing = await json([join(dir, 'nope.yaml'), join(dir, 'two.yaml')]);
  t.equal(missing.code, 2);
  t.match(missing.report.errors[0], { message: /cannot read .*nope\.yaml: no such file or directory/ });
  t.equal(missing.report.resources.length, 2, 'readable inputs are still checked');
  // No objects at all (an earlier command in a pipe failed): an error, as kubectl apply refuses it.
  for (const stdin of ['', '# nothing here\n---\n']) {
    const none = await json(['-'], { stdin });
    t.equal(none.code, 2, JSON.stringify(stdin));
    t.match(none.report.errors, [{ file: '<stdin>', message: /no Kubernetes objects in the input/, hint: /pipefail/ }]);
    t.equal(none.report.errors.length, 1);
  }
  // Nor are empty lists: kubectl applies a list's items, and there are none.
  for (const stdin of ['apiVersion: v1\nkind: List\nitems: []\n', 'apiVersion: v1\nkind: PodList\nitems: null\n---\nkind: List\nitems: []\n']) {
    const none = await json(['-'], { stdin });
    t.equal(none.code, 2, JSON.stringify(stdin));
    t.match(none.report.errors, [{ file: '<stdin>', message: 'no Kubernetes objects in the input: its lists have no items', hint: /pipefail/ }]);
    t.equal(none.report.errors.length, 1);
  }
  const beside = t.testdir({ 'empty.yaml': '', 'good.yaml': GOOD_POD, 'comments.yaml': '# nothing\n' });
  t.equal((await json(['.'], { cwd: beside })).code, 0, 'an empty file beside others is fine');
  // The text report lists it all the same (not with -q), so that no file read is missing from it.
  const listed = await cli(['check', '.'], { cwd: beside });
  t.match(listed.stdout, /^comments\.yaml\n  empty no objects: the file is empty, or holds only comments or empty documents\nempty\.yaml\n  empty no objects: /);
  t.notMatch((await cli(['check', '-q', '.'], { cwd: beside })).stdout, /empty/);
  // A named file has no pipe: the hint fits a file.
  const emptyFile = await json(['empty.yaml'], { cwd: beside });
  t.equal(emptyFile.code, 2);
  t.same(emptyFile.report.errors, [{ file: 'empty.yaml', message: 'no Kubernetes objects in the input: it is empty or holds only comments', hint: 'pass a file that holds manifests; if a command wrote it, check that it succeeded' }]);
  const emptyFiles = (await json(['empty.yaml', 'comments.yaml'], { cwd: beside })).report.errors;
  t.match(emptyFiles, [{ message: 'no Kubernetes objects in any of the 2 inputs: they are empty or hold only comments', hint: 'pass files that hold manifests; if a command wrote them, check that it succeeded' }]);
  t.equal(emptyFiles.length, 1);
  const withStdin = (await json(['empty.yaml', '-'], { cwd: beside, stdin: '' })).report.errors;
  t.match(withStdin, [{ hint: /pipefail/ }], 'standard input among them: the pipe hint');
  t.equal(withStdin.length, 1);
  const tiny = await json(['--max-file-size', '0.0001', 'good.yaml'], { cwd: beside });
  t.match(tiny.report.errors, [{ message: /^file is 277 bytes, larger than the limit of 104 bytes$/ }]);
  t.equal(tiny.report.errors.length, 1);
  // Standard input states the limit in the same units as a file does.
  const tinyStdin = await json(['--max-file-size', '0.0001', '-'], { cwd: beside, stdin: GOOD_POD });
  t.match(tinyStdin.report.errors, [{ file: '<stdin>', message: /^standard input is larger than the limit of 104 bytes$/ }]);
  t.equal(tinyStdin.report.errors.length, 1);
  // Each input is read whole into one string, and V8's strings end near 512 MB.
  const tooLarge = await cli(['check', '--max-file-size', '513', 'good.yaml'], { cwd: beside });
  t.equal(tooLarge.code, 2);
  t.match(tooLarge.stderr, /--max-file-size can be at most 512: podsec reads each input whole[^\n]*\nhint: split larger inputs/);
  t.equal((await json(['--max-file-size', '512', 'good.yaml'], { cwd: beside })).code, 0, 'the largest limit accepted');
  for (const limit of ['512MB', '64M', '1.5mb', '.5']) t.equal((await json(['--max-file-size', limit, 'good.yaml'], { cwd: beside })).code, 0, `--max-file-size ${limit}`);
  for (const limit of ['0x10', ' 5', '5 GB', '1e3', '0', '-']) {
    const wrong = await cli(['check', `--max-file-size=${limit}`, 'good.yaml'], { cwd: beside });
    t.equal(wrong.code, 2, `--max-file-size ${JSON.stringify(limit)}`);
    t.match(wrong.stderr, `--max-file-size must be a positive number of megabytes, not ${JSON.stringify(limit)}\nhint: write a number such as 128`);
  }
});

t.test('a backslash in a file name is part of the name, on systems whose separator is /', async (t) => {
  const dir = t.testdir({ 'a\\b.yaml': BARE_POD });
  const r = await json(['.'], { cwd: dir });
  t.same(r.report.files, ['a\\b.yaml']);
  t.same(r.report.errors, []);
  t.equal(r.code, 1, 'the pod in it is judged');
  t.same((await json(['a\\b.yaml'], { cwd: dir })).report.files, ['a\\b.yaml'], 'named on the command line too');
});

t.test('a file just over --max-file-size: sizes that round alike are given in bytes', async (t) => {
  const dir = t.testdir({ 'a.yaml': GOOD_POD + '#'.repeat(2 * 1048576) });
  const over = (await json(['--max-file-size', '2', 'a.yaml'], { cwd: dir })).report.errors;
  t.match(over, [{ message: /^file is 2097\d\d\d bytes, larger than the limit of 2097152 bytes$/ }]);
  t.equal(over.length, 1);
});

/** checkManifests whose reader fails at the end of broken.yaml, after giving its objects, as one out of memory would. */
async function checkWithBrokenReader(t: Test): Promise<typeof checkManifests> {
  const read = await import('../cli/manifest/read.js');
  const mocked = await t.mockImport<typeof import('../cli/check/run.js')>('../cli/check/run.js', {
    '../cli/manifest/read.js': {
      ...read,
      parseManifests: (content: string, file: string, options: Parameters<typeof read.parseManifests>[2]) => {
        const parsed = read.parseManifests(content, file, options);
        if (file === 'broken.yaml') throw new RangeError('Cannot create a string longer than 0x1fffffe8 characters');
        return parsed;
      },
    },
  });
  return mocked.checkManifests;
}

t.test('an input the reader cannot read to its end is reported, and the others are still checked', async (t) => {
  const check = await checkWithBrokenReader(t);
  const report = check([
    { file: 'broken.yaml', content: PRIVILEGED_DEPLOYMENT },
    { file: 'good.yaml', content: GOOD_POD },
  ], { evaluator: createEvaluator() });
  t.same(report.errors, [{
    file: 'broken.yaml',
    message: 'podsec could not read this input to its end: Cannot create a string longer than 0x1fffffe8 characters',
    hint: 'please report this as a podsec bug, with the input; the objects read before this point were checked',
  }]);
  t.same(report.resources.map((r) => `${r.source.file} ${r.name} ${r.allowed}`), ['broken.yaml web false', 'good.yaml good true'], 'what was read before is judged, and the next input too');
  t.equal(report.exitCode, 2);
});

t.test('a malformed name or metadata says in its hint what the error costs, for the kinds podsec reads', async (t) => {
  const hints = (doc: string) => checkManifests([{ file: 'a.yaml', content: doc }], { evaluator: createEvaluator() }).errors.map((e) => e.hint);
  // `name: y` is a boolean to kubectl.
  t.same(hints('apiVersion: v1\nkind: Pod\nmetadata: {name: y}\nspec: {containers: [{name: c, image: i}]}\n'), ['quote the value to make it a string: unquoted, kubectl reads y, n, yes, no, on, off, true and false (in lower case, capitalised or upper case) as booleans; podsec did not evaluate this object']);
  t.same(hints('apiVersion: apps/v1\nkind: Deployment\nmetadata: [x]\n'), ['write metadata as a mapping (name:, namespace:, labels:); podsec did not evaluate this object']);
  t.same(hints('apiVersion: v1\nkind: Namespace\nmetadata: {name: 5}\n'), ['quote the value to make it a string: unquoted, it is read as a number (1.10 as 1.1, 0777 as 511); its labels do not set the policy of its objects']);
  t.same(hints('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n'), ['quote the value to make it a string: unquoted, kubectl reads y, n, yes, no, on, off, true and false (in lower case, capitalised or upper case) as booleans']);
});

t.test('a wrongly typed kind, apiVersion, name or template is named by its type when it is large, not quoted whole', async (t) => {
  const big = `[${Array.from({ length: 500 }, (_, i) => `item${i}`).join(', ')}]`;
  const long = 'x'.repeat(5000);
  const messages = (doc: string) => checkManifests([{ file: 'a.yaml', content: doc }], { evaluator: createEvaluator() }).errors.map((e) => e.message);
  t.same(messages(`apiVersion: v1\nkind: ${big}\n`), ['kind must be a string, not a list']);
  t.same(messages(`apiVersion: {a: ${big}}\nkind: Pod\n`), ['Pod: apiVersion must be a string, not a mapping']);
  t.same(messages(`apiVersion: v1\nkind: Pod\nmetadata: {namespace: ${big}}\n`), ['Pod: metadata.namespace must be a string, not a list']);
  t.same(messages(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: ${long}}\n`),
    [`Deployment default/d: spec.template must be a mapping, not the string "${'x'.repeat(40)}…"`]);
  // Small values are still quoted.
  t.same(messages('apiVersion: v1\nkind: [Pod]\n'), ['kind must be a string, not ["Pod"]']);
  // A list's items and an object's metadata say what they were given, in words.
  t.same(messages('apiVersion: v1\nkind: List\nitems: x\n'), ['List.items must be a list, not the string "x"']);
  t.same(messages('apiVersion: v1\nkind: List\nitems: 3\n'), ['List.items must be a list, not the number 3']);
  t.same(messages('apiVersion: v1\nkind: List\nitems: {a: b}\n'), ['List.items must be a list, not a mapping']);
  t.same(messages('apiVersion: v1\nkind: Pod\nmetadata: true\n'), ['Pod: metadata must be a mapping, not the boolean true']);
});

t.test("int64's largest values pass and the integers just past them fail, although doubles round both to 2^63", async (t) => {
  const pod = (v: string) => GOOD_POD.replace('spec:\n', `spec:\n  activeDeadlineSeconds: ${v}\n`);
  const jsonPod = (v: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { activeDeadlineSeconds: 0, containers: [{ name: 'a', image: 'a' }] } }).replace('"activeDeadlineSeconds":0', `"activeDeadlineSeconds":${v}`);
  // As kubectl sends them: integer literals within int64 exactly; the rest as float64, printed
  // (±9223372036854776000 at both ends) as no int64 decoder takes.
  const cases: [string, string, boolean][] = [
    ['yaml', '9223372036854775807', true], ['yaml', '0x7FFFFFFFFFFFFFFF', true], ['yaml', '-9223372036854775808', true],
    ['yaml', '-9223372036854775809', false], ['yaml', '-9223372036854775808.0', false],
    ['yaml', '9223372036854775808', false], ['yaml', '9223372036854776832', false], ['yaml', '0x8000000000000000', false],
    ['yaml', '9223372036854775807.0', false], ['yaml', '!!float 9223372036854775807', false],
    ['json', '9223372036854775807', true], ['json', '-9223372036854775808', true], ['json', '-9223372036854775809', false],
    ['json', '9223372036854775808', false], ['json', '9223372036854775807.0', false], ['json', '9.2233720368547758e18', false],
  ];
  const files: Record<string, string> = {};
  cases.forEach(([format, v], i) => (files[`${i}.${format}`] = format === 'yaml' ? pod(v) : jsonPod(v)));
  const dir = t.testdir(files);
  for (const [i, [format, v, fits]] of cases.entries()) {
    const { report } = await json(['--level', 'privileged', join(dir, `${i}.${format}`)]);
    const refused = report.errors.some((e) => /activeDeadlineSeconds must be an integer from -9223372036854775808 to 9223372036854775807 \(Go's int64\), not the number -?9223372036854776000 \(the API server says: cannot unmarshal number -?9223372036854776000 into Go value of type int64\)$/.test(e.message));
    t.equal(refused, !fits, `${format} ${v}: ${fits ? 'fits' : 'refused, quoted as kubectl sends it'}`);
    // One that decodes meets ValidatePodSpec's range for the field next, which no value here is in
    // (printed as Go prints int64's ends, which doubles round to ±2^63).
    if (fits) t.match(report.errors.map((e) => e.message), [/^Pod default\/(good|j): spec\.activeDeadlineSeconds: Invalid value: (9223372036854775807|-9223372036854775808): must be between 1 and 2147483647, inclusive \(the API server refuses the object\)$/], `${format} ${v}: then out of range`);
  }
});

t.test('unknown fields: refused as kubectl refuses them by default, with a suggestion; --validate warn and ignore', async (t) => {
  const typo = PRIVILEGED_DEPLOYMENT.replace('        securityContext:\n          privileged: true', '        securityContext:\n          privileged: true\n          runAsNonRot: true');
  let r = await json(['--level', 'baseline', '-'], { stdin: typo });
  t.equal(r.code, 2);
  t.same(r.report.resources, [], 'not judged');
  t.match(r.report.errors, [{
    line: 16, column: 11, kind: 'Deployment', name: 'web',
    message: 'Deployment shop/web: spec.template.spec.containers[0].securityContext.runAsNonRot is not a field of Deployment (kubectl: strict decoding error: unknown field "spec.template.spec.containers[0].securityContext.runAsNonRot")',
    hint: 'did you mean "runAsNonRoot"? podsec did not evaluate this object',
  }]);
  t.equal(r.report.errors.length, 1);
  const refusedError = r.report.errors[0]!;
  r = await json(['--level', 'baseline', '--validate', 'warn', '-'], { stdin: typo });
  t.equal(r.code, 1, 'judged without the field');
  t.equal(r.report.errors.length, 0);
  t.same(r.report.warnings.map((w) => [w.kind, w.namespace, w.name]), [[refusedError.kind, refusedError.namespace, refusedError.name]], 'the warning names the object as the error does, its namespace too');
  t.equal(r.stderr, 'warning: <stdin>:16:11: Deployment shop/web: spec.template.spec.containers[0].securityContext.runAsNonRot is not a field of Deployment (kubectl: Warning: unknown field "spec.template.spec.containers[0].securityContext.runAsNonRot") (did you mean "runAsNonRoot"?)\n', 'in the words kubectl --validate=warn uses');
  r = await json(['--level', 'baseline', '--validate', 'ignore', '-'], { stdin: typo });
  t.equal(r.code, 1);
  t.equal(r.stderr, '');
  t.equal((await cli(['check', '--validate', 'loose', '-'], { stdin: typo })).code, 2, 'an unknown mode is a usage error');
  // Unknown fields never crowd out an error, however many there are; all are warned about.
  const crowded = BARE_POD.replace('  name: p\n', `  name: p\n${Array.from({ length: 12 }, (_, i) => `  u${i}: x\n`).join('')}`).replace('    image: nginx\n', '    image: nginx\n    resources: {limits: {memory: 512MB}}\n');
  r = await json(['--level', 'privileged', '--validate', 'warn', '-'], { stdin: crowded });
  t.equal(r.code, 2);
  t.match(r.report.errors, [{ message: /resources\.limits\.memory is not a quantity: the string "512MB"/ }]);
  t.equal(r.report.errors.length, 1);
  t.equal(r.stderr.split('\n').filter(Boolean).length, 12, 'the errors do not hide the warnings');
  t.equal(r.report.warnings.length, 12);
  r = await json(['--level', 'privileged', '--validate', 'warn', '-'], { stdin: crowded.replace('512MB', '512Mi') });
  t.equal(r.code, 0);
  t.equal(r.stderr.split('\n').filter(Boolean).length, 12, 'a warning for each of the 12');
  // A typo beside a wrongly typed field: the error, and the typo warned about in every report.
  const both = typo.replace('privileged: true', 'privileged: "true"');
  r = await json(['--level', 'baseline', '--validate', 'warn', '-'], { stdin: both });
  t.equal(r.code, 2);
  t.match(r.report.errors, [{ line: 15, message: /securityContext\.privileged must be a boolean/ }]);
  t.equal(r.report.errors.length, 1);
  t.match(r.report.warnings, [{ line: 16, column: 11, message: /securityContext\.runAsNonRot is not a field of Deployment/, hint: 'did you mean "runAsNonRoot"?' }]);
  t.equal(r.report.warnings.length, 1);
  t.match(r.stderr, /^warning: <stdin>:16:11: Deployment shop\/web: .*runAsNonRot is not a field/);
  const sarif = JSON.parse((await cli(['check', '--level', 'baseline', '--validate', 'warn', '--stdin-name', 'web.yaml', '-f', 'sarif', '-'], { stdin: both })).stdout);
  t.match(sarif.runs[0].invocations[0].toolExecutionNotifications, [
    { level: 'error', message: { text: /privileged must be a boolean/ } },
    { level: 'warning', message: { text: /runAsNonRot is not a field/ } },
  ]);
  t.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 2);
  const github = (await cli(['check', '--level', 'baseline', '--validate', 'warn', '--stdin-name', 'web.yaml', '-f', 'github', '-'], { stdin: both })).stdout;
  t.match(github, /^::warning file=web\.yaml,line=16,col=11,title=podsec%3A warning::.*runAsNonRot is not a field/m);
  // Keys named like JavaScript's own members are unknown fields too.
  r = await json(['-'], { stdin: BARE_POD.replace('    image: nginx\n', '    image: nginx\n    constructor: x\n    __proto__: {a: 1}\n') });
  t.match(r.report.errors, [{ message: /containers\[0\]\.constructor is not a field of Pod/ }, { message: /containers\[0\]\.__proto__ is not a field of Pod/ }]);
  t.equal(r.report.errors.length, 2);
  // kubectl's spellings of the flag's values.
  for (const [value, code] of [['TRUE', 2], ['t', 2], ['1', 2], ['False', 1], ['0', 1], ['Warn', 1]] as const) {
    t.equal((await json(['--level', 'baseline', '--validate', value, '-'], { stdin: typo })).code, code, `--validate ${value}`);
  }
  // A key given twice: the last value counts under every mode, as kubectl sends it; a warning unless ignore.
  const twice = PRIVILEGED_DEPLOYMENT.replace('          privileged: true', '          privileged: true\n        securityContext:\n          privileged: false');
  for (const mode of ['strict', 'warn']) {
    r = await json(['--level', 'baseline', '--validate', mode, '-'], { stdin: twice });
    t.equal(r.code, 0, `privileged: false counts (--validate ${mode})`);
    t.match(r.stderr, /^warning: <stdin>:16:9: key "securityContext" is given twice in one mapping; the last value is used/);
  }
  r = await json(['--level', 'baseline', '--validate', 'ignore', '-'], { stdin: twice });
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  // A Namespace with "labelz:": refused under strict, so its objects keep the default policy; warned about otherwise.
  const labelz = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labelz: {pod-security.kubernetes.io/enforce: privileged}\n---\n' + typo;
  r = await json(['-'], { stdin: labelz.replace('runAsNonRot', 'runAsNonRoot') });
  t.match(r.report.errors, [{ line: 5, column: 3, kind: 'Namespace', message: /^Namespace shop: metadata\.labelz is not a field of Namespace/, hint: /did you mean "labels"\?; its labels do not set the policy of its objects/ }]);
  t.equal(r.report.errors.length, 1);
  t.match(r.report.resources[0]!.policy, { source: 'default', level: 'restricted' });
  r = await json(['--validate', 'warn', '-'], { stdin: labelz.replace('runAsNonRot', 'runAsNonRoot') });
  t.match(r.stderr, /^warning: <stdin>:5:3: Namespace shop: metadata\.labelz is not a field of Namespace/);
  t.equal(r.report.errors.length, 0);
  // Judged again under a Namespace that comes later: still one warning.
  const late = `${typo}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n`;
  r = await json(['--validate', 'warn', '-'], { stdin: late });
  t.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'warned once');
  t.match(r.report.resources[0]!.policy, { source: 'namespace', level: 'baseline' });

  // "container:" for "containers:": strict names the typo; otherwise the pod has no containers,
  // which the API server's validation refuses; either way it is not passed.
  const noContainers = BARE_POD.replace('containers:', 'container:');
  r = await json(['-'], { stdin: noContainers });
  t.match(r.report.errors, [{ message: /spec\.container is not a field of Pod/, hint: /did you mean "containers"\?/ }]);
  t.equal(r.report.errors.length, 1);
  // A field indented one level too little, beside the key it belongs under: said so.
  const dedented = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: a\n    env:\n    - name: X\n    value: "1"\n  volumes:\n  - name: v\n    hostPath:\n    path: /x\n';
  r = await json(['-'], { stdin: dedented });
  t.match(r.report.errors, [
    { line: 10, column: 5, hint: /^"value" is a field of the items of env: indent it to line up with the other keys of its item/ },
    { line: 14, column: 5, hint: /^"path" is a field of hostPath: indent it under hostPath;/ },
  ]);
  // A // comment above JSON: YAML reads the lines as one string.
  r = await json(['-'], { stdin: '// generated\n{"apiVersion":"v1","kind":"Pod"}\n' });
  t.match(r.report.errors, [{ message: 'document is a string, not a Kubernetes object', hint: /^JSON has no comments, and YAML's start with #: remove the \/\/ or \/\* \*\/ lines/ }]);
  r = await json(['-'], { stdin: '# a\n\n// generated\n{"apiVersion": "v1", "kind": "Pod"}\n' });
  t.match(r.report.errors, [{ line: 3, column: 1, message: '"//" starts no comment in YAML or JSON: the line is read as text, and the lines after it with it', hint: /^remove the line, or write # in place of its \/\// }]);
  // Text that YAML made a mapping of (": " in it), a lone value where a list belongs.
  r = await json(['-'], { stdin: BARE_POD.replace('    image: nginx\n', '    image: nginx\n    command: [sh, -c, echo a: b]\n    securityContext: {capabilities: {drop: ALL}}\n') });
  t.match(r.report.errors, [
    { message: /command\[2\] must be a string, not a mapping$/, hint: /^": " in the text made a mapping of it: quote the whole text \("echo a: b"\);/ },
    { message: /drop must be a list, not the string "ALL"$/, hint: /^write a list, even of one item: \[ALL\], or a "- ALL" line below the key;/ },
  ]);
  r = await json(['-'], { stdin: BARE_POD.replace('    image: nginx\n', '    image: nginx\n\u00a0\u00a0\u00a0\u00a0command: [sh]\n') });
  t.match(r.report.errors, [{ hint: /^the line is indented with no-break spaces \(U\+00A0\), which YAML reads as part of the key: indent it with ordinary spaces/ }]);
  for (const [stdin, path] of [[noContainers, 'spec.containers'], ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', 'spec.containers'], [PRIVILEGED_DEPLOYMENT.replace(/    spec:\n[\s\S]*$/, '    spec: {}\n'), 'spec.template.spec.containers']] as const) {
    r = await json(['--validate', 'ignore', '-'], { stdin });
    t.equal(r.code, 2, path);
    t.match(r.report.errors, [{ message: new RegExp(`: ${path.replace(/\./g, '\\.')}: Required value \\(the API server refuses a pod without containers\\)$`) }]);
    t.equal(r.report.errors.length, 1);
    t.equal(r.report.summary.checked, 0);
  }
  // Placed at the deepest part of the path the object has, not at the document's start.
  const cronJob = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate: null\n';
  for (const [stdin, line, column] of [[cronJob, 6, 3], [cronJob.replace('null', '\n    spec: {}'), 7, 5], ['apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n', 6, 3]] as const) {
    r = await json(['-'], { stdin });
    t.match(r.report.errors, [{ line, column, message: /containers: Required value/ }], `${line}:${column}`);
    t.equal(r.report.errors.length, 1);
  }
});

t.test('an object without a name is called "(unnamed)" in messages, as in the reports', async (t) => {
  const r = await json(['-'], { stdin: 'apiVersion: v1\nkind: Pod\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {namespace: shop}\nspec: {template: {spec: {containers: [{name: c, image: i, privileged: true}]}}}\n' });
  t.same(r.report.errors.map((e) => e.message), [
    'Pod default/(unnamed): metadata.name: Required value: name or generateName is required (the API server refuses the object)',
    'Pod default/(unnamed): spec.containers: Required value (the API server refuses a pod without containers)',
    'Deployment shop/(unnamed): spec.template.spec.containers[0].privileged is not a field of Deployment (kubectl: strict decoding error: unknown field "spec.template.spec.containers[0].privileged")',
  ]);
});

t.test('a key holding an invisible character (a byte order mark where files were joined) is shown, and said to be the cause', async (t) => {
  const BOM = '\ufeff';
  // At the start of a line, kubectl reads the mark and the indentation after it as part of the key.
  let r = await json(['-'], { stdin: `# Source: app/templates/web.yaml\n${BOM}apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: c, image: i}]}}}\n` });
  t.equal(r.code, 2);
  t.same(r.report.errors.map((e) => [e.line, e.column, e.message, e.hint]), [[2, 1, "Deployment has no apiVersion (kubectl: Object 'apiVersion' is missing)",
    'the key holds an invisible character (U+FEFF, a byte order mark), which kubectl reads as part of its name: delete it']]);
  r = await json(['-'], { stdin: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n${BOM}    spec: {containers: [{name: c, image: i}]}\n` });
  t.same(r.report.errors.map((e) => [e.line, e.message, e.hint]), [[6, 'Deployment default/web: ["\ufeff    spec"] is not a field of Deployment (kubectl: strict decoding error: unknown field "\ufeff    spec")',
    'the key holds an invisible character (U+FEFF, a byte order mark), which kubectl reads as part of its name: delete it; podsec did not evaluate this object']]);
  const text = await cli(['check', '-'], { stdin: `apiVersion: v1\nkind: ConfigMap\n${BOM}metadata: {name: m}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    "pod-security.kubernetes.io/enforce\\u200b": restricted\n` });
  t.match(text.stdout, 'skip  ConfigMap (unnamed)', 'the misspelt metadata leaves the object unnamed');
  t.notMatch(text.stdout + text.stderr, /[\ufeff\u200b]/, 'no invisible character in the output');
  t.match(text.stderr, 'label "pod-security.kubernetes.io/enforce\\u200b" is not one PodSecurity admission reads');
  t.match(text.stderr, 'sets nothing (the key holds an invisible character (U+200B, a zero width space), which kubectl reads as part of its name: delete it)');
});

t.test('text output: grouped by file, file:line:column per field, summary, colour rules', async (t) => {
  // Names and keys come from the input: a line break or escape sequence there must not forge
  // report lines (or workflow commands in a CI log), nor drive the terminal. (The API server
  // refuses such names in a new object: these pods are read from a cluster, and judged as stored.)
  const hostile = 'apiVersion: v1\nkind: Pod\nmetadata: {name: "a\\n  ok    Pod default/b\\e]0;t\\a\\u2028", uid: u1}\nspec: {containers: [{name: c, image: i, "x\\r\\e[2K": 1}]}\n' +
    // U+202E shows what follows right to left: "web\u202e lmay.dop" reads as "web pod.yaml".
    '---\napiVersion: v1\nkind: Pod\nmetadata: {name: "web\\u202e\\u2066x", uid: u2}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n' +
    '---\napiVersion: example.com/v1\nkind: "Config\\nMap"\nmetadata: {name: m}\n';
  for (const args of [[], ['--validate', 'warn']]) {
    const h = await cli(['check', ...args, '-'], { stdin: hostile, isTTY: true });
    t.notMatch(h.stdout + h.stderr, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029](?!\[\d+m)/, 'no control character but colours and line breaks');
    t.notMatch(h.stdout + h.stderr, /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/, 'no bidirectional formatting character');
    t.notMatch(h.stdout, /^\s*ok/m, 'no forged line');
  }
  const plain = await cli(['check', '--validate', 'warn', '-'], { stdin: hostile });
  t.match(plain.stdout, 'FAIL  Pod default/a\\n  ok    Pod default/b\\u001b]0;t\\u0007\\u2028 (line 1)');
  t.match(plain.stdout, 'skip  Config\\nMap m');
  t.match(plain.stderr, 'spec.containers[0]["x\\r\\u001b[2K"] is not a field of Pod');
  const dir = t.testdir({ 'app.yaml': PRIVILEGED_DEPLOYMENT, 'ok.yaml': GOOD_POD });
  const r = await cli(['check', '--level', 'baseline', 'app.yaml', 'ok.yaml'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.stdout, /^app\.yaml\n  FAIL  Deployment shop\/web \(line 1\) \[pod template, warn\+audit baseline:latest\]\n/);
  t.match(r.stdout, /app\.yaml:15:11  privileged: privileged \(container "web" must not set securityContext\.privileged=true\)/);
  t.match(r.stdout, /ok\.yaml\n  ok    Pod default\/good/);
  t.match(r.stdout, /2 resources checked, 1 passed, 1 failed \(1 violation\), 0 not evaluated, 0 errors\n$/);
  t.notMatch(r.stdout, /\x1b\[/, 'no colour when not a terminal');
  const tty = await cli(['check', 'app.yaml'], { cwd: dir, isTTY: true });
  t.match(tty.stdout, /\x1b\[31m/, 'colour on a terminal');
  const noColor = await cli(['check', 'app.yaml'], { cwd: dir, isTTY: true, env: { NO_COLOR: '1' } });
  t.notMatch(noColor.stdout, /\x1b\[/, 'NO_COLOR is respected');
  t.match((await cli(['check', 'app.yaml'], { cwd: dir, isTTY: false, env: { FORCE_COLOR: '1' } })).stdout, /\x1b\[/, 'FORCE_COLOR colours a pipe');
  t.notMatch((await cli(['check', 'app.yaml'], { cwd: dir, isTTY: false, env: { FORCE_COLOR: '' } })).stdout, /\x1b\[/, 'an empty FORCE_COLOR is unset');
  for (const off of ['0', 'false']) {
    for (const isTTY of [false, true]) t.notMatch((await cli(['check', 'app.yaml'], { cwd: dir, isTTY, env: { FORCE_COLOR: off } })).stdout, /\x1b\[/, `FORCE_COLOR=${off} asks for none${isTTY ? ', on a terminal too' : ''}`);
  }
  t.match((await cli(['check', 'app.yaml'], { cwd: dir, isTTY: false, env: { FORCE_COLOR: '3' } })).stdout, /\x1b\[/, 'FORCE_COLOR=3 (true colour) colours');
  t.notMatch((await cli(['check', 'app.yaml'], { cwd: dir, isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout, /\x1b\[/, 'NO_COLOR wins');
  const quiet = await cli(['check', '-q', 'app.yaml', 'ok.yaml'], { cwd: dir });
  t.notMatch(quiet.stdout, /ok    Pod/);
});

t.test('progress indicator: on stderr, only on a terminal', async (t) => {
  const many = Array.from({ length: 600 }, (_, i) => BARE_POD.replace('name: p', `name: p${i}`)).join('---\n');
  const dir = t.testdir({ 'many.yaml': many });
  const plain = await cli(['check', '-f', 'json', 'many.yaml'], { cwd: dir, stderrIsTTY: false });
  t.equal(plain.code, 1);
  t.equal(plain.stderr, '', 'nothing on stderr when it is not a terminal');

  // One huge file reports its documents as it goes, not only when it is done.
  const events: ProgressEvent[] = [];
  checkManifests([{ file: 'many.yaml', content: many }], { evaluator: createEvaluator(), onProgress: (e) => events.push({ ...e }) });
  const reading = events.filter((e) => e.phase === 'read' && e.documents !== undefined);
  t.same(reading.map((e) => e.documents), [256, 512]);
  t.equal(progressText(reading[1]!), 'checking files 0/1: many.yaml, 512 documents');
  t.equal(progressText({ ...reading[1]!, file: 'a\x1b]0;t\x07.yaml' }), 'checking files 0/1: a\\u001b]0;t\\u0007.yaml, 512 documents', 'a file name drives no terminal');
  t.same(events.filter((e) => e.phase === 'evaluate'), [], 'objects are judged as they are read');
  // A Namespace after its objects makes them judged again, in a second step.
  const labelled = `${many}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n`;
  events.length = 0;
  checkManifests([{ file: 'many.yaml', content: labelled }], { evaluator: createEvaluator(), onProgress: (e) => events.push({ ...e }) });
  const again = events.filter((e) => e.phase === 'evaluate');
  t.same(again.map((e) => [e.done, e.total]), [[600, 600]]);
  t.equal(progressText(again[0]!), 'checking objects again under Namespaces read after them 600/600');

  // Silent for short runs, throttled after that, cleared at the end; never in CI or off a terminal.
  let clock = 0;
  const written: string[] = [];
  const io = { stderr: { write: (s: string) => (written.push(s), true) }, stderrIsTTY: true, env: {} } as unknown as CliIO;
  const progress = createProgress(io, { delayMs: 300, intervalMs: 100, now: () => clock });
  const event: ProgressEvent = { phase: 'evaluate', done: 1, total: 2 };
  progress.update(event);
  clock = 350;
  progress.update(event);
  clock = 400;
  progress.update(event);
  clock = 460;
  progress.update({ ...event, done: 2 });
  progress.done();
  t.same(written, [
    '\r\x1b[Kpodsec: checking objects again under Namespaces read after them 1/2…',
    '\r\x1b[Kpodsec: checking objects again under Namespaces read after them 2/2…',
    '\r\x1b[K',
  ]);
  for (const quiet of [{ stderrIsTTY: false, env: {} }, { stderrIsTTY: true, env: { CI: 'true' } }]) {
    const out: string[] = [];
    const p = createProgress({ ...quiet, stderr: { write: (s: string) => (out.push(s), true) } } as unknown as CliIO, { delayMs: 0, now: () => 1000 });
    p.update(event);
    p.done();
    t.same(out, [], JSON.stringify(quiet));
  }
});

t.test('--output writes the report to a file and prints a summary line', async (t) => {
  const dir = t.testdir({ 'app.yaml': PRIVILEGED_DEPLOYMENT });
  const r = await cli(['check', '-f', 'json', '-o', 'out.json', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 1);
  t.equal(r.stdout, '');
  t.equal(r.stderr, 'podsec: 1 resource checked, 0 passed, 1 failed (5 violations), 0 not evaluated, 0 errors (report written to out.json)\n');
  t.ok(validateReport(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))));
  // Its name is printed as every name from outside is, never as a command of a CI log.
  const hashed = await cli(['check', '-o', '##[error]r.txt', 'app.yaml'], { cwd: dir });
  t.match(hashed.stderr, /\(report written to #\\u0023\[error\]r\.txt\)\n$/);
  t.match((await cli(['check', '-o', 'no/##[x]', 'app.yaml'], { cwd: dir })).stderr, /^podsec check: cannot write the report to no\/#\\u0023\[x\]: /);
  // Text to a file from a terminal: the summary still goes to stderr.
  const text = await cli(['check', '-o', 'out.txt', 'app.yaml'], { cwd: dir, isTTY: true });
  t.equal(text.stdout, '');
  t.match(text.stderr, /^podsec: 1 resource checked, 0 passed, 1 failed/);
  t.match(readFileSync(join(dir, 'out.txt'), 'utf8'), /FAIL  Deployment shop\/web/);
});

t.test('a large report is written in pieces of about a megabyte, the same to standard output and to --output', async (t) => {
  // No string need hold the whole report: V8's strings end near 512 MB, and a check of many
  // manifests can write more than that.
  const docs = Array.from({ length: 2000 }, (_, i) => PRIVILEGED_DEPLOYMENT.replace('name: web\n', `name: web-${i}\n`)).join('---\n');
  const dir = t.testdir({ 'many.yaml': docs });
  for (const format of ['text', 'json', 'github']) {
    const writes: number[] = [];
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (writes.push(s.length), (stdout += s), true) },
      stderr: { write: () => true },
      stdin: (async function* () {})(),
      env: {},
      isTTY: false,
      cwd: dir,
    };
    t.equal(await main(['check', '--format', format, 'many.yaml'], io), 1, `${format}: exit 1`);
    t.ok(stdout.length > 2 * 2 ** 20, `${format}: the report is over 2 MB (${stdout.length} characters)`);
    t.ok(writes.length >= 2, `${format}: written in ${writes.length} pieces`);
    t.ok(Math.max(...writes) < 2 ** 20 + 2 ** 16, `${format}: none much over a megabyte (${Math.max(...writes)})`);
    t.match(stdout, format === 'github' ? /2000 resources checked, 0 passed, 2000 failed/ : format === 'json' ? /"denied": 2000/ : /\n\n2000 resources checked, 0 passed, 2000 failed/, `${format}: ends with the summary`);
    if (format === 'text') t.equal(stdout.match(/^many\.yaml$/gm)?.length, 1, 'text: the file named once, over all its pieces');
    if (format === 'json') {
      const report = JSON.parse(stdout);
      t.ok(validateReport(report), 'json: matches its schema');
      t.equal(stdout, JSON.stringify(report, null, 2) + '\n', 'json: laid out as JSON.stringify lays it out');
    }
    await cli(['check', '--format', format, '-o', 'out', 'many.yaml'], { cwd: dir });
    t.equal(readFileSync(join(dir, 'out'), 'utf8'), stdout, `${format}: --output gets the same`);
  }
});

t.test('the JSON report in pieces is JSON.stringify\'s text, empty lists and absent fields included', async (t) => {
  const report = checkManifests([{ file: 'a.yaml', content: 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n---\na: [\n' }], { evaluator: createEvaluator(), toolVersion: '0' });
  t.same(report.resources, [], 'a list left empty');
  const withUndefined = { ...report, extra: undefined } as unknown as Report;
  // Items of every kind, nested lists and objects, and items with no JSON form (written null).
  const items = [undefined, () => 1, null, 'a\nb', 7, [], {}, [1, [2, { c: [3] }]], { d: { e: [{ f: 'g' }] }, h: undefined }];
  const withItems = { ...report, extra: items } as unknown as Report;
  for (const r of [report, withUndefined, withItems]) {
    let text = '';
    jsonReport(r, (piece) => (text += piece));
    t.equal(text, JSON.stringify(r, null, 2) + '\n');
  }
});

t.test('usage errors exit 2 with a hint; help and version', async (t) => {
  for (const args of [
    ['check', '--bogus', 'x'],
    ['check', '--level', 'strict', 'x'],
    ['check', '--version', '1.25', 'x'],
    ['check', '--format', 'xml', 'x'],
    ['check'],
    ['frobnicate'],
    ['--bogus'],
  ]) {
    const r = await cli(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, /hint: |must be/, args.join(' '));
  }
  t.match((await cli(['check', '--bogus', 'x'])).stderr, /unknown flag --bogus\nhint: run "podsec check --help"/);
  const ns = await cli(['check', '-n', 'Team_A', '-'], { stdin: GOOD_POD });
  t.equal(ns.code, 2);
  t.match(ns.stderr, /^podsec check: invalid --namespace "Team_A": a namespace name is lower case letters, digits and "-"/);
  const user = await cli(['check', '--user', 'bob', '-'], { stdin: GOOD_POD });
  t.equal(user.code, 0);
  t.equal(user.stderr, 'warning: --user changes nothing without --config: it is matched against the exemptions.usernames of a PodSecurityConfiguration\n');
  const nobody = await cli(['check', '--user', '', '-'], { stdin: GOOD_POD });
  t.equal(nobody.code, 2);
  t.match(nobody.stderr, /^podsec check: --user needs a user name\nhint: give the name requests are made as/);
  const newest = createEvaluator().newestVersion;
  const newer = await cli(['check', '--version', 'v1.92', '--format', 'json', '-'], { stdin: GOOD_POD });
  t.equal(newer.stderr, `note: --version v1.92 is newer than the newest policy version podsec knows, ${newest}: it is evaluated as ${newest} and reported as written, as Kubernetes does\n`);
  t.match(JSON.parse(newer.stdout).resources[0].policy, { version: 'v1.92', evaluatedVersion: newest });
  t.equal((await cli(['check', '--version', newest, '-'], { stdin: GOOD_POD })).stderr, '', 'the newest known version gets no note');
  t.match((await cli(['check', '--colour', 'never', 'x'])).stderr, /unknown flag --colour\nhint: did you mean --color\? \(run "podsec check --help" for the flags it takes\)/);
  t.match((await cli(['rules', '--levle=baseline'])).stderr, /unknown flag --levle\nhint: did you mean --level\?/);
  t.match((await cli(['--verison'])).stderr, /unknown flag --verison\nhint: did you mean --version\?/);
  const help = await cli(['check', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /Exit codes:\n  0  nothing denied\n  1  something denied/);
  t.match(help.stdout, /Examples:\n  podsec check deploy\//);
  t.equal((await cli(['help', 'check'])).stdout, help.stdout);
  const top = await cli(['--help']);
  t.match(top.stdout, /Commands:\n  check /);
  t.match((await cli(['--version'])).stdout, /^podsec \d+\.\d+\.\d+\n$/);
  t.match(await cli(['check', '--color', 'maybe', '-']), { code: 2, stderr: /\nhint: write --color auto \(colour on a terminal\), --color always or --color never\n$/ });
  t.match(await cli(['check', '--no-color', '-']), { code: 2, stderr: 'podsec check: unknown flag --no-color\nhint: write --color never (or set NO_COLOR)\n' });
  t.match(await cli(['check', '-x.yaml']), { code: 2, stderr: 'podsec check: unknown flag -x (in "-x.yaml")\nhint: a path that starts with "-" goes after "--" (podsec check -- -x.yaml) or as ./-x.yaml\n' });
  // Words left over are no silent no-op.
  t.match(await cli(['--version', 'extra']), { code: 2, stderr: 'podsec: --version takes no argument, not "extra"\nhint: run "podsec --version" alone\n' });
  t.match(await cli(['help', 'check', 'extra']), { code: 2, stderr: /^podsec: help takes one command, not also "extra"\n/ });
});

t.test('a directory is searched recursively for .yaml, .yml and .json files, in name order', async (t) => {
  const dir = t.testdir({
    a: { 'b.yml': GOOD_POD, 'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [{ name: 'c', image: 'i' }] } }) },
    'd.yaml': GOOD_POD,
    'notes.txt': 'not a manifest',
    '.hidden': { 'e.yaml': 'broken: [' },
  });
  const { report } = await json(['.'], { cwd: dir });
  t.same(report.files, ['a/b.yml', 'a/c.json', 'd.yaml']);
  t.equal(report.errors.length, 0);
  const empty = t.testdir({ 'x.txt': '' });
  const r = await json(['.'], { cwd: empty });
  t.equal(r.code, 2);
  t.match(r.report.errors[0]!.message, /no \.yaml, \.yml or \.json files/);
});

t.test('the directory walk: case-sensitive extensions, symlink loops, unlistable subdirectories', async (t) => {
  const dir = t.testdir({
    a: { 'p.yaml': GOOD_POD, back: t.fixture('symlink', '..'), same: t.fixture('symlink', '.') },
    'UPPER.YAML': 'not: [read',
  });
  const { report } = await json(['.'], { cwd: dir });
  t.same(report.files, ['a/p.yaml'], 'kubectl skips .YAML; a symlink back up the tree is not followed again');
  t.equal(report.summary.checked, 1);
  t.equal(report.errors.length, 0);
  t.same((await json(['UPPER.YAML'], { cwd: dir })).report.errors.length, 1, 'a file named explicitly is still read');

  // A subdirectory that cannot be listed is reported; its neighbours are still checked.
  const { listManifestFiles } = await import('../cli/list-files.js');
  const { readdirSync } = await import('node:fs');
  const denied = (d: string) => {
    if (d.endsWith('/a')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return readdirSync(d, { withFileTypes: true });
  };
  const tree = t.testdir({ a: { 'x.yaml': GOOD_POD }, 'b.yaml': GOOD_POD, c: { 'y.yml': GOOD_POD } });
  const listing = listManifestFiles(tree, denied);
  t.same(listing.files.map((f) => f.slice(tree.length + 1)), ['b.yaml', 'c/y.yml']);
  t.same(listing.unlisted.map((u) => [u.dir.slice(tree.length + 1), (u.err as NodeJS.ErrnoException).code]), [['a', 'EACCES']]);
  // Reported where the search met it, between its neighbours, as the text report lists files.
  const { collectInputs } = await import('../cli/commands/check.js');
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: tree } as unknown as CliIO;
  const inputs = await collectInputs(['.'], io, { stdinName: '-', maxBytes: 1 << 20, readdir: denied });
  t.same(inputs.map((i) => [i.file, i.error?.message ?? 'read']), [['a', 'cannot list a: permission denied'], ['b.yaml', 'read'], ['c/y.yml', 'read']]);
  const deeper = t.testdir({ '0.yaml': GOOD_POD, a: { 'x.yaml': GOOD_POD }, 'a-b': { 'z.yaml': GOOD_POD } });
  t.same((await collectInputs(['.'], { ...io, cwd: deeper } as CliIO, { stdinName: '-', maxBytes: 1 << 20, readdir: denied })).map((i) => i.file), ['0.yaml', 'a', 'a-b/z.yaml'],
    'directory by directory, each in name order ("a" before "a-b")');
  // A file that is there but cannot be read (permissions, an I/O error) is reported; the others are read.
  const unreadable = (p: string): Buffer => {
    if (p.endsWith('x.yaml')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    return readFileSync(p);
  };
  const mixed = t.testdir({ a: { 'x.yaml': GOOD_POD }, 'b.yaml': GOOD_POD });
  t.same((await collectInputs(['.'], { ...io, cwd: mixed } as CliIO, { stdinName: '-', maxBytes: 1 << 20, readFile: unreadable })).map((i) => [i.file, i.error ? `${i.error.message} | ${i.error.hint}` : 'read']), [
    ['a/x.yaml', 'cannot read a/x.yaml: permission denied | check the path and its permissions'], ['b.yaml', 'read'],
  ]);
  const only = t.testdir({ a: { 'x.yaml': GOOD_POD } });
  t.same((await collectInputs(['.', join(only, 'a', 'x.yaml')], { ...io, cwd: only } as CliIO, { stdinName: '-', maxBytes: 1 << 20, readdir: denied })).map((i) => i.file), ['a', join(only, 'a', 'x.yaml')],
    'before the next argument\'s files when nothing else was found');
});

t.test('the note\'s --exclude options leave out no file that holds objects', async (t) => {
  const dir = t.testdir({
    'values-prod.yaml': 'replicas: 2\n',
    // A manifest whose name looks like a values file's.
    'values-cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n',
    'package.json': '{"name": "app"}',
    // A chart folder that also holds a manifest: the folder must stay in.
    charts: { app: { 'Chart.yaml': 'apiVersion: v2\nname: app\n', 'values.yaml': 'image: nginx\n', 'extra.yaml': BARE_POD } },
  });
  const all = await json(['.'], { cwd: dir });
  const options = /to leave all of them out, add: (.*)$/m.exec(all.stderr)![1]!;
  t.same(options.split(' ').filter((w) => w !== '--exclude').sort(), ['./package.json', 'charts/app/Chart.yaml', 'values-prod.yaml', 'values.yaml']);
  const pasted = await json(['.', ...options.split(' ')], { cwd: dir });
  t.same(pasted.report.errors, []);
  t.same(pasted.report.files.sort(), ['charts/app/extra.yaml', 'values-cm.yaml'], 'both manifests are still checked');
});

t.test('--exclude leaves out what directory walks find; named files are still read', async (t) => {
  const dir = t.testdir({
    'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
    'package.json': '{"name": "app", "version": "1.0.0"}',
    overlay: { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../deploy]\n' },
    node_modules: { lib: { 'package.json': '{"name": "lib"}', 'pod.yaml': BARE_POD } },
    charts: { app: { 'Chart.yaml': 'apiVersion: v2\nname: app\n', 'values.yaml': 'image: nginx\n', templates: { 'd.yaml': 'metadata:\n  name: {{ .Release.Name }}\n' } } },
    deploy: { 'web.yaml': BARE_POD, 'kustomization.yaml': 'resources:\n- web.yaml\n', legacy: { 'old.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: old}\nspec:\n  containers: [{name: a, image: b, securityContext: {privileged: true}}]\n' } },
  });

  // Without exclusions every file of the repository is read: the ones that are no manifests are errors that say what they are.
  const all = await json(['.'], { cwd: dir });
  t.equal(all.code, 2);
  const hints = Object.fromEntries(all.report.errors.map((e) => [e.file, e.hint]));
  t.match(hints['charts/app/Chart.yaml'], /describes a Helm chart.*helm template CHART \| podsec check -.*\(--exclude charts\/app\)$/);
  t.match(hints['charts/app/values.yaml'], /Helm chart's values.*\(--exclude values.yaml\)$/);
  t.match(hints['deploy/kustomization.yaml'], /kubectl kustomize deploy \| podsec check -.*\(--exclude deploy\/kustomization\.yaml\)$/, 'the --exclude names this file alone');
  t.match(hints['docker-compose.yml'], /Docker Compose file.*\(--exclude \.\/docker-compose\.yml\)$/);
  t.equal(hints['package.json'], 'nothing in it says a Kubernetes object (no apiVersion, kind or metadata): if package.json is another kind of file, leave it out of the check (--exclude ./package.json); if it is a manifest, add apiVersion, kind and metadata');
  t.notOk(all.report.files.some((f) => f.startsWith('node_modules')), 'node_modules is not searched');
  // After the report, one line gives the fewest of those --exclude options: the chart's folder
  // also leaves out its values file (and its templates).
  const note = /^note: 5 files in the directories searched are no Kubernetes manifests \(see the hint of each\); to leave all of them out, add: (.*)$/m.exec(all.stderr);
  t.ok(note, 'a note sums the hints up');
  t.same(note![1]!.split(' ').filter((w) => w !== '--exclude').sort(), ['./docker-compose.yml', './package.json', 'charts/app', 'deploy/kustomization.yaml']);
  const pasted = await json(['.', ...note![1]!.split(' ')], { cwd: dir });
  t.same(pasted.report.errors, [], 'with them, no error is left');
  t.equal(pasted.stderr, '', 'and each one leaves something out');
  t.notMatch((await json(['.', '--exclude', 'charts', '--exclude', 'deploy', '--exclude', '*.json'], { cwd: dir })).stderr, /^note:/m, 'no note for a single file');
  t.notMatch((await json(['package.json', 'docker-compose.yml'], { cwd: dir })).stderr, /^note:/m, 'nor for files named on the command line');
  // Named on the command line, no --exclude would leave it out; the chart's folder searched itself cannot be either.
  t.match((await json(['charts/app/Chart.yaml'], { cwd: dir })).report.errors[0]!.hint, /helm template CHART \| podsec check -\), and do not pass charts\/app\/Chart\.yaml to podsec check$/);
  t.match((await json(['charts/app'], { cwd: dir })).report.errors.find((e) => e.file === 'charts/app/Chart.yaml')!.hint, /\(helm template CHART \| podsec check -\) instead of the chart's folder$/);
  t.match((await json(['charts'], { cwd: dir })).report.errors.find((e) => e.file === 'charts/app/Chart.yaml')!.hint, /\(--exclude charts\/app\)$/);
  t.match(all.report.notEvaluated, [{ kind: 'Kustomization', source: { file: 'overlay/kustomization.yaml' }, reason: /^Kustomization: kustomize's instructions, not an object the API server receives; .*kubectl kustomize overlay \| podsec check -$/ }]);
  t.equal(all.report.notEvaluated.length, 1);
  const component = await json(['-'], { stdin: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' });
  t.match(component.report.notEvaluated, [{ kind: 'Component', reason: /kubectl kustomize OVERLAY \(a directory whose kustomization uses this component\) \| podsec check -$/ }]);
  t.equal(component.report.notEvaluated.length, 1);
  t.match(hints['charts/app/templates/d.yaml'], /template syntax/);

  const some = await json(['.', '--exclude', 'charts', '--exclude', '*compose.yml', '--exclude', '*.json', '--exclude', 'overlay', '--exclude', 'kustomization.yaml', '--exclude', 'deploy/legacy/'], { cwd: dir });
  t.same(some.report.files, ['deploy/web.yaml']);
  t.equal(some.report.errors.length, 0);
  t.equal(some.code, 1, 'the pod that is left is judged');
  t.equal(some.stderr, '', 'every pattern left something out: no warning');
  // A pattern that matches only inside a directory another one left out is no typo.
  const nested = await json(['.', '--exclude', 'charts', '--exclude', 'values*.yaml', '--exclude', '*.json', '--exclude', 'overlay', '--exclude', '*compose.yml', '--exclude', 'kustomization.yaml', '--exclude', 'legacy'], { cwd: dir });
  t.equal(nested.stderr, '');
  t.same(nested.report.files, ['deploy/web.yaml']);

  // A pattern that leaves out nothing is most likely mistyped: said on stderr, the run goes on.
  const typo = await json(['deploy', '--exclude', 'deploy/legacy', '--exclude', 'legacy.yaml', '--exclude', 'kustomization.yaml'], { cwd: dir });
  t.same(typo.report.files, ['deploy/web.yaml']);
  t.match(typo.stderr, /^warning: --exclude "legacy.yaml" matches nothing in the directories searched \(a pattern without \/ matches a file or directory name at any depth/);
  t.notMatch(typo.stderr, /"deploy\/legacy"/);
  t.match(typo.report.warnings, [{ file: 'deploy', message: '--exclude "legacy.yaml" matches nothing in the directories searched', hint: /^a pattern without \/ matches/ }], 'in the report too');
  t.equal(typo.report.summary.warnings, 1);

  // A file named on the command line is read whatever the patterns say.
  // A pattern with / may also start below the directory searched.
  t.same((await json(['deploy', '--exclude', 'legacy/old.yaml', '--exclude', 'kustomization.yaml'], { cwd: dir })).report.files, ['deploy/web.yaml']);

  const named = await json(['deploy/legacy/old.yaml', '--exclude', 'legacy'], { cwd: dir });
  t.same(named.report.files, ['deploy/legacy/old.yaml']);
  t.match(named.stderr, /"legacy" matches nothing in the directories searched/);

  const none = await json(['deploy/legacy', '--exclude', '*.yaml'], { cwd: dir });
  t.equal(none.code, 2);
  t.match(none.report.errors, [{ file: 'deploy/legacy', message: 'nothing in deploy/legacy is left to check once --exclude leaves out what it matches' }]);
  t.equal(none.report.errors.length, 1);

  const bad = await cli(['check', '.', '--exclude', '[z-a]'], { cwd: dir });
  t.equal(bad.code, 2);
  t.match(bad.stderr, /^podsec check: --exclude "\[z-a\]": Range out of order in character class\nhint: /);

  // (A new test folder replaces the one above.) Only a file's first document can say the file is of another kind.
  const multi = t.testdir({ 'm.yaml': `${BARE_POD}---\ndata:\n  x: y\n`, 'values-prod.yml': 'replicas: 2\n' });
  const m = await json(['.'], { cwd: multi });
  t.match(m.report.errors.find((e) => e.file === 'm.yaml')!.hint, /^add "kind:"/);
  // A values file by its own name: a glob such as values*.yml could leave out manifests too.
  t.match(m.report.errors.find((e) => e.file === 'values-prod.yml')!.hint, /-f values-prod\.yml \| podsec check -\), and leave it out of the check \(--exclude values-prod\.yml\)$/);
  // A name with glob characters is suggested as a pattern that matches it alone, quoted for a shell.
  const odd = t.testdir({ '[draft].yaml': 'replicas: 1\n', 'a*b.yaml': 'replicas: 1\n', 'aXb.yaml': BARE_POD, 'mixed.yaml': `replicas: 1\n---\n${BARE_POD}` });
  const oddReport = (await json(['.'], { cwd: odd })).report;
  // A first document without a kind does not make a file of objects another kind of file.
  const mixed = oddReport.errors.filter((e) => e.file === 'mixed.yaml');
  t.match(mixed, [{ index: 0, hint: /^add "kind:"/ }]);
  t.equal(mixed.length, 1);
  const hintsOf = oddReport.errors.filter((e) => e.file !== 'mixed.yaml').map((e) => [e.file, /--exclude (.*?)\);/.exec(e.hint)![1]]);
  t.same(hintsOf, [['[draft].yaml', "'./[[]draft[]].yaml'"], ['a*b.yaml', "'./a[*]b.yaml'"]]);
  const following = await json(['.', '--exclude', './[[]draft[]].yaml', '--exclude', './a[*]b.yaml'], { cwd: odd });
  t.same(following.report.files, ['aXb.yaml', 'mixed.yaml'], 'following the hints leaves out those files and no other');
  t.equal(following.stderr, '');
});

/** The words a POSIX shell makes of a command line's text, as when a note's options are pasted. */
function shellWords(text: string): string[] {
  return execFileSync('sh', ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

t.test('a chart folder searched is recognised however its path is written', async (t) => {
  const dir = t.testdir({
    chart: {
      'Chart.yaml': 'apiVersion: v2\nname: app\n',
      'values.yaml': 'image: nginx\n',
      'values-prod.yaml': 'image: nginx\n',
      charts: { sub: { 'Chart.yaml': 'apiVersion: v2\nname: sub\n' } },
      templates: { 'pod.yaml': GOOD_POD },
    },
  });
  for (const arg of ['chart', 'chart/', './chart', './chart/', 'chart/.', './/chart', 'x/../chart']) {
    const run = await json([arg], { cwd: dir });
    t.match(run.report.errors.find((e) => e.file === 'chart/Chart.yaml')!.hint, /instead of the chart's folder$/, `${arg}: no --exclude leaves out the folder searched`);
    const note = /^note: .* add: (.*)$/m.exec(run.stderr);
    t.ok(note, `${arg}: a note`);
    const pasted = await json([arg, ...shellWords(note![1]!)], { cwd: dir });
    t.notMatch(pasted.stderr, /matches nothing/, `${arg}: each option pasted leaves something out`);
    t.same(pasted.report.errors.map((e) => e.file), ['chart/Chart.yaml'], `${arg}: only the chart's own Chart.yaml is left`);
  }
});

t.test('the --exclude options of the hints and the note can be pasted into a shell whatever the names hold', async (t) => {
  const compose = 'services:\n  web:\n    image: nginx\n';
  const dir = t.testdir({
    "it's $HOME": { 'compose.yaml': compose, 'pod.yaml': GOOD_POD },
    'run `id`': { 'compose.yaml': compose },
    'say "hi"': { 'compose.yaml': compose },
  });
  const run = await json(['.'], { cwd: dir });
  t.match(run.report.errors.find((e) => e.file === "it's $HOME/compose.yaml")!.hint, /\(--exclude 'it'\\''s \$HOME\/compose\.yaml'\)$/, "single quotes, a ' written '\\''");
  const note = /^note: 3 files .* add: (.*)$/m.exec(run.stderr);
  t.ok(note, 'a note');
  const words = shellWords(note![1]!);
  t.same(words.filter((w) => w !== '--exclude'), ["it's $HOME/compose.yaml", 'run `id`/compose.yaml', 'say "hi"/compose.yaml'], 'the shell gives each name back as it is');
  const pasted = await json(['.', ...words], { cwd: dir });
  t.same(pasted.report.errors, [], 'with them, no error is left');
  t.equal(pasted.stderr, '', 'and each one leaves something out');
});

t.test('a directory whose name starts with ! gets --exclude options that are no negation', async (t) => {
  const dir = t.testdir({
    '!deploy': {
      'kustomization.yaml': 'resources:\n- pod.yaml\n',
      'pod.yaml': GOOD_POD,
      chart: { 'Chart.yaml': 'apiVersion: v2\nname: app\n', templates: { 'pod.yaml': GOOD_POD } },
    },
  });
  const run = await json(['!deploy'], { cwd: dir });
  t.equal(run.code, 2);
  t.match(run.report.errors.find((e) => e.file === '!deploy/kustomization.yaml')!.hint, /\(--exclude '\.\/!deploy\/kustomization\.yaml'\)$/);
  t.match(run.report.errors.find((e) => e.file === '!deploy/chart/Chart.yaml')!.hint, /\(--exclude '\.\/!deploy\/chart'\)$/);
  t.notMatch(run.stderr, /internal error/);
  const note = /^note: 2 files .* add: (.*)$/m.exec(run.stderr);
  t.ok(note, 'a note');
  const pasted = await json(['!deploy', ...shellWords(note![1]!)], { cwd: dir });
  t.equal(pasted.code, 0, 'the options are taken');
  t.same(pasted.report.errors, [], 'and leave both files out');
  t.equal(pasted.stderr, '');
});

t.test('the note leaves each file out of every directory given that holds it', async (t) => {
  const dir = t.testdir({
    deploy: {
      'kustomization.yaml': 'resources:\n- web.yaml\n',
      'web.yaml': GOOD_POD,
      'package.json': '{"name": "app"}',
      chart: { 'Chart.yaml': 'apiVersion: v2\nname: app\n', 'values-prod.yaml': 'image: nginx\n', templates: { 'pod.yaml': GOOD_POD } },
      app: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n', 'pod.yaml': GOOD_POD.replace('name: good', 'name: other') },
    },
  });
  // A directory inside one given before, the same directory typed twice, or both.
  for (const args of [['deploy', 'deploy/app'], ['deploy', 'deploy/chart'], ['./deploy', join(dir, 'deploy')], ['deploy', 'deploy/'], ['deploy/app', 'deploy', '.']]) {
    const run = await json(args, { cwd: dir });
    const note = /^note: .* add: (.*)$/m.exec(run.stderr);
    t.ok(note, `${args.join(' ')}: a note`);
    const pasted = await json([...args, ...shellWords(note![1]!)], { cwd: dir });
    const left = pasted.report.errors.filter((e) => !/instead of the chart's folder$/.test(e.hint ?? '')).map((e) => e.file);
    t.same(left, [], `${args.join(' ')}: with ${note![1]}, no file that is no manifest is left`);
    t.notMatch(pasted.stderr, /matches nothing/, `${args.join(' ')}: each option leaves something out`);
    const outsideChart = (report: Report) => report.resources.map((r) => r.source.file).filter((f) => !f.includes('chart/')).sort();
    t.same(outsideChart(pasted.report), outsideChart(run.report), `${args.join(' ')}: the manifests outside the chart are still checked`);
  }
});

t.test('helm template output: each object names the chart template that rendered it', async (t) => {
  const rendered = [
    '---',
    '# Source: shop/templates/web.yaml',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: web}',
    'spec:',
    '  containers: [{name: a, image: b, securityContext: {privileged: true}}]',
    '---',
    '# Source: shop/templates/svc.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: s}',
    '---',
    '# rendered by hand',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: plain}',
    'spec:',
    '  containers: [{name: a, image: b}]',
    '  # Source: not/a/header.yaml',
    '---',
    '# Source: shop/templates/anchors.yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: &m {name: c}',
    'data: {copy: *m}',
    '',
  ].join('\n');
  const text = await cli(['check', '--level', 'baseline', '-'], { stdin: rendered });
  t.equal(text.code, 1);
  t.match(text.stdout, /FAIL {2}Pod default\/web \(line 3, from shop\/templates\/web\.yaml\)/);
  t.match(text.stdout, /skip {2}Service s \(line 10, from shop\/templates\/svc\.yaml\)/);
  t.match(text.stdout, /ok {4}Pod default\/plain \(line 15\): /, 'no Source comment before the object: nothing named');
  const json = await cli(['check', '--level', 'baseline', '-f', 'json', '-'], { stdin: rendered });
  const report = JSON.parse(json.stdout) as Report;
  t.ok(validateReport(report), JSON.stringify(validateReport.errors));
  t.same(
    [...report.resources, ...report.notEvaluated].map((r) => [r.name, r.source.renderedFrom]),
    [['web', 'shop/templates/web.yaml'], ['plain', undefined], ['s', 'shop/templates/svc.yaml'], ['c', 'shop/templates/anchors.yaml']],
    'the full reader (anchors) keeps it too',
  );
  const sarif = JSON.parse((await cli(['check', '--level', 'baseline', '-f', 'sarif', '-'], { stdin: rendered })).stdout);
  t.equal(sarif.runs[0].results[0].properties.renderedFrom, 'shop/templates/web.yaml');
});

t.test('withoutOldCommands escapes every ##[ with ignorable characters between, and leaves other text as it is', async (t) => {
  // Every Default_Ignorable_Code_Point, BMP and astral, and some that are not (ASCII, other non-ASCII).
  const ignorable: string[] = [];
  for (let cp = 0x80; cp <= 0xe0fff; cp++) if (/\p{Default_Ignorable_Code_Point}/u.test(String.fromCodePoint(cp))) ignorable.push(String.fromCodePoint(cp));
  t.ok(ignorable.length > 4000 && ignorable.includes('\u00ad') && ignorable.includes('\u{e0001}'), `${ignorable.length} ignorable characters`);
  const wrong: string[] = [];
  for (const c of ignorable) {
    for (const text of [`"#${c}#[error]x"`, `"##${c}[error]x"`, `"#${c}${c}#${c}[x"`]) {
      const out = withoutOldCommands(text);
      // Only the second # is written differently, and no old-form command is left.
      const escaped = out.replace(/\\u0023/g, '#') === text && /#\p{Default_Ignorable_Code_Point}*\\u0023/u.test(out);
      if (!escaped || new RegExp(OLD_COMMAND.source, 'u').test(out)) wrong.push(`${JSON.stringify(text)} gave ${JSON.stringify(out)}`);
    }
  }
  t.same(wrong, [], `each of ${ignorable.length * 3} texts escaped`);
  for (const text of ['"#a#[x"', '"# #[x"', '"#é#[x"', '"##x[y"', '"#[#"', '{"a": "#1", "b": "#2"}', '"#\u200b#"']) t.equal(withoutOldCommands(text), text, `${text} as it is`);
  t.equal(withoutOldCommands('"##[a] and #\u200b#[b]"'), '"#\\u0023[a] and #\u200b\\u0023[b]"', 'every one in a text');
});

t.test('no output line can hold an old-form workflow command (##[command]), which GitHub reads anywhere in a line', async (t) => {
  // A capability and a key given twice, both from the input: the runner would stop reading
  // commands (hiding the annotations of --format github, written after the stderr warning) or mask text.
  // (Read from a cluster, so judged whatever its label keys; a new one is refused for them, below.)
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  uid: u1\n  labels: {"##[add-mask]podsec": a, "##[add-mask]podsec": b}\n' +
    'spec: {containers: [{name: c, image: i, securityContext: {capabilities: {add: ["##[stop-commands]tok", "#\\u200b#[error]x"]}}}]}\n';
  const oldForm = /#\p{Default_Ignorable_Code_Point}*#\p{Default_Ignorable_Code_Point}*\[/u;
  for (const format of ['text', 'github']) {
    const r = await cli(['check', '-f', format, '--stdin-name', 'pod.yaml', '-'], { stdin: pod });
    t.equal(r.code, 1);
    t.notMatch(r.stderr, oldForm, `${format}: stderr`);
    // A github report's own lines start with ::error, which the runner reads first.
    const lines = r.stdout.split('\n').filter((l) => !/^::(error|warning|notice) /.test(l));
    t.notMatch(lines.join('\n'), oldForm, `${format}: stdout`);
    const created = await cli(['check', '-f', format, '--stdin-name', 'pod.yaml', '-'], { stdin: pod.replace('  uid: u1\n', '') });
    t.equal(created.code, 2, `${format}: a new pod is refused for its label key, which the error quotes`);
    t.match(created.stdout + created.stderr, /Invalid value: .*add-mask/);
    t.notMatch(created.stderr, oldForm, `${format}: the error's stderr`);
    t.notMatch(created.stdout.split('\n').filter((l) => !/^::(error|warning|notice) /.test(l)).join('\n'), oldForm, `${format}: the error's stdout`);
  }
  const text = (await cli(['check', '--stdin-name', 'pod.yaml', '-'], { stdin: pod })).stdout;
  t.match(text, '"#\\u0023[stop-commands]tok"', 'shown escaped');
  // Nor the problems of a --config file or of rule files, which quote their keys.
  const dir = t.testdir({
    'psc.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n"##[error]x\\e[2J": 1\n',
    rules: { baseline: { 'x.yaml': readFileSync(join(root, 'rules/baseline/hostNamespaces.yaml'), 'utf8').replace('id: hostNamespaces', 'id: x').replace(/^title: .*$/m, 'title: t\n"##[error]y\\e[2J": 1') } },
  });
  for (const args of [['--config', 'psc.yaml'], ['--rules-dir', 'rules']]) {
    const r = await cli(['check', ...args, '-'], { cwd: dir, stdin: pod });
    t.equal(r.code, 2);
    t.match(r.stderr, /unknown (field|key) "#\\u0023\[error\][xy]\\u001b\[2J"/, `${args[0]}: the key shown escaped`);
    t.notMatch(r.stderr, /\x1b|##\[/, `${args[0]}: no escape sequence, no ##[`);
  }
  // JSON and SARIF, printed in a log, neither: `#` is written \u0023 there, the same JSON.
  for (const format of ['json', 'sarif']) {
    const out = (await cli(['check', '-f', format, '--stdin-name', 'pod.yaml', '-'], { stdin: pod })).stdout;
    t.notMatch(out, oldForm, `${format}: no ##[`);
    t.match(out, '#\\u0023[stop-commands]tok', `${format}: escaped`);
    if (format === 'json') t.match((JSON.parse(out) as Report).resources[0]!.message, '"##[stop-commands]tok"', 'JSON keeps the text as it is');
  }
});

t.test('text: a file name that starts with :: starts no line, where GitHub\'s runner would read a workflow command', async (t) => {
  const dir = t.testdir({ '::error title=Forged::x.yaml': PRIVILEGED_DEPLOYMENT, ' ::stop-commands::tok.yaml': 'a: [\n' });
  const r = await cli(['check', '--level', 'baseline', '.'], { cwd: dir });
  t.equal(r.code, 2);
  // The runner trims the spaces a line starts with before it looks for "::".
  t.notMatch(r.stdout, /^\s*::/m, 'no line starts with ::');
  t.match(r.stdout, /^\.\/::error title=Forged::x\.yaml\n  FAIL  Deployment shop\/web/m);
  t.match(r.stdout, /^        \.\/::error title=Forged::x\.yaml:15:11  privileged: /m);
  t.match(r.stdout, /^  error \.\/ ::stop-commands::tok\.yaml:1:\d+ /m);
  // JUnit's failure and error texts start lines with file names too: a CI step may print them.
  const junit = await cli(['check', '--level', 'baseline', '-f', 'junit', '.'], { cwd: dir });
  t.equal(junit.code, 2);
  t.notMatch(junit.stdout, /^\s*::/m, 'junit: no line starts with ::');
  t.match(junit.stdout, /^\.\/::error title=Forged::x\.yaml:15:11  privileged: /m);
});

t.test('stderr shows file names from the directories searched escaped, as the report does', async (t) => {
  const dir = t.testdir({ repo: {}, other: { 'a\x1b[2J##[error]x.yaml': PRIVILEGED_DEPLOYMENT, 'b\x1b]0;t\x07.yaml': '{"name": "x", "version": "1.0.0"}\n', 'c\x1b[1m.yaml': '{"name": "y"}\n' } });
  for (const format of ['sarif', 'github']) {
    const r = await cli(['check', '--level', 'baseline', '-f', format, '../other'], { cwd: join(dir, 'repo') });
    t.match(r.stderr, /outside .* \(the current directory\)/, `${format}: warned`);
    t.match(r.stderr, /no Kubernetes manifests .*to leave all of them out, add: /, `${format}: noted`);
    t.notMatch(r.stderr, /[\x00-\x09\x0b-\x1f\x7f-\x9f]|##\[/, `${format}: no control character, no ##[`);
  }
});

t.test('--output cannot be the --config file: the report would replace the configuration', async (t) => {
  const config = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\n';
  const dir = t.testdir({ 'psc.yaml': config, 'pod.yaml': GOOD_POD });
  const r = await cli(['check', '--config', 'psc.yaml', '-f', 'json', '-o', './psc.yaml', 'pod.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(r.stderr, 'podsec check: --output ./psc.yaml is the --config file: the report would replace it\nhint: write the report to another file\n');
  t.equal(readFileSync(join(dir, 'psc.yaml'), 'utf8'), config, 'the configuration is untouched');
  // Nor the file an AdmissionConfiguration's path: names, nor a file of a --rules-dir.
  const admission = 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: psc.yaml\n';
  writeFileSync(join(dir, 'ac.yaml'), admission);
  const named = await cli(['check', '--config', 'ac.yaml', '-o', 'psc.yaml', 'pod.yaml'], { cwd: dir });
  t.equal(named.code, 2);
  t.equal(named.stderr, `podsec check: --output psc.yaml is ${join(dir, 'psc.yaml')}, which the --config file reads: the report would replace it\nhint: write the report to another file\n`);
  t.equal(readFileSync(join(dir, 'psc.yaml'), 'utf8'), config, 'the named file is untouched');
  const rule = readFileSync(join(root, 'rules', 'baseline', 'privileged.yaml'), 'utf8');
  mkdirSync(join(dir, 'my-rules', 'baseline'), { recursive: true });
  writeFileSync(join(dir, 'my-rules', 'baseline', 'privileged.yaml'), rule);
  const ruled = await cli(['check', '--rules-dir', 'my-rules', '-o', 'my-rules/baseline/privileged.yaml', 'pod.yaml'], { cwd: dir });
  t.equal(ruled.code, 2);
  t.equal(ruled.stderr, 'podsec check: --output my-rules/baseline/privileged.yaml is inside the --rules-dir my-rules: the report would replace a file of it\nhint: write the report to another file\n');
  t.equal(readFileSync(join(dir, 'my-rules', 'baseline', 'privileged.yaml'), 'utf8'), rule, 'the rule file is untouched');
});

t.test('--output cannot be a new file inside a --rules-dir: the next run would read the report as a rule', async (t) => {
  const rule = readFileSync(join(root, 'rules', 'baseline', 'privileged.yaml'), 'utf8');
  const dir = t.testdir({ 'pod.yaml': GOOD_POD, 'my-rules': { baseline: { 'privileged.yaml': rule } } });
  const r = await cli(['check', '--rules-dir', 'my-rules', '-o', 'my-rules/baseline/report.yaml', 'pod.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(r.stderr, 'podsec check: --output my-rules/baseline/report.yaml is inside the --rules-dir my-rules: the report would be written among its rules\nhint: write the report to another file\n');
  t.notOk(existsSync(join(dir, 'my-rules', 'baseline', 'report.yaml')), 'no report among the rules');
  // A name that starts with ".." is a name, not a step out of the directory.
  const dots = await cli(['check', '--rules-dir', 'my-rules', '-o', 'my-rules/..report.yaml', 'pod.yaml'], { cwd: dir });
  t.equal(dots.code, 2);
  // Beside the rules directory is fine.
  const beside = await cli(['check', '--rules-dir', 'my-rules', '-o', 'my-rules.json', 'pod.yaml'], { cwd: dir });
  t.equal(beside.code, 0, beside.stderr);
});

t.test('--format github: input errors first, one annotation per violation, a notice past GitHub\'s limit', async (t) => {
  const dir = t.testdir({ 'a,b:c.yaml': PRIVILEGED_DEPLOYMENT, 'broken.yaml': 'a: [\n' });
  const r = await cli(['check', '--level', 'baseline', '-f', 'github', '.'], { cwd: dir });
  t.equal(r.code, 2, 'the broken file makes it an input error');
  const lines = r.stdout.trimEnd().split('\n');
  const annotations = lines.filter((l) => l.startsWith('::error '));
  t.equal(annotations.length, 2);
  t.match(annotations[0], /^::error file=broken\.yaml,line=\d+,col=\d+,title=podsec%3A input not evaluated::.+\. Hint: /);
  t.match(annotations[1], /^::error file=a%2Cb%3Ac\.yaml,line=\d+,col=\d+,title=podsec privileged \(warn\+audit baseline%3Alatest\)::Deployment shop\/web: privileged \(container "web" must not set securityContext\.privileged=true\)$/);
  t.notOk(lines.some((l) => l.startsWith('::notice')), 'no notice when every finding is annotated');
  t.match(lines.at(-1), /^1 resource checked, 0 passed, 1 failed \(1 violation\), 0 not evaluated, 1 error$/);
  const json = JSON.parse((await cli(['check', '--level', 'baseline', '-f', 'json', 'a,b:c.yaml'], { cwd: dir })).stdout) as Report;
  const at = json.resources[0]!.violations[0]!.locations[0]!;
  t.match(annotations[1], `line=${at.line},col=${at.column},`, 'the annotation points where the JSON report does');
  // Two privileged containers: one violation, one annotation at the first, naming both fields.
  const two = PRIVILEGED_DEPLOYMENT + '      - name: side\n        image: busybox\n        securityContext: {privileged: true}\n';
  const both = (await cli(['check', '--level', 'baseline', '-f', 'github', '-'], { stdin: two })).stdout.split('\n').filter((l) => l.startsWith('::error '));
  t.equal(both.length, 1);
  t.match(both[0], /^::error file=<stdin>,line=15,col=11,.*; fields: spec\.template\.spec\.containers\[0\]\.securityContext\.privileged \(line 15\), spec\.template\.spec\.containers\[1\]\.securityContext\.privileged \(line 18\)$/);
  // A field the object does not set is said to be missing, with the line of the nearest field that is there.
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: i\n    securityContext: {privileged: false}\n  - name: b\n    image: i\n';
  const unset = (await cli(['check', '-f', 'github', '--stdin-name', 'p.yaml', '-'], { stdin: pod })).stdout.split('\n').filter((l) => l.includes(',title=podsec runAsNonRoot '));
  t.equal(unset.length, 1);
  t.match(unset[0], /^::error file=p\.yaml,line=8,col=5,.*; fields: spec\.containers\[0\]\.securityContext\.runAsNonRoot \(line 8, not set\), spec\.containers\[1\]\.securityContext\.runAsNonRoot \(line 9, not set\)$/);
  // GitHub annotates 10 errors per step: the input error must be among them, and a notice counts the rest.
  const many = t.testdir({
    'many.yaml': Array.from({ length: 12 }, (_, i) => PRIVILEGED_DEPLOYMENT.replace('name: web\n  namespace', `name: web${i}\n  namespace`)).join('---\n'),
    'zz-broken.yaml': 'a: [\n',
  });
  const over = (await cli(['check', '--level', 'baseline', '-f', 'github', '.'], { cwd: many })).stdout.trimEnd().split('\n');
  const errors = over.filter((l) => l.startsWith('::error '));
  t.equal(errors.length, 13);
  t.match(errors[0], /^::error file=zz-broken\.yaml,/);
  t.match(over.at(-2), /^::notice title=podsec%3A 13 findings%2C GitHub annotates 10 per step::podsec found 1 input error and 12 violations\. .*every finding is in this step's log; .*--format sarif .*--format json\.$/);
  t.match(over.at(-1), /^12 resources checked, 0 passed, 12 failed \(12 violations\), 0 not evaluated, 1 error$/);
  // From a pipe, the annotations name no file of the repository: said on stderr, unless --stdin-name names one.
  const piped = await cli(['check', '--level', 'baseline', '-f', 'github', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.match(piped.stdout, /^::error file=<stdin>,/);
  t.equal(piped.stderr, 'warning: GitHub annotations from standard input name <stdin>, which is no file in the repository (give --stdin-name PATH, or check the rendered file)\n');
  // Also when all it read is an input error.
  const broken = await cli(['check', '-f', 'github', '-'], { stdin: 'a: [\n' });
  t.match(broken.stdout, /^::error file=<stdin>,/);
  t.match(broken.stderr, /^warning: GitHub annotations from standard input name <stdin>/);
  const named = await cli(['check', '--level', 'baseline', '-f', 'github', '--stdin-name', 'deploy/web.yaml', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.match(named.stdout, /^::error file=deploy\/web\.yaml,/);
  t.equal(named.stderr, '');
  // Named, but not read: most often a pipeline that stopped passing -.
  const unreadDir = t.testdir({ 'web.yaml': PRIVILEGED_DEPLOYMENT });
  const unread = await cli(['check', '--level', 'baseline', '-f', 'github', '--stdin-name', 'deploy/web.yaml', 'web.yaml'], { cwd: unreadDir });
  t.equal(unread.code, 1);
  t.equal(unread.stderr, 'warning: --stdin-name deploy/web.yaml names standard input, which is not read: no input is -\n');
  // Names from the input: an escape sequence or a line break is shown escaped, never written.
  const hostile = await cli(['check', '--level', 'baseline', '-f', 'github', '--stdin-name', 'web.yaml', '-'], {
    // Read from a cluster: judged whatever its name.
    stdin: PRIVILEGED_DEPLOYMENT.replace('name: web\n  namespace', 'name: "web\\e[2J\\e]0;t\\a\\u2028\\u202e\\n::error::x"\n  uid: u1\n  namespace'),
  });
  t.notMatch(hostile.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]/, 'no control character');
  t.match(hostile.stdout, /^::error file=web\.yaml,line=16,col=11,title=podsec privileged \(warn\+audit baseline%3Alatest\)::Deployment shop\/web\\u001b\[2J\\u001b\]0;t\\u0007\\u2028\\u202e\\n::error::x: privileged /m);
  // So is a file's name (run in a terminal, the commands are printed as they are).
  const badName = await cli(['check', '--level', 'baseline', '-f', 'github', '--stdin-name', 'web\x1b]0;t\x07\u202e.yaml', '-'], { stdin: PRIVILEGED_DEPLOYMENT });
  t.notMatch(badName.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]/, 'no control character in file=');
  t.match(badName.stdout, /^::error file=web\\u001b\]0;t\\u0007\\u202e\.yaml,line=15,col=11,/m);
});

t.test('a Namespace in a version Kubernetes never served sets no policy: kubectl refuses it', async (t) => {
  const ns = 'apiVersion: v2\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n---\n';
  const r = await json(['-'], { stdin: ns + PRIVILEGED_DEPLOYMENT });
  t.equal(r.code, 2);
  t.match(r.report.errors, [{ line: 1, column: 1, kind: 'Namespace', name: 'shop', message: 'Namespace shop: Kubernetes has no Namespace in version "v2" (kubectl: no matches for kind "Namespace" in version "v2")', hint: /write apiVersion: v1; its labels do not set the policy of its objects/ }]);
  t.equal(r.report.errors.length, 1);
  t.match(r.report.resources.find((x) => x.kind === 'Deployment')!, { allowed: false, policy: { source: 'default', level: 'restricted' } });
});

t.test('kinds are case-sensitive: a built-in kind in other case is an error, as kubectl refuses it', async (t) => {
  const lower = BARE_POD.replace('kind: Pod', 'kind: pod').replace('    image: nginx\n', '    image: nginx\n    securityContext: {privileged: true}\n');
  const ns = 'apiVersion: v1\nkind: namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n---\n';
  const crd = '---\napiVersion: example.com/v1\nkind: pod\nmetadata:\n  name: custom\n';
  const r = await json(['-'], { stdin: ns + lower + crd });
  t.equal(r.code, 2, 'not a pass: the privileged pod cannot be applied as written');
  t.match(r.report.errors, [
    { index: 0, line: 2, column: 1, message: 'namespace shop: Kubernetes has no kind "namespace" (kubectl: no matches for kind "namespace" in version "v1"); kinds are case-sensitive', hint: 'write kind: Namespace; its labels do not set the policy of its objects' },
    { index: 1, message: /^pod p: Kubernetes has no kind "pod" .*; kinds are case-sensitive$/, hint: 'write kind: Pod; podsec did not evaluate this object' },
  ]);
  t.equal(r.report.errors.length, 2);
  // Outside the built-in groups a kind is a custom resource's, whatever its case.
  t.match(r.report.notEvaluated, [{ kind: 'pod', name: 'custom' }]);
  t.equal(r.report.notEvaluated.length, 1);
  // In the wrong group too, the hint says both fixes.
  const both = await json(['-'], { stdin: 'apiVersion: v1\nkind: deployment\nmetadata: {name: d}\n' });
  t.match(both.report.errors, [{ hint: 'write kind: Deployment and apiVersion: apps/v1; podsec did not evaluate this object' }]);
  t.equal(both.report.errors.length, 1);
});

t.test('a kind the built-in groups do not have is an error, with the kind meant: a misspelt Deployment is no object to leave unjudged', async (t) => {
  const typo = 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: i, securityContext: {privileged: true}}]\n';
  const r = await json(['-'], { stdin: `${typo}---\napiVersion: v1\nkind: Podd\nmetadata: {name: p}\n---\napiVersion: apps/v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Widget\nmetadata: {name: w}\n` });
  t.equal(r.code, 2, 'not a pass');
  t.match(r.report.errors, [
    { index: 0, line: 2, column: 1, message: 'Deploymnet web: Kubernetes has no kind "Deploymnet" in the group apps (kubectl: no matches for kind "Deploymnet" in version "apps/v1")', hint: 'did you mean kind: Deployment?; podsec did not evaluate this object' },
    { index: 1, message: /^Podd p: Kubernetes has no kind "Podd" in the core group/, hint: 'did you mean kind: Pod?; podsec did not evaluate this object' },
    { index: 2, hint: 'write apiVersion: v1' },
    { index: 3, hint: 'write a kind of that group, or the apiVersion of the kind meant' },
  ]);
  t.equal(r.report.errors.length, 4);
  // Lists of the groups' kinds, older group versions' kinds and other groups' kinds are no errors.
  const fine = await json(['-'], { stdin: 'apiVersion: v1\nkind: SecretList\n---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingres\nmetadata: {name: x}\n' });
  t.same(fine.report.errors, []);
  t.equal(fine.report.notEvaluated.length, 4);
  // A file of another tool (a scheduler policy: no metadata) is said to be possibly one.
  const dir = t.testdir({ 'policy.json': '{"apiVersion": "v1", "kind": "Policy", "predicates": []}\n' });
  const other = await json(['policy.json'], { cwd: dir });
  t.match(other.report.errors, [{ hint: /; if policy\.json is no Kubernetes manifest \(another tool's configuration\), leave it out of the check$/ }]);
});

t.test('a typed list in other case: its items without a kind are placed and fixed at the list\'s kind', async (t) => {
  const list = 'apiVersion: v1\nkind: podList\nitems:\n- metadata: {name: a}\n  spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n';
  const r = await json(['-'], { stdin: list });
  t.equal(r.code, 2);
  // kubectl gives the item the list's kind less "List" (pod): what to fix is the list's kind.
  t.match(r.report.errors, [{ line: 2, column: 1, message: /^pod a: Kubernetes has no kind "pod" .*; kinds are case-sensitive$/, hint: 'write kind: PodList on the list, whose items without a kind take theirs from it; podsec did not evaluate this object' }]);
  t.equal(r.report.errors.length, 1);
});

t.test('a Namespace defined again is a conflict when the policy of its objects changes, labelled or not', async (t) => {
  const evaluator = createEvaluator();
  const privileged = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n';
  const unlabelled = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
  // Unlabelled, its objects get restricted:latest (no --config); labelled privileged, nothing is checked.
  for (const [a, b] of [[unlabelled, privileged], [privileged, unlabelled]]) {
    const report = checkManifests([{ file: 'a.yaml', content: a! }, { file: 'b.yaml', content: b! }], { evaluator });
    t.match(report.warnings, [{ file: 'b.yaml', message: /^Namespace shop is defined again with other PodSecurity labels/ }]);
    t.equal(report.warnings.length, 1);
  }
  // With --config, an unlabelled namespace gets its defaults: the same policy as labels saying them.
  const config = parseAdmissionConfig('apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\n');
  const same = checkManifests([{ file: 'a.yaml', content: unlabelled }, { file: 'b.yaml', content: privileged }], { evaluator, config });
  t.same(same.warnings, []);
});

t.test('a Namespace defined again with invalid labels is a refused update: its objects keep the earlier labels', async (t) => {
  const evaluator = createEvaluator();
  const ns = (level: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;
  const pod = BARE_POD.replace('  name: p\n', '  name: p\n  namespace: ns\n');
  // Objects before, between and after the two definitions: where a Namespace comes does not matter.
  const report = checkManifests([pod, ns('privileged'), pod, ns('Privileged'), pod].map((content, i) => ({ file: `${i}.yaml`, content })), { evaluator });
  t.same(report.resources.map((r) => [r.source.file, r.kind, r.allowed]), [
    ['0.yaml', 'Pod', true], ['2.yaml', 'Pod', true], ['3.yaml', 'Namespace', false], ['4.yaml', 'Pod', true],
  ], 'the update is refused (422) and the pods are judged under enforce: privileged');
  t.same(report.warnings, [], 'the policy of its objects does not change');
  t.match(report.notEvaluated, [{ source: { file: '1.yaml' }, reason: /its labels set the policy of its objects \(enforce=privileged:latest/ }]);
  // The other way round, the invalid one is refused on create and the valid one creates the namespace.
  const reverse = checkManifests([ns('Privileged'), ns('privileged'), pod].map((content, i) => ({ file: `${i}.yaml`, content })), { evaluator });
  t.same(reverse.resources.map((r) => [r.kind, r.allowed]), [['Namespace', false], ['Pod', true]]);
});

t.test('an input the reader cannot read to its end, with objects in a Namespace read after it: no crash, they are judged again', async (t) => {
  const check = await checkWithBrokenReader(t);
  const shop = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n';
  const report = check([
    { file: 'broken.yaml', content: PRIVILEGED_DEPLOYMENT },
    { file: 'ns.yaml', content: shop },
  ], { evaluator: createEvaluator() });
  t.match(report.errors, [{ file: 'broken.yaml', message: /could not read this input to its end/ }]);
  t.equal(report.errors.length, 1);
  t.same(report.resources.map((r) => `${r.source.file} ${r.name} ${r.allowed} ${r.policy.source}`), ['broken.yaml web true namespace']);
  t.equal(report.exitCode, 2);
  // Read again, it fails before the object: the object keeps its first judgement, and that is said.
  const read = await import('../cli/manifest/read.js');
  let reads = 0;
  const { checkManifests: check2 } = await t.mockImport<typeof import('../cli/check/run.js')>('../cli/check/run.js', {
    '../cli/manifest/read.js': {
      ...read,
      parseManifests: (content: string, file: string, options: Parameters<typeof read.parseManifests>[2]) => {
        if (file === 'broken.yaml' && reads++ > 0) throw new RangeError('out of memory');
        const parsed = read.parseManifests(content, file, options);
        if (file === 'broken.yaml') throw new RangeError('Cannot create a string longer than 0x1fffffe8 characters');
        return parsed;
      },
    },
  });
  const again = check2([{ file: 'broken.yaml', content: PRIVILEGED_DEPLOYMENT }, { file: 'ns.yaml', content: shop }], { evaluator: createEvaluator() });
  t.same(again.resources.map((r) => `${r.source.file} ${r.name} ${r.allowed} ${r.policy.source}`), ['broken.yaml web false default']);
  t.match(again.errors, [
    { file: 'broken.yaml', message: /could not read this input to its end/ },
    { file: 'broken.yaml', message: 'podsec could not read this input again to judge an object under a Namespace read after it: out of memory', hint: /it keeps the policy known when first read/ },
  ]);
  t.equal(again.errors.length, 2);
});

t.test('--format junit: no two test cases of a suite share a class and name, which GitLab would keep one of', async (t) => {
  // Pods read from a cluster without a name (the API server refuses to create one).
  const unnamed = BARE_POD.replace('  name: p\n', '  uid: u1\n');
  const dir = t.testdir({ 'twice.yaml': `${unnamed}---\n${unnamed}---\n${BARE_POD}---\n${BARE_POD}---\n${unnamed}` });
  const r = await cli(['check', '-f', 'junit', 'twice.yaml'], { cwd: dir });
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(r.stdout);
  const cases = xml.testsuites.testsuite[0].testcase as { classname: string; name: string; line: string }[];
  t.same(cases.map((c) => [c.name, c.line]), [
    ['Pod default/(unnamed)', '1'], ['Pod default/(unnamed) #2', '10'], ['Pod default/p', '19'], ['Pod default/p #2', '28'], ['Pod default/(unnamed) #3', '37'],
  ], 'the second and later of a name numbered, in file order');
});

t.test('--format junit: a failure from helm template output names the chart template, as the text report does', async (t) => {
  const r = await cli(['check', '-f', 'junit', '-'], { stdin: `---\n# Source: shop/templates/web.yaml\n${PRIVILEGED_DEPLOYMENT}` });
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(r.stdout);
  const text = xml.testsuites.testsuite[0].testcase[0].failure['#text'] as string;
  t.equal(text.split('\n')[1], 'rendered from shop/templates/web.yaml');
});

t.test('--format junit: a suite per file, a test case per object; failures, skipped objects and input errors', async (t) => {
  const config = 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: baseline}\nexemptions: {namespaces: [kube-system]}\n';
  const dir = t.testdir({
    'app.yaml': `${PRIVILEGED_DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n---\n${PRIVILEGED_DEPLOYMENT.replace('namespace: shop', 'namespace: kube-system')}`,
    'broken.yaml': 'a: [\n',
    'good.yaml': GOOD_POD,
    // Read from a cluster: judged whatever its name.
    'odd.yaml': PRIVILEGED_DEPLOYMENT.replace('name: web\n', 'name: "w<e>b&\\u0001"\n  uid: u1\n'),
    'psa.yaml': config,
  });
  const r = await cli(['check', '--config', 'psa.yaml', '-f', 'junit', 'app.yaml', 'broken.yaml', 'good.yaml', 'odd.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(XMLValidator.validate(r.stdout), true, 'well-formed XML');
  t.notMatch(r.stdout, /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u, 'only characters XML holds');
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(r.stdout);
  const suites = xml.testsuites;
  t.same([suites.name, suites.tests, suites.failures, suites.errors, suites.skipped], ['podsec check', '6', '2', '1', '2']);
  t.same(suites.testsuite.map((s: Record<string, string>) => [s.name, s.tests, s.failures, s.errors, s.skipped]), [
    ['app.yaml', '3', '1', '0', '2'], ['broken.yaml', '1', '0', '1', '0'], ['good.yaml', '1', '0', '0', '0'], ['odd.yaml', '1', '1', '0', '0'],
  ]);
  const [app, broken, good, odd] = suites.testsuite;
  const [web, service, exempt] = app.testcase;
  t.same([web.classname, web.name, web.file, web.line], ['Deployment', 'Deployment shop/web', 'app.yaml', '1']);
  const json = JSON.parse((await cli(['check', '--config', 'psa.yaml', '-f', 'json', 'app.yaml'], { cwd: dir })).stdout) as Report;
  const denied = json.resources[0]!;
  t.equal(web.failure.message, denied.message, 'the upstream message');
  t.equal(web.failure.type, 'enforce', 'the mode whose message it is');
  const at = denied.violations[0]!.locations[0]!;
  // GitLab shows a failure's text, not its message attribute: the text opens with the message.
  t.equal(web.failure['#text'], `${denied.message}\napp.yaml:${at.line}:${at.column}  privileged: privileged (container "web" must not set securityContext.privileged=true)`, 'the message, then each finding where the other reports point');
  // And a skipped element's text, or its attributes as a hash when it has none.
  t.same(service.skipped, { message: 'not evaluated: Service: no pod spec', '#text': 'not evaluated: Service: no pod spec' });
  t.same([exempt.name, exempt.skipped.message, exempt.skipped['#text']], ['Deployment kube-system/web', 'exempt by namespace (configuration)', 'exempt by namespace (configuration)']);
  t.same(broken.testcase[0].error.type, 'input');
  t.same([broken.testcase[0].classname, broken.testcase[0].name], ['input', 'document 1'], 'named by its document, which edits to other lines do not rename');
  t.match(broken.testcase[0].error['#text'], /^broken\.yaml:\d+:\d+ \(document 1\): .+\nhint: /);
  t.same(good.testcase[0], { classname: 'Pod', name: 'Pod default/good', file: 'good.yaml', line: '1', time: '0' });
  // dorny/test-reporter reads each time with parseFloat, and shows NaN where there is none.
  const times = [suites.time, ...suites.testsuite.flatMap((s: { time: string; testcase: { time: string }[] }) => [s.time, ...s.testcase.map((c) => c.time)])];
  t.ok(times.every((time) => !Number.isNaN(parseFloat(time))), 'a time everywhere');
  t.equal(odd.testcase[0].name, 'Deployment shop/w<e>b&\\u0001', 'names escaped as the text report escapes them');
  // Written to a file, a summary goes to stderr; the file is what stdout would have had.
  const file = await cli(['check', '--config', 'psa.yaml', '-f', 'junit', '-o', 'out.xml', 'app.yaml', 'broken.yaml', 'good.yaml', 'odd.yaml'], { cwd: dir });
  t.equal(file.stdout, '');
  t.equal(readFileSync(join(dir, 'out.xml'), 'utf8'), r.stdout);
  t.match(file.stderr, /\(report written to out\.xml\)\n$/);
});

t.test('an object in a namespace no Namespace could have, and a Namespace of such a name, are refused as the API server refuses them', async (t) => {
  const pod = GOOD_POD.replace(/name: good\n/, 'name: good\n  namespace: Team_A\n');
  const r = await json(['-'], { stdin: `${pod}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop.prod\n  labels: {pod-security.kubernetes.io/enforce: privileged}\n` });
  t.equal(r.code, 2);
  t.same(r.report.resources, [], 'neither is judged');
  t.same(r.report.errors.map((e) => [e.index, e.message, e.hint]), [
    [0, 'Pod good: metadata.namespace "Team_A" is no namespace name, so the API server refuses the object', 'a namespace name is lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters, for example team-a; podsec did not evaluate this object'],
    [1, 'Namespace shop.prod: metadata.name "shop.prod" is no namespace name, so the API server refuses the object', 'a namespace name is lower case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters, for example shop-prod; its labels do not set the policy of its objects'],
  ]);
  t.match(r.report.errors[0], { line: 5, column: 3 }, 'at the namespace');
  // Names a Namespace may have, and a namespace left empty (the default's), pass.
  const fine = await json(['-'], { stdin: `${GOOD_POD.replace(/name: good\n/, `name: good\n  namespace: ${'a'.repeat(63)}\n`)}---\n${GOOD_POD.replace(/name: good\n/, 'name: good\n  namespace: ""\n')}` });
  t.equal(fine.code, 0, JSON.stringify(fine.report.errors));
  const long = await json(['-'], { stdin: GOOD_POD.replace(/name: good\n/, `name: good\n  namespace: ${'a'.repeat(64)}\n`) });
  t.equal(long.code, 2, 'at most 63 characters');
  // Another kind is not read for its namespace: it is listed as not evaluated.
  const service = await json(['-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: Team_A}\n---\n' + GOOD_POD });
  t.equal(service.code, 0);
  // Each name is refused wherever it comes, after a kind not read for it too.
  const twice = await json(['-'], { stdin: `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: Team_A}\n---\n${pod}---\n${pod}` });
  t.same(twice.report.errors.map((e) => e.index), [1, 2]);
});

t.test('ephemeral containers in a new Pod or a pod template are refused by validation before PodSecurity judges them', async (t) => {
  const pod = `${GOOD_POD}  ephemeralContainers:\n  - name: dbg\n    image: busybox\n    securityContext: {privileged: true}\n`;
  const deployment = PRIVILEGED_DEPLOYMENT.replace('          privileged: true\n', '          privileged: false\n') + '      ephemeralContainers: [{name: dbg, image: busybox}]\n';
  const r = await json(['-'], { stdin: `${pod}---\n${deployment}` });
  t.equal(r.code, 2);
  t.same(r.report.resources, [], 'neither is judged');
  t.same(r.report.errors.map((e) => [e.index, e.line, e.message]), [
    [0, 15, 'Pod default/good: spec.ephemeralContainers: Forbidden: cannot be set on create (the API server refuses the object)'],
    [1, 35, 'Deployment shop/web: spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template (the API server refuses the object)'],
  ]);
  t.match(r.report.errors[0]!.hint, /kubectl debug/);
  // An empty list is no ephemeral container.
  const empty = await json(['-'], { stdin: `${GOOD_POD}  ephemeralContainers: []\n` });
  t.equal(empty.code, 0, JSON.stringify(empty.report.errors));
  // A pod read from a cluster (kubectl get pods -o yaml) has the ones kubectl debug added: judged.
  const running = await json(['-'], { stdin: pod.replace('  name: good\n', '  name: good\n  uid: 6f1c2d4e-0000-4000-8000-000000000001\n  resourceVersion: "4711"\n') });
  t.equal(running.code, 1, JSON.stringify(running.report.errors));
  t.match(running.report.resources[0]!.violations.map((v) => v.detail), [/container "dbg"/]);
});

t.test('-n given, an object naming another namespace: judged where it says, with kubectl apply -n\'s refusal as a warning', async (t) => {
  const pod = GOOD_POD.replace(/name: good\n/, 'name: good\n  namespace: shop\n');
  const r = await json(['-n', 'team', '-'], { stdin: `${pod}---\n${GOOD_POD}` });
  t.equal(r.code, 0);
  t.same(r.report.resources.map((x) => x.namespace), ['shop', 'team']);
  t.same(r.report.warnings.map((w) => [w.index, w.line, w.message, w.hint]), [[0, 5,
    'Pod good names the namespace "shop", not --namespace team: kubectl apply -n team refuses it (the namespace from the provided object "shop" does not match the namespace "team"); it is judged in shop',
    'give -n shop, leave -n out, or remove metadata.namespace to apply it in team']]);
  t.same((await json(['-'], { stdin: pod })).report.warnings, [], 'not without -n');
  t.same((await json(['-n', 'shop', '-'], { stdin: pod })).report.warnings, [], 'nor when they agree');
});

t.test('--format junit: a file with no object (comments only) gives no empty suite, which CI readers drop', async (t) => {
  const dir = t.testdir({ 'a.yaml': GOOD_POD, 'notes.yaml': '# nothing here yet\n' });
  const r = await cli(['check', '-f', 'junit', '.'], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /<testsuites name="podsec check" tests="1" failures="0" errors="0" skipped="0" time="0">/);
  t.equal([...r.stdout.matchAll(/<testsuite /g)].length, 1);
  t.notMatch(r.stdout, /notes\.yaml/);
});

t.test('--format junit: an object with an input error is named as the other test cases, with its namespace', async (t) => {
  const r = await cli(['check', '-f', 'junit', '-n', 'shop', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: {}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: shop}\nspec: {containers: [{name: c, image: i}], hostNetwork: "yes"}\n' });
  t.equal(r.code, 2);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(r.stdout);
  t.same(xml.testsuites.testsuite.testcase.map((c: Record<string, string>) => [c.classname, c.name]), [['Pod', 'Pod shop/a'], ['Pod', 'Pod shop/b']]);
  const json = JSON.parse((await cli(['check', '-f', 'json', '-n', 'shop', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: {}}\n' })).stdout) as Report;
  t.same([json.errors[0]!.kind, json.errors[0]!.namespace, json.errors[0]!.name], ['Pod', 'shop', 'a'], 'the JSON error says it too');
});
